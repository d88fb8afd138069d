import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Batches of several processes on one PostgreSQL ledger")
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
    ) throws -> (parties: PartyRegistry, catalog: PipelineCatalog, keys: [String: Ed25519PrivateKey]) {
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
            try KeyFile.write(key, to: folder.path("keys/\(party).pem"), overwrite: false)
            keys[party] = key
        }
        return try loaded(folder.url)
    }

    static func loaded(
        _ folder: URL
    ) throws -> (parties: PartyRegistry, catalog: PipelineCatalog, keys: [String: Ed25519PrivateKey]) {
        let parties = try PartyRegistry.load(
            directory: folder.appendingPathComponent("parties"),
            displayPath: "parties"
        )
        let catalog = PipelineCatalog(
            directory: folder.appendingPathComponent("pipelines"),
            displayPath: "pipelines",
            parties: parties.partyIDs
        )
        var keys: [String: Ed25519PrivateKey] = [:]
        for party in ["retailer", "operator"] {
            keys[party] = try KeyFile.load(folder.appendingPathComponent("keys/\(party).pem").path)
        }
        return (parties, catalog, keys)
    }

    /// Lottery cases whose automatic prize determination is ready, appended without the operator's
    /// key at hand, so the batch must fire it.
    static func fill(
        _ store: any LedgerStore,
        parties: PartyRegistry,
        catalog: PipelineCatalog,
        keys: [String: Ed25519PrivateKey]
    ) throws {
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
            let steps: [(String, String, StepPredicate.Decision, [Statement.Subject])] = [
                ("open", "retailer", .open, [try .init(name: "ticket", sha256: ticketPrint.digest)]),
                ("check-ticket", "retailer", .approve, []),
                ("record-draw", "operator", .approve, [try .init(name: "draw-result", sha256: drawPrint.digest)]),
            ]
            for (offset, (step, party, decision, subjects)) in steps.enumerated() {
                let statement = Statement(
                    subjects: subjects,
                    predicate: try StepPredicate(
                        pipeline: pipeline.id,
                        pipelineDigest: digest,
                        caseID: caseID,
                        step: step,
                        party: party,
                        decision: decision,
                        signedAt: now.addingTimeInterval(Double(offset - 10) * 60),
                        previous: previous
                    )
                )
                let envelope = try Envelope.sign(statement: statement, key: keys[party]!)
                var documents: [StoredDocument] = []
                if number == 0 && offset == 0 {
                    documents = [
                        StoredDocument(fingerprint: pipeline.digest, bytes: pipeline.bytes),
                        StoredDocument(fingerprint: ticketPrint.description, bytes: ticket),
                        StoredDocument(fingerprint: drawPrint.description, bytes: draw),
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

    @Test("two batch processes over 10,000 open cases at once: each case advanced exactly once, the work split")
    func twoProcesses() throws {
        let server = try PostgresServer.running()
        let url = server.url(database: try server.createDatabase())
        let folder = TemporaryDirectory()
        let (parties, catalog, keys) = try Self.workspace(in: folder)
        let store = try PostgresLedgerStore(url: url)
        try Self.fill(store, parties: parties, catalog: catalog, keys: keys)
        #expect(try store.size() == Self.caseCount * 3)

        let workers = try (0..<2).map { worker in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            process.arguments = ["--testing-library", "swift-testing", "--filter", "batchWorker"]
            process.environment = ProcessInfo.processInfo.environment.merging([
                Self.workerVariable: [url, folder.url.path, folder.path("worker-\(worker).txt")].joined(separator: "|")
            ]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for worker in workers {
            worker.waitUntilExit()
            #expect(worker.terminationStatus == 0)
        }
        let evaluated = try (0..<2).map { worker in
            Int(
                try String(contentsOfFile: folder.path("worker-\(worker).txt"), encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines
                )
            )!
        }
        #expect(evaluated.reduce(0, +) == Self.caseCount, "each case evaluated once in all: \(evaluated)")
        #expect(evaluated.allSatisfy { $0 > 0 }, "both processes took a share: \(evaluated)")
        #expect(try store.size() == Self.caseCount * 4)
        var autoEntries: [String: Int] = [:]
        try store.forEachEntry(in: (Self.caseCount * 3)..<(Self.caseCount * 4)) { entry in
            let predicate = try Envelope(bytes: entry.envelope).statement().predicate
            #expect(predicate.step == "determine-prize" && predicate.decision == .auto)
            autoEntries[predicate.caseID, default: 0] += 1
        }
        #expect(autoEntries.count == Self.caseCount && autoEntries.values.allSatisfy { $0 == 1 })
    }

    /// One batch process, run only when `twoProcesses` starts it: advances the shared run and
    /// writes how many cases it evaluated.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[workerVariable] != nil))
    func batchWorker() throws {
        let parts = ProcessInfo.processInfo.environment[Self.workerVariable]!.split(separator: "|").map(String.init)
        let (url, folder, output) = (parts[0], URL(fileURLWithPath: parts[1]), parts[2])
        let (parties, catalog, keys) = try Self.loaded(folder)
        let batch = BatchAdvance(workers: 1) {
            Orchestrator(
                repository: CaseRepository(
                    ledger: Ledger(store: try PostgresLedgerStore(url: url)),
                    parties: parties,
                    pipelineDirectory: catalog.directory
                ),
                catalog: catalog
            ) { keys[$0] }
        }
        let report = try batch.run(now: Self.now, run: "night-of-test")
        try "\(report.evaluated)\n".write(toFile: output, atomically: true, encoding: .utf8)
    }
}
