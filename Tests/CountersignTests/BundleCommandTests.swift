import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Audit bundles end to end: bundle and verify-bundle")
struct BundleCommandTests {
    /// Every file of a bag, relative, sorted.
    static func files(_ bag: URL) -> [String] {
        (FileManager.default.enumerator(atPath: bag.path)?.allObjects as? [String] ?? [])
            .filter { !$0.hasSuffix("/") && !FileManager.default.isDirectory(bag.appendingPathComponent($0)) }
            .sorted()
    }

    /// `bagit.py` (the Library of Congress BagIt tool), installed with pip when missing.
    static func bagitTool() throws -> String? {
        let folders =
            ["/usr/local/bin", "/usr/bin"]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        func find(_ name: String) -> String? {
            folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        if let tool = find("bagit.py") { return tool }
        guard let pip = find("pip3") ?? find("pip") else { return nil }
        _ = try runTool(pip, ["install", "--quiet", "bagit"])
        return find("bagit.py")
    }

    @Test(
        "a bundle holds the case, the governance entries it rests on and its pipeline version's files; verify-bundle passes it, and bagit.py validates it"
    )
    func bundleVerifies() throws {
        let fixture = try BundleFixture()
        let written = try fixture.bundleCase()
        #expect(written.status == 0, "\(written.stderr)")
        let cases = try fixture.caseIndexes()
        let size = cases.last! + 1
        #expect(written.stdout.contains("9 entries, proved in the checkpoint of \(size)"))
        // The genesis (the bank's own entry), the entry of every other party the case or its
        // pipeline names, the witness's, and the proposal of the case's version.
        let others = BundleFixture.parties.filter { $0 != "bank" }
        let governance =
            ([0] + (try others.map { try fixture.memberEntry(of: $0) }) + [try fixture.versionEntries().proposal])
            .sorted()
        #expect(try fixture.versionEntries().approvals.isEmpty, "quorum 1 of the bank: the proposal is its approval")
        let pad = BundleTampering.padded
        let valuation = try fixture.caseIndex(of: "attach", by: "bank")
        #expect(
            Self.files(fixture.bundle)
                == ([
                    "bag-info.txt", "bagit.txt", "data/VERIFY.md", "data/case-head.proof", "data/checkpoint.txt",
                    "data/documents/application.xml", "data/documents/title-deed.xml",
                    "data/documents/valuation.xml", "data/documents/valuation@\(pad(valuation)).xml",
                    "data/log-times.txt",
                ] + cases.map { "data/entries/\(pad($0)).dsse.json" }
                + governance.map { "data/governance/\(pad($0)).dsse.json" }
                + BundleFixture.parties.map { "data/parties/\($0).yaml" } + ["data/pipeline.yaml"]
                + (governance + cases).map { "data/proofs/\(pad($0)).tlog-proof" }
                + [
                    "data/report.html", "data/schemas/mortgage-application.xsd", "data/schemas/title-deed.xsd",
                    "data/schemas/valuation.xsd", "manifest-sha512.txt", "tagmanifest-sha512.txt",
                ]).sorted()
        )
        let info = try String(contentsOf: fixture.bundle.appendingPathComponent("bag-info.txt"), encoding: .utf8)
        let genesis = try #require(try fixture.example.store().entry(at: 0))
        let version = "mortgage-approval@sha256:\(try fixture.caseVersion().hex)"
        for field in [
            "Source-Organization: First Harbour Bank", "Bagging-Date: 2026-11-08", "External-Identifier: M-2",
            "Countersign-Log-Origin: \(BundleFixture.origin)", "Countersign-Case-Outcome: completed",
            "Countersign-Pipeline-Version: \(version)", "Countersign-Governance-Entries: \(governance.count)",
            "Countersign-Genesis: sha256:\(SHA256.hash(genesis.envelope).hex)", "Countersign-Checkpoint-Size: \(size)",
        ] {
            #expect(info.contains(field + "\n"), "missing \(field) in \(info)")
        }
        for (file, source) in [
            ("pipeline.yaml", "mortgage-approval.yaml"), ("schemas/mortgage-application.xsd", nil),
            ("schemas/title-deed.xsd", nil), ("schemas/valuation.xsd", nil),
        ] {
            let bundled = try Data(contentsOf: fixture.bundle.appendingPathComponent("data/\(file)"))
            let workspace = URL(fileURLWithPath: fixture.path("pipelines/\(source ?? file)"))
            #expect(bundled == (try Data(contentsOf: workspace)), "\(file)")
        }
        let party = try String(
            contentsOf: fixture.bundle.appendingPathComponent("data/parties/lawyer-partner.yaml"),
            encoding: .utf8
        )
        let key = try fixture.key("lawyer-partner").publicKey
        #expect(party.contains("they, not this file, are the evidence"), "\(party)")
        #expect(party.contains("  - ed25519: \(Data(key.spkiDER).base64EncodedString())\n"), "\(party)")
        #expect(
            party.contains(
                "# key id \(key.keyID), in force from entry \(try fixture.memberEntry(of: "lawyer-partner"))"
            )
        )

        let verified = try fixture.verify(fixture.bundle)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let directorA = try fixture.caseIndex(of: "board-approval", by: "director-a")
        for check in [
            "ok: bag: a valid BagIt 1.0 bag",
            "ok: contents: 9 case entries and \(governance.count) governance entries with their inclusion proofs, "
                + "4 documents, the pipeline and 3 files beside it (checked against its version below), the "
                + "checkpoint, 0 earlier checkpoints with their "
                + "consistency proofs, \(governance.count + 9) log times; 8 party files for people to read",
            "note: governance: no genesis is pinned; the bundle's own genesis (sha256:\(SHA256.hash(genesis.envelope).hex))",
            "ok: governance: \(governance.count) governance entries, from the genesis by 'bank', fold in log order",
            "members bank, director-a, director-b, director-c, lawyer, lawyer-partner, registry, regulator; "
                + "policy quorum 1 of [bank]; log signed by bank",
            "ok: pipeline: version \(version), in force since governance entry \(try fixture.versionEntries().proposal)",
            "its 4 files are in the bag with the SHA-256 it was approved with, and it loads from them alone",
            "ok: signature: entry \(directorA) (board-approval approve by director-a at 2026-11-05T10:00:00Z): signed with key "
                + "\(try fixture.key("director-a").publicKey.keyID.prefix(16))… of 'director-a', in force since governance "
                + "entry \(try fixture.memberEntry(of: "director-a"))",
            "ok: chain: the 9 entries of case 'M-2' each name the one before",
            "ok: documents: all 4 documents have the fingerprints their entries sign",
            "ok: proofs: all 9 case entries and \(governance.count) governance entries are in the log's tree of \(size) entries",
            "note: checkpoint: no --trust file: the checkpoint and every signature are checked with keys the bundle's own governance entries carry",
            "ok: checkpoint: signed under '\(BundleFixture.origin)' by the log signer 'bank' with key "
                + "\(try fixture.key("bank").publicKey.keyID.prefix(16))…, as the governance entries name it",
            "ok: checkpoint: cosigned by witness '\(BundleFixture.witnessName)' at 2026-11-18T",
            "note: checkpoint: to pin the log key, a --trust file would say: log \(BundleFixture.origin)+",
            "ok: rules: all 9 entries replayed through pipeline 'mortgage-approval'",
            "after the last entry the case is completed",
        ] {
            #expect(verified.stdout.contains(check), "missing '\(check)' in:\n\(verified.stdout)")
        }
        #expect(!verified.stdout.contains("FAIL"))

        let bagit = try #require(
            try Self.bagitTool(),
            "bagit.py is not installed and `pip3 install bagit` failed: add it to the Makefile's deps"
        )
        #expect(try runTool(bagit, ["--validate", fixture.bundle.path]) == 0, "bagit.py --validate refused the bundle")
    }

    /// The lines of `output` that start with `prefix` and contain `part`.
    static func lines(_ output: String, _ prefix: String, _ part: String = "") -> [Substring] {
        output.split(separator: "\n").filter { $0.hasPrefix(prefix) && (part.isEmpty || $0.contains(part)) }
    }

    @Test("VERIFY.md's shell commands check a real bag with standard tools alone, and catch a change")
    func verifyGuide() throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let guide = try String(contentsOf: fixture.bundle.appendingPathComponent("data/VERIFY.md"), encoding: .utf8)
        #expect(guide.contains("not evidence, and not used below"))
        #expect(guide.contains("Revocations (`revoke` entries)"))
        let script = VerifyGuideScript(markdown: guide).script()
        let output = try Self.runBash(script, in: fixture.bundle)
        let pad = BundleTampering.padded
        let cases = try fixture.caseIndexes()
        let (proposal, _) = try fixture.versionEntries()
        let governance = try FileManager.default.contentsOfDirectory(
            atPath: fixture.bundle.appendingPathComponent("data/governance").path
        ).count
        #expect(governance == 9)
        #expect(!output.contains("FAILED"), "\(output)")
        #expect(output.contains("OK: every file matches the bag's manifests"))
        // Section 2: every governance entry, each signature checked, before its keys are used.
        #expect(Self.lines(output, "OK: data/governance/", ", signed by ").count == governance, "\(output)")
        #expect(
            output.contains("OK: data/governance/00000000.dsse.json: genesis of bank (1 key) by bank, signed by bank")
        )
        let lawyerPartner = try fixture.memberEntry(of: "lawyer-partner")
        #expect(
            output.contains(
                "OK: data/governance/\(pad(lawyerPartner)).dsse.json: member of lawyer-partner (1 key) by bank, "
                    + "signed by bank, lawyer-partner"
            ),
            "a proposal of a new key carries its proof of possession: \(output)"
        )
        let genesis = try #require(try fixture.example.store().entry(at: 0))
        #expect(output.contains("has SHA-256 \(SHA256.hash(genesis.envelope).hex); the keys collected:"))
        // Section 3: each case entry's one signature by a key from the governance entries.
        #expect(Self.lines(output, "OK: data/entries/", "'s key ").count == 9, "\(output)")
        let directorA = try fixture.caseIndex(of: "board-approval", by: "director-a")
        #expect(output.contains("OK: data/entries/\(pad(directorA)).dsse.json: board-approval approve by director-a"))
        // Section 4: the version's files hash to the version every entry names; the chain.
        let version = "sha256:\(try fixture.caseVersion().hex)"
        #expect(
            output.contains(
                "OK: the 4 files of pipeline version \(version) hash to it, as data/governance/\(pad(proposal)).dsse.json lists them"
            ),
            "\(output)"
        )
        #expect(Self.lines(output, "OK: data/entries/", "follows the case's previous entry").count == 9)
        // Section 5: the documents.
        #expect(Self.lines(output, "OK: data/documents/").count == 4)
        let valuation = try fixture.caseIndex(of: "attach", by: "bank")
        let revised = try fixture.caseIndex(of: "valuation", by: "bank")
        let review = try fixture.caseIndex(of: "legal-review", by: "lawyer-partner")
        #expect(
            output.contains(
                "OK: data/documents/valuation@\(pad(valuation)).xml is the 'valuation' that entry \(pad(valuation)) signs"
            )
        )
        #expect(output.contains("OK: data/documents/valuation.xml is the 'valuation' that entry \(pad(revised)) signs"))
        // Section 6: every entry, governance and case, in the log.
        #expect(Self.lines(output, "OK: data/governance/", "is in the log's tree").count == governance)
        #expect(
            Self.lines(output, "OK: data/entries/", "is in the log's tree of \(cases.last! + 1) entries").count == 9
        )
        // Section 7: the log signer's signature and the witness's cosignature.
        #expect(output.contains("OK: the log's signature verifies with key "))
        #expect(output.contains("of bank, the log signer data/governance/00000000.dsse.json names"))
        #expect(output.contains("OK: the cosignature of witness \(BundleFixture.witnessName) at 2026-11-18T"))
        #expect(output.contains("of member regulator"))
        // Section 8: every entry's log time, before the checkpoint (there is no earlier one).
        #expect(
            Self.lines(output, "OK: ", "reached the log at").count == governance + 9
                && Self.lines(output, "OK: ", ", after the log's start and before checkpoint \(cases.last! + 1) ").count
                    == governance + 9,
            "\(output)"
        )
        #expect(
            output.contains(
                "NOTE: this consortium's clock is simulated (a demo or test): the times below prove nothing"
            )
        )
        // The last 3: the case head (section 9).
        #expect(Self.lines(output, "OK: ").count == 1 + governance * 3 + 9 * 4 + 1 + 4 + 2 + 3, "\(output)")

        // Documents, proofs and schemas changed, a party file's key replaced: the manifests and
        // each changed file are caught; the party file plays no part.
        let tampered = try fixture.copyOfBundle()
        try BundleTampering.edit(tampered, "data/documents/title-deed.xml", "Alex Morgan", "Alex Morgen")
        try BundleTampering.editProof(
            of: tampered,
            entry: try fixture.caseIndex(of: "board-approval", by: "director-c")
        )
        try BundleTampering.edit(tampered, "data/schemas/valuation.xsd", "use=\"required\"", "use=\"optional\"")
        try BundleTampering.replaceKey(in: tampered, party: "lawyer-partner")
        let changed = try Self.runBash(script, in: tampered)
        let directorC = pad(try fixture.caseIndex(of: "board-approval", by: "director-c"))
        #expect(changed.contains("FAILED: the bag's files do not match its manifests"))
        #expect(changed.contains("FAILED: data/documents/title-deed.xml: its fingerprint is sha256:"))
        #expect(
            changed.contains(
                "FAILED: data/proofs/\(directorC).tlog-proof does not lead from data/entries/\(directorC).dsse.json"
            )
        )
        #expect(
            changed.contains(
                "FAILED: the files of pipeline version \(version) hash to sha256:"
            ) && changed.contains("lists them: data/schemas/valuation.xsd\n"),
            "\(changed)"
        )
        #expect(Self.lines(changed, "FAILED: ").count == 4, "\(changed)")
        #expect(Self.lines(changed, "OK: data/entries/", "'s key ").count == 9, "party files are not read: \(changed)")

        // A member's key replaced in its re-signed governance entry, in its party file and in its
        // re-signed case entry, the manifests rewritten: the entry is refused, so its key never
        // signs; both changed entries leave the log's tree, and the case's chain breaks after the
        // re-signed entry.
        let forged = try Ed25519PrivateKey()
        let resigned = try fixture.copyOfBundle()
        try BundleTampering.resignMemberEntry(lawyerPartner, in: resigned, keys: [forged]) {
            MemberDeclaration(id: $0.id, name: $0.name, keys: [PartyKey(publicKey: forged.publicKey)])
        }
        try BundleTampering.replaceKey(in: resigned, party: "lawyer-partner", with: forged.publicKey)
        try BundleTampering.resign(entry: review, in: resigned, with: forged)
        try BundleFixture.recomputeManifests(resigned)
        let refused = try Self.runBash(script, in: resigned)
        #expect(
            refused.contains(
                "FAILED: data/governance/\(pad(lawyerPartner)).dsse.json (member of lawyer-partner (1 key) by bank): "
                    + "no valid signature by a key of bank"
            ),
            "\(refused)"
        )
        #expect(
            refused.contains(
                "FAILED: data/entries/\(pad(review)).dsse.json: not signed by a key the governance entries give lawyer-partner"
            )
        )
        #expect(refused.contains("FAILED: data/proofs/\(pad(lawyerPartner)).tlog-proof does not lead from"))
        #expect(refused.contains("FAILED: data/proofs/\(pad(review)).tlog-proof does not lead from"))
        #expect(
            refused.contains(
                "FAILED: data/entries/\(pad(review + 1)).dsse.json: its previous entry or its pipeline version does not match"
            )
        )
        #expect(Self.lines(refused, "FAILED: ").count == 5, "\(refused)")

        // A checkpoint signed under the log's origin by a member who is not the log signer.
        let signedByLawyer = try fixture.copyOfBundle()
        let note = try SignedNote(
            parsing: Array(try Data(contentsOf: signedByLawyer.appendingPathComponent("data/checkpoint.txt")))
        )
        let lawyerNote = try Checkpoint(note: note).signed(
            by: try NoteSigner(name: BundleFixture.origin, key: try fixture.key("lawyer"))
        )
        try BundleFixture.replaceCheckpoint(in: signedByLawyer, with: lawyerNote)
        try BundleFixture.recomputeManifests(signedByLawyer)
        let notTheLog = try Self.runBash(script, in: signedByLawyer)
        #expect(notTheLog.contains("NOTE: the signature line of \(BundleFixture.origin) is by no key of bank; ignored"))
        #expect(
            notTheLog.contains(
                "FAILED: data/checkpoint.txt carries no valid signature of the log signer bank under \(BundleFixture.origin)"
            )
        )
        #expect(Self.lines(notTheLog, "FAILED: ").count == 1, "\(notTheLog)")
        #expect(Self.lines(notTheLog, "OK: ").count == 1 + governance * 3 + 9 * 4 + 1 + 4 + 3, "\(notTheLog)")
    }

    @Test("without a checkpoint covering the case, bundle says what to run; with --as/--key it signs one")
    func checkpointNeeded() throws {
        let fixture = try BundleFixture(cosigned: false)
        let size = try fixture.caseIndexes().last! + 1
        #expect(try fixture.example.openMortgage("M-3").status == 0)
        let refused = try fixture.bundleCase("M-3")
        #expect(refused.status == 1)
        #expect(
            refused.stderr
                == "countersign: error: no stored checkpoint covers entry \(size) of case 'M-3' (the newest covers \(size) entries): "
                + "run `countersign checkpoint --as PARTY --key FILE` first, or give --as PARTY --key FILE to bundle\n"
        )
        #expect(!FileManager.default.fileExists(atPath: fixture.path("out/bundles/M-3")))
        let signed = try fixture.bundleCase(
            "M-3",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--origin",
            BundleFixture.origin
        )
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(signed.stdout.contains("1 entries, proved in the checkpoint of \(size + 1)"))
        #expect(try fixture.verify(URL(fileURLWithPath: fixture.path("out/bundles/M-3"))).status == 0)
        let unknown = try fixture.bundleCase("M-9")
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "countersign: error: no case 'M-9' in the ledger\n")
    }

    @Test("bundle replaces a bundle of the same case, and refuses any other folder")
    func replacing() throws {
        let fixture = try BundleFixture(cosigned: false)
        #expect(try fixture.bundleCase().status == 0)
        // The report is evaluated at the bundling time; the signed payload is the same bytes.
        let first = try Data(contentsOf: fixture.bundle.appendingPathComponent("data/checkpoint.txt"))
        let again = try fixture.cli.run("bundle", BundleFixture.caseID, "--now", "2026-12-01T10:00:00Z")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Data(contentsOf: fixture.bundle.appendingPathComponent("data/checkpoint.txt")) == first)
        #expect(
            try String(contentsOf: fixture.bundle.appendingPathComponent("bag-info.txt"), encoding: .utf8).contains(
                "Bagging-Date: 2026-12-01"
            )
        )

        #expect(try fixture.example.openMortgage("M-3").status == 0)
        #expect(try fixture.checkpoint().status == 0)
        let other = try fixture.bundleCase("M-3", "--out", fixture.bundle.path)
        #expect(other.status == 1)
        #expect(
            other.stderr.contains(
                "\(fixture.bundle.path) already exists and holds a bundle of another case (External-Identifier: M-2)"
            )
        )
        let notes = fixture.scratch.url.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: notes.appendingPathComponent("todo.txt"))
        let mine = try fixture.bundleCase("M-3", "--out", notes.path)
        #expect(mine.status == 1)
        #expect(mine.stderr.contains("already exists and is not an audit bundle; remove it or choose --out"))
        #expect(try String(contentsOf: notes.appendingPathComponent("todo.txt"), encoding: .utf8) == "keep me")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.path("out/bundles")) == ["M-2"])
        #expect(try fixture.verify(fixture.bundle).status == 0)
    }

    @Test("no bundle path can leave its folder: a case id of '..' is refused, and so is a bag listing an outside file")
    func pathSafety() throws {
        let fixture = try BundleFixture(cosigned: false)
        let dots = try fixture.bundleCase("..")
        #expect(dots.status == 1)
        #expect(dots.stderr.contains("refusing path component \"..\""))
        #expect(!FileManager.default.fileExists(atPath: fixture.path("out/bundles")))

        try fixture.bundleCase()
        let bag = try fixture.copyOfBundle()
        let manifest = bag.appendingPathComponent("manifest-sha512.txt")
        let outside = try Data(contentsOf: URL(fileURLWithPath: fixture.path("out/keys/bank.pem")))
        let line = SHA512.hash(outside).hex + "  data/../../../out/keys/bank.pem\n"
        try (try Data(contentsOf: manifest) + Data(line.utf8)).write(to: manifest)
        let result = try fixture.verify(bag)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                "FAIL: bag: manifest-sha512.txt: path \"data/../../../out/keys/bank.pem\" is not allowed there"
            )
        )
        let missing = try fixture.verify(fixture.scratch.url.appendingPathComponent("no-such-bundle"))
        #expect(missing.status == 3)
        #expect(missing.stderr.hasSuffix("no-such-bundle: no such folder\n"))
    }

    /// Runs a bash script in `folder` and returns what it printed.
    static func runBash(_ script: String, in folder: URL) throws -> String {
        try VerifyGuideScript.run(script, in: folder).output
    }
}

extension FileManager {
    fileprivate func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
