import CountersignKit
import Foundation

/// The consortium on the ledger: a sign-off's checks in a consortium of 1,000 parties and 10,000
/// key events cost within 1.2× of those in a consortium of 5 parties. Every command reads the
/// governance state from the store's derived cache (two look-ups to open it, then one record per
/// key or version asked), never by folding the governance entries of the whole log again.
enum GovernanceBenchmarks {
    /// Measured sign-offs per ledger in process, alternating the two ledgers.
    static let checks = 300
    /// Measured `countersign sign` processes per ledger, alternating the two ledgers.
    static let processes = 15

    static func run() throws {
        Bench.section("Governance at scale (consortium on the ledger)")
        let small = try GovernanceLedger.prepared(parties: 5, keyEvents: 5)
        let large = try GovernanceLedger.prepared(parties: 1_000, keyEvents: 10_000)
        try checksPerCommand(small, large)
        try wholeProcess(small, large)
    }

    /// What one `countersign sign` does for a sign-off, in process: open the store, open the
    /// governance cache (`CaseRepository(ledger:)`), build the step entry and check it without
    /// appending — each time over a fresh store, so nothing is cached in memory across iterations.
    private static func checksPerCommand(_ small: GovernanceLedger, _ large: GovernanceLedger) throws {
        var times: [[Phases]] = [[], []]
        for round in 0..<(checks + 5) {
            for (slot, ledger) in [small, large].enumerated() {
                let phases = try signOff(ledger)
                // The first rounds warm the page cache and the libraries (XSD, libcrypto).
                if round >= 5 { times[slot].append(phases) }
            }
        }
        let smallTime = Bench.median(times[0].map(\.total))
        let largeTime = Bench.median(times[1].map(\.total))
        let ratio = largeTime / smallTime
        Bench.report(
            "sign-off checks at 1,000 parties, 10k keys",
            value: Bench.duration(largeTime),
            against: "5 parties: \(Bench.duration(smallTime))",
            ratio: ratio,
            target: "≤ 1.2",
            met: ratio <= 1.2
        )
        func phase(_ name: String, _ value: (Phases) -> Double) -> String {
            "\(name) \(Bench.duration(Bench.median(times[1].map(value)))) vs \(Bench.duration(Bench.median(times[0].map(value))))"
        }
        print(
            "  (median per phase, large vs small: "
                + [
                    phase("open store", \.open), phase("open governance", \.governance), phase("step entry", \.entry),
                    phase("check", \.check),
                ].joined(separator: ", ") + ")"
        )
        // The one governance question a sign-off's check asks: the signing key, from a fresh cache;
        // and, within it, decoding the governance entry that brought the key into force.
        var lookups: [[Double]] = [[], []]
        var decodes: [[Double]] = [[], []]
        var sizes = [0, 0]
        for _ in 0..<checks {
            for (slot, ledger) in [small, large].enumerated() {
                let store = try SQLiteLedgerStore(path: ledger.workspace.ledgerPath)
                let cache = try GovernanceCache(store: store)
                var key: MemberKey?
                lookups[slot].append(try Bench.time { key = try cache.key(ledger.bankKey.publicKey.keyID) })
                guard let key, let entry = try store.entry(at: key.addedAt) else {
                    fatalError("the bank's key is not in force")
                }
                sizes[slot] = entry.envelope.count
                decodes[slot].append(try Bench.time { _ = try GovernanceEntry(entry) })
            }
        }
        print(
            "  (the signing key's look-up in a fresh governance cache: \(Bench.duration(Bench.median(lookups[1]))) "
                + "vs \(Bench.duration(Bench.median(lookups[0]))); decoding the entry that brought it into force: "
                + "\(Bench.duration(Bench.median(decodes[1]))) for \(sizes[1]) bytes vs "
                + "\(Bench.duration(Bench.median(decodes[0]))) for \(sizes[0]) bytes)"
        )
    }

    /// The time each part of one in-process sign-off took.
    private struct Phases {
        var open = 0.0
        var governance = 0.0
        var entry = 0.0
        var check = 0.0
        var total: Double { open + governance + entry + check }
    }

    private static func signOff(_ ledger: GovernanceLedger) throws -> Phases {
        var phases = Phases()
        var store: SQLiteLedgerStore?
        phases.open = try Bench.time { store = try SQLiteLedgerStore(path: ledger.workspace.ledgerPath) }
        var repository: CaseRepository?
        phases.governance = try Bench.time { repository = try CaseRepository(ledger: Ledger(store: store!)) }
        let orchestrator = Orchestrator(repository: repository!) { _, _ in nil }
        var entry: SignedEntry?
        phases.entry = try Bench.time {
            entry = try orchestrator.stepEntry(
                caseID: GovernanceLedger.caseID,
                step: "credit-check",
                party: "bank",
                key: ledger.bankKey,
                documents: [],
                note: nil,
                rejectReason: nil,
                now: GovernanceLedger.signedAt
            )
        }
        phases.check = try Bench.time { try orchestrator.check(entry!, now: GovernanceLedger.signedAt) }
        return phases
    }

    /// The whole `countersign sign --offline` process on each ledger (nothing is appended, so every
    /// run signs the same step of the same case).
    private static func wholeProcess(_ small: GovernanceLedger, _ large: GovernanceLedger) throws {
        var times: [[Double]] = [[], []]
        for round in 0..<(processes + 1) {
            for (slot, ledger) in [small, large].enumerated() {
                let seconds = try Bench.time { try sign(ledger) }
                if round >= 1 { times[slot].append(seconds) }
            }
        }
        let smallTime = Bench.median(times[0])
        let largeTime = Bench.median(times[1])
        let ratio = largeTime / smallTime
        Bench.report(
            "sign --offline (process) at 1,000 parties",
            value: Bench.duration(largeTime),
            against: "5 parties: \(Bench.duration(smallTime))",
            ratio: ratio,
            target: "≤ 1.2",
            met: ratio <= 1.2
        )
    }

    private static func sign(_ ledger: GovernanceLedger) throws {
        try ledger.workspace.countersign([
            "sign", GovernanceLedger.caseID, "credit-check", "--as", "bank", "--key", "out/keys/bank.pem",
            "--now", Timestamp.format(GovernanceLedger.signedAt), "--offline", "out/credit-check.dsse.json", "-q",
        ])
    }
}

/// A bench workspace whose ledger holds a consortium of `parties` members (the five signers of a
/// five-party mortgage approval, then `member-0006`…) with `keyEvents` keys brought into force in
/// all: one per member as it joins, the rest rotations, each a party's own proposal of its file
/// with one more key, signed by its current key and the new one. One mortgage case is open.
struct GovernanceLedger {
    let workspace: BenchWorkspace
    /// The bank's newest key (also in `out/keys/bank.pem`).
    let bankKey: Ed25519PrivateKey

    static let caseID = "G-1"
    static let openedAt = Date(timeIntervalSince1970: 1_793_610_000)  // 2026-11-02T09:00:00Z
    static let signedAt = openedAt.addingTimeInterval(1_800)

    /// The mortgage approval's signers when only five parties exist: one lawyer, two directors.
    static let signers = ["bank", "director-a", "director-b", "lawyer", "registry"]

    /// The workspace for this size, built once and reused while it is complete (`-v3`: ledgers
    /// cached before the consortium moved onto the ledger are never reused).
    static func prepared(parties: Int, keyEvents: Int) throws -> GovernanceLedger {
        precondition(parties >= signers.count && keyEvents >= parties, "every member joins with a key")
        let url = Bench.dataFolder.appendingPathComponent("governance-\(parties)-\(keyEvents)-v3")
        let workspace = BenchWorkspace.existing(url)
        let rotations = keyEvents - parties
        // The genesis, one entry per other member, the pipeline, the rotations, the case.
        let expected = 1 + (parties - 1) + 1 + rotations + 1
        let built = url.appendingPathComponent("out/built")
        if FileManager.default.fileExists(atPath: built.path), (try? workspace.ledgerSize()) == expected {
            return GovernanceLedger(
                workspace: workspace,
                bankKey: try KeyFile.load(url.appendingPathComponent("out/keys/bank.pem").path)
            )
        }
        try? FileManager.default.removeItem(at: url)
        let started = Date()
        let ledger = try build(workspace, parties: parties, rotations: rotations)
        let size = try workspace.ledgerSize()
        precondition(size == expected, "the ledger holds \(size) entries, not \(expected)")
        try Data().write(to: built)
        print(
            "  (built \(url.lastPathComponent): \(parties) parties, \(keyEvents) key events, \(size) entries "
                + "in \(Int(Date().timeIntervalSince(started))) s)"
        )
        return ledger
    }

    /// The key of `party` brought into force by its key event number `generation` (0: as it joins).
    private static func key(_ party: String, _ generation: Int) throws -> Ed25519PrivateKey {
        try Ed25519PrivateKey(
            seed: SHA256.hash(Array("countersign bench governance \(party) \(generation)".utf8)).bytes
        )
    }

    private static func build(
        _ workspace: BenchWorkspace,
        parties count: Int,
        rotations: Int
    ) throws -> GovernanceLedger {
        let url = workspace.url
        let files = FileManager.default
        let root = URL(fileURLWithPath: files.currentDirectoryPath)
        let pipelines = url.appendingPathComponent("pipelines")
        try files.createDirectory(at: pipelines, withIntermediateDirectories: true)
        try files.createDirectory(at: url.appendingPathComponent("parties"), withIntermediateDirectories: true)
        try files.createDirectory(at: url.appendingPathComponent("out/keys"), withIntermediateDirectories: true)
        try files.copyItem(
            at: root.appendingPathComponent("pipelines/schemas"),
            to: pipelines.appendingPathComponent("schemas")
        )
        try Data(try fivePartyMortgage(root)).write(to: pipelines.appendingPathComponent("mortgage-approval.yaml"))

        // Party files as their parties write them: the example files for the signers, one key each.
        let ids = signers + (signers.count..<count).map { String(format: "member-%04d", $0 + 1) }
        var current: [String: Ed25519PrivateKey] = [:]
        var partyFiles: [String: Party] = [:]
        for id in ids {
            let key = try key(id, 0)
            let path = "parties/\(id).yaml"
            let example = root.appendingPathComponent(path)
            let existing = files.fileExists(atPath: example.path) ? Array(try Data(contentsOf: example)) : nil
            let name = existing == nil ? "Member \(id.dropFirst("member-".count))" : nil
            let bytes = try PartyFile.adding(key.publicKey, to: existing, party: id, name: name, path: path)
            partyFiles[id] = try Party(bytes: bytes, path: path)
            current[id] = key
        }
        let pipeline = try Pipeline(
            contentsOf: pipelines.appendingPathComponent("mortgage-approval.yaml"),
            path: "pipelines/mortgage-approval.yaml",
            parties: Set(ids)
        )

        // One consortium object throughout, so its state in memory carries from entry to entry.
        let ledger = Ledger(store: try SQLiteLedgerStore(path: workspace.ledgerPath))
        let consortium = Consortium(ledger: ledger)
        try consortium.bootstrap(
            founder: partyFiles["bank"]!,
            parties: ids.map { partyFiles[$0]! },
            keys: current,
            pipelines: [pipeline],
            origin: "countersign.local/\(url.lastPathComponent)",
            at: BenchConsortium.founding
        )
        for number in 0..<rotations {
            let id = ids[number % ids.count]
            let generation = number / ids.count + 1
            let key = try key(id, generation)
            let path = "parties/\(id).yaml"
            let file = try Party(
                bytes: try PartyFile.adding(key.publicKey, to: partyFiles[id]!.bytes, party: id, name: nil, path: path),
                path: path
            )
            let receipt = try consortium.propose(
                member: file,
                as: id,
                keys: [current[id]!, key],
                signedAt: BenchConsortium.founding.addingTimeInterval(Double(number + 1))
            )
            precondition(receipt.inForce, "a rotation is in force at once")
            partyFiles[id] = file
            current[id] = key
        }
        for (id, file) in partyFiles {
            try Data(file.bytes).write(to: url.appendingPathComponent("parties/\(id).yaml"))
        }
        let bankKey = current["bank"]!
        try KeyFile.write(bankKey, to: url.appendingPathComponent("out/keys/bank.pem").path, overwrite: true)

        // The case every measurement signs a step of.
        let orchestrator = Orchestrator(repository: try CaseRepository(ledger: ledger)) { _, _ in nil }
        let application = root.appendingPathComponent("pipelines/samples/mortgage-approval/application-large.xml")
        try orchestrator.submit(
            try orchestrator.openEntry(
                pipeline: pipeline,
                caseID: caseID,
                party: "bank",
                key: bankKey,
                documents: [
                    DocumentUpload(
                        name: "application",
                        bytes: Array(try Data(contentsOf: application)),
                        source: application.path
                    )
                ],
                now: openedAt
            ),
            now: openedAt
        )

        // The ledger must be one `log verify` accepts, its consortium the one intended.
        let audit = try LogAudit(store: ledger.store).run()
        guard audit.report.problems.isEmpty else {
            fatalError("the governance bench ledger does not verify: \(audit.report.problems.prefix(5))")
        }
        precondition(
            audit.governance.members.count == count && audit.governance.keys.count == count + rotations,
            "the consortium holds \(audit.governance.members.count) members and \(audit.governance.keys.count) keys"
        )
        return GovernanceLedger(workspace: workspace, bankKey: bankKey)
    }

    /// The example mortgage approval with five signers: the legal review by the one lawyer, the
    /// board's quorum of two of two directors. Everything else (schemas, rules, steps) as it is.
    private static func fivePartyMortgage(_ root: URL) throws -> [UInt8] {
        var text = String(
            decoding: try Data(contentsOf: root.appendingPathComponent("pipelines/mortgage-approval.yaml")),
            as: UTF8.self
        )
        for (from, to) in [
            ("by: { any: [lawyer, lawyer-partner] }", "by: lawyer"),
            ("of: [director-a, director-b, director-c]", "of: [director-a, director-b]"),
        ] {
            guard text.contains(from) else { fatalError("pipelines/mortgage-approval.yaml no longer says `\(from)`") }
            text = text.replacingOccurrences(of: from, with: to)
        }
        return Array(text.utf8)
    }
}
