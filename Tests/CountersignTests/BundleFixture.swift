import CountersignKit
import Foundation
import TestSupport
import Testing

/// A completed large mortgage, case M-2, in an example workspace whose consortium the bank founded
/// (every example party a member, every example pipeline in force): a revised valuation attached at
/// the legal review (so its bundle keeps two versions of one document), and a checkpoint signed by
/// the bank, the log signer, under a fixed origin and cosigned by the regulator as a witness.
///
/// With `twoAdmins`, before the case the policy becomes `quorum 2 of [bank, regulator]` and the
/// case runs under a new version of the mortgage pipeline, proposed by the bank and approved by
/// the regulator: its bundle carries that approval.
final class BundleFixture {
    static let caseID = "M-2"
    static let origin = "countersign.example/mortgage-consortium"
    /// Witnesses cosign under their party id, which names the member whose keys check the line.
    static let witnessName = "regulator"
    static let bundledAt = "2026-11-08T10:00:00Z"
    static let parties = CaseCommandTests.allMortgageParties + ["regulator"]
    /// When the two-admin policy and the new pipeline version are made.
    static let governedAt = "2026-02-01T00:00:00Z"

    let example: ExampleWorkspace
    /// Where tests put the copies they tamper with.
    let scratch = TemporaryDirectory()
    var cli: CLI { example.cli }

    /// When the regulator cosigns the checkpoints a `witnessed` fixture signs during the case: after
    /// the valuation (the case's third entry) and after director-a's board approval (its fifth).
    static let midCaseCosignatures = ["2026-11-03T12:00:00Z", "2026-11-05T18:00:00Z"]
    /// When the regulator cosigns the final checkpoint.
    static let finalCosignature = Date(timeIntervalSince1970: 1_795_000_000)

    /// The case run to completion and checkpointed; cosigned by the regulator unless `cosigned` is
    /// false. When `witnessed`, the bank also checkpoints the log during the case, after its fourth
    /// and sixth entries, each checkpoint cosigned by the regulator at `midCaseCosignatures`.
    init(cosigned: Bool = true, twoAdmins: Bool = false, witnessed: Bool = false) throws {
        example = try ExampleWorkspace(keysFor: Self.parties, founded: false)
        try example.found(by: "bank", origin: Self.origin)
        if twoAdmins { try governByTwoAdmins() }
        var cosignatures = Self.midCaseCosignatures[...]
        try runCase(Self.caseID) { done in
            guard witnessed, done == 4 || done == 6, let time = cosignatures.popFirst() else { return }
            #expect(try self.checkpoint().status == 0)
            try self.cosign(at: try #require(Timestamp.parse(time)))
        }
        #expect(try checkpoint().status == 0)
        if cosigned { try cosign() }
    }

    func path(_ relative: String) -> String { example.path(relative) }

    /// The default bundle folder of the case.
    var bundle: URL { URL(fileURLWithPath: path("out/bundles/\(Self.caseID)")) }

    /// A party's private key.
    func key(_ party: String) throws -> Ed25519PrivateKey { try KeyFile.load(path("out/keys/\(party).pem")) }

    /// The policy becomes `quorum 2 of [bank, regulator]`, and an edited mortgage pipeline is
    /// proposed by the bank and approved by the regulator.
    private func governByTwoAdmins() throws {
        let policy = try cli.run(
            "consortium",
            "policy",
            "--admins",
            "bank,regulator",
            "--quorum",
            "2",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            Self.governedAt
        )
        #expect(policy.status == 0, "\(policy.stderr)")
        let file = URL(fileURLWithPath: path("pipelines/mortgage-approval.yaml"))
        let text = try String(contentsOf: file, encoding: .utf8)
        let revised = text.replacingOccurrences(
            of: "title: Residential mortgage approval\n",
            with: "title: Residential mortgage approval, revised\n"
        )
        #expect(revised != text)
        try Data(revised.utf8).write(to: file)
        let proposed = try cli.run(
            "propose",
            "pipelines/mortgage-approval.yaml",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            Self.governedAt,
            "--json"
        )
        #expect(proposed.status == 0, "\(proposed.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(proposed.stdout.utf8)) as? [String: Any]
        let proposal = try #require((json?["proposals"] as? [[String: Any]])?.first?["id"] as? Int)
        let approved = try cli.run(
            "approve",
            String(proposal),
            "--as",
            "regulator",
            "--key",
            "out/keys/regulator.pem",
            "--now",
            Self.governedAt
        )
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.stdout.contains("now in force"), "\(approved.stdout)")
    }

    /// Opens and completes a large mortgage case: nine entries, the valuation attached twice (by an
    /// `attach` entry, then revised by the valuation step itself).
    /// `between` runs after each command with the number of commands done (the last one appends two
    /// entries: the title registration and the automatic funds release).
    func runCase(_ caseID: String, between: (Int) throws -> Void = { _ in }) throws {
        let samples = ExampleWorkspace.mortgageSamples
        let valuation = try String(contentsOfFile: path("\(samples)/valuation.xml"), encoding: .utf8)
        try Data(valuation.replacingOccurrences(of: "1480000", with: "1500000").utf8)
            .write(to: URL(fileURLWithPath: path("revised-valuation.xml")))
        let example = self.example
        let steps: [() throws -> CLI.Result] = [
            { try example.openMortgage(caseID, large: true) },
            { try example.sign(caseID, "credit-check", as: "bank", at: "2026-11-02T10:00:00Z") },
            {
                try example.cli.run([
                    "attach", caseID, "valuation=\(samples)/valuation.xml", "--as", "bank", "--key",
                    "out/keys/bank.pem", "--now", "2026-11-03T09:00:00Z",
                ])
            },
            {
                try example.sign(
                    caseID,
                    "valuation",
                    as: "bank",
                    at: "2026-11-03T10:00:00Z",
                    "--doc",
                    "valuation=revised-valuation.xml"
                )
            },
            { try example.sign(caseID, "legal-review", as: "lawyer-partner", at: "2026-11-04T10:00:00Z") },
            { try example.sign(caseID, "board-approval", as: "director-a", at: "2026-11-05T10:00:00Z") },
            { try example.sign(caseID, "board-approval", as: "director-c", at: "2026-11-06T10:00:00Z") },
            {
                try example.sign(
                    caseID,
                    "title-registration",
                    as: "registry",
                    at: "2026-11-07T10:00:00Z",
                    "--doc",
                    "title-deed=\(samples)/title-deed.xml"
                )
            },
        ]
        for (done, step) in steps.enumerated() {
            let result = try step()
            #expect(result.status == 0, "\(result.stderr)")
            try between(done + 1)
        }
    }

    /// `countersign checkpoint` by the bank, the log signer, under the origin the genesis fixed.
    @discardableResult
    func checkpoint() throws -> CLI.Result {
        try cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem")
    }

    /// Adds the regulator's witness cosignature, made at `time`, to the newest stored checkpoint.
    func cosign(at time: Date = finalCosignature) throws {
        let ledger = Ledger(store: try example.store())
        let newest = try #require(try ledger.storedCheckpoints().last)
        let cosignature = try Cosignature.sign(
            newest.checkpoint,
            name: Self.witnessName,
            key: try key("regulator"),
            time: time
        )
        let note = try newest.note.adding(cosignature.noteSignature)
        try ledger.store.saveCheckpoint(StoredCheckpoint(size: Int(newest.checkpoint.size), note: note.serialized))
    }

    // MARK: Where things are in the log

    /// The log indexes of a case's entries, in order.
    func caseIndexes(_ caseID: String = caseID) throws -> [Int] {
        try example.store().entries(ofCase: caseID).map(\.index)
    }

    /// The log index of the case entry signed by `party` for `step`.
    func caseIndex(of step: String, by party: String, _ caseID: String = caseID) throws -> Int {
        let entry = try example.store().entries(ofCase: caseID).first { entry in
            let predicate = try Envelope(bytes: entry.envelope).statement().predicate
            return predicate.step == step && predicate.party == party
        }
        return try #require(entry, "no entry of \(step) by \(party)").index
    }

    /// Every governance entry of the log, decoded.
    func governanceEntries() throws -> [GovernanceEntry] {
        try example.store().entries(ofCase: LedgerChain.consortium).map { try GovernanceEntry($0) }
    }

    /// The log index of the entry that brought `party` in: the genesis for the founder, its member entry otherwise.
    func memberEntry(of party: String) throws -> Int {
        let entry = try governanceEntries().first { entry in
            switch entry.predicate.change {
            case .genesis(_, let founder, _): founder.id == party
            case .member(let member): member.id == party
            default: false
            }
        }
        return try #require(entry, "no member entry of \(party)").index
    }

    /// The case's pipeline version: the digest its entries name.
    func caseVersion() throws -> Digest {
        let opening = try #require(try example.store().entries(ofCase: Self.caseID).first)
        return try Envelope(bytes: opening.envelope).statement().predicate.pipelineDigest
    }

    /// The log index of the entry that proposed the case's pipeline version, and of each approval of it.
    func versionEntries() throws -> (proposal: Int, approvals: [Int]) {
        let version = try caseVersion()
        let entries = try governanceEntries()
        let proposal = try #require(
            entries.first { entry in
                if case .pipeline(_, version) = entry.predicate.change { return true }
                return false
            }
        ).index
        let approvals = entries.filter { entry in
            if case .approval(proposal, _) = entry.predicate.change { return true }
            return false
        }
        return (proposal, approvals.map(\.index))
    }

    // MARK: Commands

    /// `countersign bundle CASE --now ...` with `extra` arguments.
    @discardableResult
    func bundleCase(_ caseID: String = caseID, _ extra: String...) throws -> CLI.Result {
        try cli.run(["bundle", caseID, "--now", Self.bundledAt] + extra)
    }

    /// `countersign verify-bundle DIR` with `extra` arguments.
    func verify(_ bag: URL, _ extra: String...) throws -> CLI.Result {
        try cli.run(["verify-bundle", bag.path] + extra)
    }

    /// A fresh copy of a bundle (by default the case's), to tamper with.
    func copyOfBundle(of original: URL? = nil) throws -> URL {
        let copy = scratch.url.appendingPathComponent(UUID().uuidString)
        try FileManager.default.copyItem(at: original ?? bundle, to: copy)
        return copy
    }

    /// A trust file pinning the bank's key as the log's and, when `witness`, the regulator's as a witness.
    func trustFile(witness: Bool) throws -> String {
        var text = "log \(try NoteVerifier(name: Self.origin, publicKey: try key("bank").publicKey).vkey)\n"
        if witness {
            let regulator = try key("regulator").publicKey
            text +=
                "witness regulator "
                + "\(try NoteVerifier(name: Self.witnessName, publicKey: regulator, type: .cosignatureV1).vkey)\n"
        }
        return try write(trust: text)
    }

    /// A trust file pinning this consortium's genesis entry alone (`genesis sha256:HEX`).
    func genesisTrustFile() throws -> String {
        let genesis = try #require(try example.store().entry(at: 0))
        return try write(trust: "# our consortium\ngenesis sha256:\(SHA256.hash(genesis.envelope).hex)\n")
    }

    private func write(trust text: String) throws -> String {
        let file = scratch.path("trust-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    // MARK: Rewriting bags

    /// Rewrites a bag's manifests and Payload-Oxum to match its files, as someone hiding a change would.
    static func recomputeManifests(_ bag: URL) throws {
        let info = try String(contentsOf: bag.appendingPathComponent("bag-info.txt"), encoding: .utf8)
            .split(separator: "\n").compactMap { line -> Bag.Field? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return Bag.Field(String(line[..<colon]), String(line[line.index(after: colon)...].dropFirst()))
            }
        var rebuilt = Bag(info: info)
        let data = bag.appendingPathComponent("data")
        let enumerator = FileManager.default.enumerator(atPath: data.path)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let url = data.appendingPathComponent(relative)
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            try rebuilt.add(Array(try Data(contentsOf: url)), at: relative.split(separator: "/").map(String.init))
        }
        for (path, bytes) in rebuilt.files where !path.hasPrefix("data/") {
            try Data(bytes).write(to: bag.appendingPathComponent(path))
        }
    }

    /// Puts `note` in place of the bag's checkpoint, in `checkpoint.txt` and every proof (the
    /// inclusion proofs and the case-head proof), as someone re-signing a bag would, keeping each proof's
    /// index and path.
    static func replaceCheckpoint(in bag: URL, with note: SignedNote) throws {
        try Data(note.serialized.utf8).write(to: bag.appendingPathComponent("data/checkpoint.txt"))
        let proofs = bag.appendingPathComponent("data/proofs")
        for name in try FileManager.default.contentsOfDirectory(atPath: proofs.path) {
            let url = proofs.appendingPathComponent(name)
            let proof = try TlogProof(parsing: Array(try Data(contentsOf: url)))
            let replaced = try TlogProof(index: proof.index, hashes: proof.hashes, note: note)
            try Data(replaced.serialized.utf8).write(to: url)
        }
        let caseHead = bag.appendingPathComponent("data/case-head.proof")
        if FileManager.default.fileExists(atPath: caseHead.path) {
            let proof = try CaseHeadProof(parsing: Array(try Data(contentsOf: caseHead)))
            let replaced = CaseHeadProof(head: proof.head, siblings: proof.siblings, note: note)
            try Data(replaced.serialized.utf8).write(to: caseHead)
        }
    }

    /// Flips the lowest bit of the byte in the middle of a file.
    static func flipByte(in url: URL) throws {
        var bytes = Array(try Data(contentsOf: url))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: url)
    }
}
