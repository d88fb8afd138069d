import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Nightly batches of several processes on one PostgreSQL ledger")
struct BatchSplitTests {
    static let workerVariable = "COUNTERSIGN_TEST_BATCH_WORKER"
    static let caseCount = 10_000
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    /// The package root, where the example pipelines and parties are.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A workspace with the example pipelines and parties, and keys for the lottery parties.
    static func workspace(
        in folder: TemporaryDirectory
    ) throws -> (parties: [Party], catalog: PipelineCatalog, keys: [String: Ed25519PrivateKey]) {
        for sub in ["pipelines", "parties"] {
            try FileManager.default.copyItem(
                at: root.appendingPathComponent(sub),
                to: folder.url.appendingPathComponent(sub)
            )
        }
        var keys: [String: Ed25519PrivateKey] = [:]
        for party in ["retailer", "operator"] {
            let key = try Ed25519PrivateKey()
            try PartyFile.register(
                key.publicKey,
                party: party,
                directory: folder.url.appendingPathComponent("parties"),
                displayPath: "parties"
            )
            try KeyFile.write(key, to: folder.path("out/keys/\(party).pem"), overwrite: false)
            keys[party] = key
        }
        let partyFolder = folder.url.appendingPathComponent("parties")
        let parties = try FileManager.default.contentsOfDirectory(atPath: partyFolder.path).sorted().map { name in
            try Party(
                bytes: Array(try Data(contentsOf: partyFolder.appendingPathComponent(name))),
                path: "parties/\(name)"
            )
        }
        let catalog = PipelineCatalog(
            directory: folder.url.appendingPathComponent("pipelines"),
            displayPath: "pipelines",
            parties: nil
        )
        return (parties, catalog, keys)
    }

    /// Entries the founding appends: the genesis, the other parties, the pipelines.
    static func founding(_ parties: [Party], _ catalog: PipelineCatalog) throws -> Int {
        parties.count + (try catalog.files().count)
    }

    /// The consortium founded by the operator (the log signer), then lottery cases whose automatic
    /// prize determination is ready, appended without the operator's key at hand, so the batch must
    /// fire it.
    static func fill(
        _ store: any LedgerStore,
        parties: [Party],
        catalog: PipelineCatalog,
        keys: [String: Ed25519PrivateKey]
    ) throws {
        try Consortium(ledger: Ledger(store: store)).bootstrap(
            founder: parties.first { $0.id == "operator" }!,
            parties: parties,
            keys: keys,
            pipelines: try catalog.files().map { try catalog.load($0) },
            origin: "countersign.test/batch",
            at: now.addingTimeInterval(-86_400)
        )
        let pipeline = try #require(try catalog.pipeline(named: "lotto-claim", relativeTo: catalog.directory))
        let samples = root.appendingPathComponent("pipelines/samples/lotto-claim")
        let ticket = Array(try Data(contentsOf: samples.appendingPathComponent("ticket-winning.xml")))
        let draw = Array(try Data(contentsOf: samples.appendingPathComponent("draw-result.xml")))
        let ticketPrint = try XMLDocument(bytes: ticket, source: "ticket").fingerprint()
        let drawPrint = try XMLDocument(bytes: draw, source: "draw").fingerprint()
        let digest = try #require(Digest(hex: pipeline.digest.dropFirst("sha256:".count)))
        var batch: [NewEntry] = []
        for number in 0..<caseCount {
            let caseID = "L-\(number)"
            var previous: Digest?
            // step/v2 entries: each endorses the case's documents after it and names what it attaches.
            let ticketAttached = StepPredicate.AttachedDocument(name: "ticket", sha256: SHA256.hash(ticket))
            let drawAttached = StepPredicate.AttachedDocument(name: "draw-result", sha256: SHA256.hash(draw))
            let withTicket = ["ticket": ticketPrint.digest]
            let withDraw = ["ticket": ticketPrint.digest, "draw-result": drawPrint.digest]
            let steps: [(String, String, StepPredicate.Decision, [String: Digest], [StepPredicate.AttachedDocument])] =
                [
                    ("open", "retailer", .open, withTicket, [ticketAttached]),
                    ("check-ticket", "retailer", .approve, withTicket, []),
                    ("record-draw", "operator", .approve, withDraw, [drawAttached]),
                ]
            for (offset, (step, party, decision, endorsed, attaches)) in steps.enumerated() {
                let statement = try Statement(
                    endorsing: endorsed,
                    predicate: try StepPredicate(
                        pipeline: pipeline.id,
                        pipelineDigest: digest,
                        caseID: caseID,
                        step: step,
                        party: party,
                        decision: decision,
                        signedAt: now.addingTimeInterval(Double(offset - 10) * 60),
                        previous: previous,
                        attaches: attaches
                    )
                )
                let envelope = try Envelope.sign(statement: statement, key: keys[party]!)
                var documents: [StoredDocument] = []
                if number == 0 && offset == 0 {
                    documents = [
                        StoredDocument(exactBytes: ticket),
                        StoredDocument(exactBytes: draw),
                    ]
                }
                batch.append(
                    NewEntry(envelope: envelope.bytes, caseID: caseID, expectedPrevious: previous, documents: documents)
                )
                previous = MerkleHash.leaf(envelope.bytes)
            }
            if batch.count >= 6_000 {
                try store.append(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try store.append(batch)
    }

    /// The `countersign` executable SwiftPM built beside this test bundle.
    static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("countersign")

    @Test("two reconcile processes over 10,000 open cases at once: each case advanced exactly once, the work split")
    func twoReconcileProcesses() throws {
        let server = try PostgresServer.running()
        let url = server.url(database: try server.createDatabase())
        let folder = TemporaryDirectory()
        let (parties, catalog, keys) = try Self.workspace(in: folder)
        let store = try PostgresLedgerStore(url: url)
        try Self.fill(store, parties: parties, catalog: catalog, keys: keys)
        let founding = try Self.founding(parties, catalog)
        #expect(try store.size() == founding + Self.caseCount * 3)

        let common = [
            "reconcile", "--json", "--ledger", url, "--run", "night-of-test", "--now", Timestamp.format(Self.now),
            "--workers", "1",
        ]
        let runs = [common + ["--as", "operator", "--key", "out/keys/operator.pem"], common + ["--no-checkpoint"]]
        let processes = try runs.enumerated().map { number, arguments in
            let process = Process()
            process.executableURL = Self.executable
            process.arguments = arguments
            process.currentDirectoryURL = folder.url
            process.standardOutput = try FileHandle(forWritingTo: Self.emptyFile(folder.path("out-\(number).json")))
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let evaluated = try (0..<2).map { number in
            let report =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: folder.path("out-\(number).json")))
                ) as! [String: Any]
            return (report["counts"] as! [String: Any])["casesEvaluated"] as! Int
        }
        #expect(evaluated.reduce(0, +) == Self.caseCount, "each case evaluated once in all: \(evaluated)")
        #expect(evaluated.allSatisfy { $0 > 0 }, "both processes took a share: \(evaluated)")
        #expect(try store.size() == founding + Self.caseCount * 4)
        var autoEntries: [String: Int] = [:]
        try store.forEachEntry(in: (founding + Self.caseCount * 3)..<(founding + Self.caseCount * 4)) { entry in
            let predicate = try Envelope(bytes: entry.envelope).statement().predicate
            #expect(predicate.step == "determine-prize" && predicate.decision == .auto)
            autoEntries[predicate.caseID, default: 0] += 1
        }
        #expect(autoEntries.count == Self.caseCount && autoEntries.values.allSatisfy { $0 == 1 })
        #expect(try store.checkpoints().count == 1, "only the designated machine signed a checkpoint")
    }

    static func emptyFile(_ path: String) -> URL {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return URL(fileURLWithPath: path)
    }
}
