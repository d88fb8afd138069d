import CountersignKit
import Foundation

/// Issue 14: 100,000 offline-signed envelopes in the inbox, ingested by one `reconcile`, against
/// the 5,000 envelopes/s target and the raw append rate of the store (the floor: appending the
/// same envelopes straight to a store in batches).
enum IngestBenchmarks {
    /// `COUNTERSIGN_BENCH_ENVELOPES` sets another count (for profiling a shorter run).
    static let envelopes =
        ProcessInfo.processInfo.environment["COUNTERSIGN_BENCH_ENVELOPES"].flatMap { Int($0) } ?? 100_000

    static func run() throws {
        Bench.section("Inbox ingest (issue 14)")
        let workspace = try BenchWorkspace.prepared("ingest-1k", entries: 1_000, slack: 1)
        var cases = try CompletedCases(workspace: workspace.url)
        cases.start = Date().addingTimeInterval(-Double(envelopes) * 40 - 3_600)
        let entries = try cases.openings(prefix: "I", count: envelopes)
        let application = try DocumentUpload(
            name: "application",
            bytes: Array(
                try Data(
                    contentsOf: workspace.url.appendingPathComponent(
                        "pipelines/samples/mortgage-approval/application-large.xml"
                    )
                )
            ),
            source: "application-large.xml"
        )
        let inbox = workspace.url.appendingPathComponent("out/inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        for (number, entry) in entries.enumerated() {
            try OfflineSubmission(envelope: entry.envelope, documents: [application]).write(
                to: inbox.appendingPathComponent(String(format: "%06d.dsse.json", number)).path
            )
        }
        let floor = try rawAppendRate(entries)
        let result = try workspace.countersign([
            "reconcile", "--quiet", "--json", "--now", Timestamp.format(Date().addingTimeInterval(3_600)), "--as",
            "bank",
            "--key", workspace.url.appendingPathComponent("out/keys/bank.pem").path,
        ])
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let counts = report["counts"] as! [String: Any]
        precondition(counts["inboxAccepted"] as? Int == envelopes, "every envelope accepted: \(counts)")
        let seconds = (report["timings"] as! [String: Double])["ingest"]!
        let rate = Double(envelopes) / seconds
        Bench.report(
            "reconcile ingest, \(envelopes) envelopes",
            value: Bench.perSecond(rate),
            against: "target 5,000/s; raw append \(Bench.perSecond(floor))",
            ratio: rate / 5_000,
            target: "≥ 1.0",
            met: rate >= 5_000
        )
    }

    /// The same envelopes appended straight to a fresh SQLite store, 512 to a transaction.
    private static func rawAppendRate(_ entries: [NewEntry]) throws -> Double {
        let path = Bench.dataFolder.appendingPathComponent("ingest-floor.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try SQLiteLedgerStore(path: path)
        let plain = entries.map { NewEntry(envelope: $0.envelope) }
        let seconds = try Bench.time {
            for start in stride(from: 0, to: plain.count, by: 512) {
                try store.append(Array(plain[start..<min(start + 512, plain.count)]))
            }
        }
        return Double(plain.count) / seconds
    }
}
