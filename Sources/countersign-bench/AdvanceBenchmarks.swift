import CountersignKit
import Foundation

/// Issue 4: `advance` over 100,000 open cases.
enum AdvanceBenchmarks {
    static let caseCount = 100_000
    static let opened = Date(timeIntervalSince1970: 1_793_600_000)

    static func run() throws {
        Bench.section("Orchestrator (issue 4)")
        // `-v3`: ledgers cached before the consortium moved onto the ledger have no genesis.
        let workspace = try EngineWorkspace.make("advance-workspace-v3", keysFor: ["bank"])
        let seed = workspace.folder.appendingPathComponent("cases-\(caseCount).sqlite")
        try fill(seed, workspace: workspace)
        // Five days after opening: nothing is due yet, as on most nights for most cases.
        let now = opened.addingTimeInterval(5 * 86_400)
        // The first batch over a ledger with no summaries evaluates every case in full: the worst case.
        var full = 0.0
        var nightly = 0.0
        for _ in 0..<2 {
            let copy = workspace.folder.appendingPathComponent("advance-run.sqlite")
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy.path + suffix) }
            try FileManager.default.copyItem(at: seed, to: copy)
            let batch = BatchAdvance(workers: ProcessInfo.processInfo.activeProcessorCount) {
                try workspace.orchestrator(ledger: copy.path)
            }
            var report = BatchAdvance.Report()
            let seconds = try Bench.time { report = try batch.run(now: now) }
            precondition(
                report.evaluated == caseCount && report.openCases == caseCount,
                "every case evaluated and open"
            )
            full = max(full, Double(caseCount) / seconds)
            let again = try Bench.time { report = try batch.run(now: now.addingTimeInterval(86_400)) }
            nightly = max(nightly, Double(caseCount) / again)
        }
        Bench.report(
            "advance, 100,000 open cases, full evaluation",
            value: Bench.perSecond(full) + " cases",
            against: "floor 20,000 cases/s",
            ratio: full / 20_000,
            target: "≥ 1.0",
            met: full >= 20_000
        )
        Bench.report(
            "advance, same cases the next night (summaries)",
            value: Bench.perSecond(nightly) + " cases",
            against: "floor 20,000 cases/s",
            ratio: nightly / 20_000,
            target: "≥ 1.0",
            met: nightly >= 20_000
        )
    }

    /// A ledger of `caseCount` mortgage cases, each opened with its own application and its credit
    /// check signed, after the founding of its consortium (the bank its admin, the example parties
    /// and pipelines in force), built once and reused.
    private static func fill(_ path: URL, workspace: EngineWorkspace) throws {
        let founding = 1 + (workspace.parties.count - 1) + (try workspace.catalog.files().count)
        if FileManager.default.fileExists(atPath: path.path),
            try SQLiteLedgerStore(path: path.path).size() == founding + caseCount * 2
        {
            return
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path.path + suffix) }
        let founded = try workspace.found(ledger: path.path, founder: "bank")
        precondition(founded == founding, "the founding appends the genesis, one entry per party and per pipeline")
        let orchestrator = try workspace.orchestrator(ledger: path.path)
        guard
            let pipeline = try workspace.catalog.pipeline(
                named: "mortgage-approval",
                relativeTo: workspace.catalog.directory
            ),
            let key = workspace.keys["bank"]
        else { fatalError("the bench workspace lacks the mortgage pipeline or the bank key") }
        let store = orchestrator.repository.ledger.store
        var batch: [NewEntry] = []
        for number in 0..<caseCount {
            let caseID = "B-\(number)"
            let document = DocumentUpload(
                name: "application",
                bytes: EngineWorkspace.application(number),
                source: "bench"
            )
            let open = try orchestrator.openEntry(
                pipeline: pipeline,
                caseID: caseID,
                party: "bank",
                key: key,
                documents: [document],
                now: opened
            )
            let leaf = MerkleHash.leaf(open.envelope.bytes)
            let check = try Statement(
                endorsing: open.statement.endorsedDocuments ?? [:],
                predicate: try StepPredicate(
                    pipeline: pipeline.id,
                    pipelineDigest: open.statement.predicate.pipelineDigest,
                    caseID: caseID,
                    step: "credit-check",
                    party: "bank",
                    decision: .approve,
                    signedAt: opened.addingTimeInterval(3_600),
                    previous: leaf
                )
            )
            // The pipeline version's files are in the store already: its proposal stored them.
            batch.append(
                NewEntry(
                    envelope: open.envelope.bytes,
                    caseID: caseID,
                    expectedPrevious: nil,
                    documents: open.documents
                )
            )
            batch.append(
                NewEntry(
                    envelope: try Envelope.sign(statement: check, key: key).bytes,
                    caseID: caseID,
                    expectedPrevious: leaf
                )
            )
            if batch.count >= 10_000 {
                try store.append(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try store.append(batch)
    }
}
