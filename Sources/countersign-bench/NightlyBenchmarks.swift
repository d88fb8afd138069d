import CountersignKit
import Foundation

/// Issue 14: a night's cost follows the night's work, not the size of the ledger. The same night —
/// 10,000 new entries, each opening a case the batch then evaluates — is timed on a 10,000-entry
/// ledger and on a large one (1,000,000 entries; 10,000,000 with `COUNTERSIGN_BENCH_10M=1`), each
/// reconcile verifying what is new since the tree the night before verified.
enum NightlyBenchmarks {
    static let newEntries = 10_000

    static func run() throws {
        Bench.section("Nightly cost follows the night's work (issue 14)")
        let largeSize = ProcessInfo.processInfo.environment["COUNTERSIGN_BENCH_10M"] == nil ? 1_000_000 : 10_000_000
        let small = try night(try BenchWorkspace.prepared("night-10k", entries: 10_000, slack: 5_000))
        let large = try night(try BenchWorkspace.prepared("night-\(largeSize)", entries: largeSize, slack: 1_000_000))
        let ratio = large.seconds / small.seconds
        Bench.report(
            "night of \(newEntries) new entries, \(large.size / 1_000)k ledger",
            value: String(format: "%.2f s", large.seconds),
            against: String(format: "the same on %dk: %.2f s", small.size / 1_000, small.seconds),
            ratio: ratio,
            target: "≤ 1.5",
            met: ratio <= 1.5
        )
    }

    /// One night on `workspace`: the night before is reconciled first (verifying whatever it has
    /// not verified yet), then `newEntries` cases are opened straight in the store and one
    /// `reconcile` is timed. Returns the ledger size it ran on and its wall time.
    private static func night(_ workspace: BenchWorkspace) throws -> (size: Int, seconds: Double) {
        let state = workspace.url.appendingPathComponent("verified-state").path
        let before = try ledgerTime(of: workspace)
        try reconcile(workspace, state: state, at: before)
        // Signed over the last days (40 s apart), so the log time the store gives them is later.
        var cases = try CompletedCases(workspace: workspace.url)
        cases.start = Date().addingTimeInterval(-Double(newEntries) * 40 - 3_600)
        let store = try SQLiteLedgerStore(path: workspace.ledgerPath)
        let prefix = "N\(Int(before.timeIntervalSince1970))"
        try store.append(try cases.openings(prefix: prefix, count: newEntries))
        let size = try store.size()
        let seconds = try Bench.time {
            try reconcile(workspace, state: state, at: try ledgerTime(of: workspace))
        }
        return (size, seconds)
    }

    /// A moment after the newest log time of the workspace's ledger (the store gives entries
    /// appended without one this machine's time), for `--now` on its simulated clock.
    private static func ledgerTime(of workspace: BenchWorkspace) throws -> Date {
        let store = try SQLiteLedgerStore(path: workspace.ledgerPath)
        return max(try store.newestLogTime() ?? Date(), Date()).addingTimeInterval(3_600)
    }

    private static func reconcile(_ workspace: BenchWorkspace, state: String, at now: Date) throws {
        try workspace.countersign([
            "reconcile", "--quiet", "--json", "--state", state, "--now", Timestamp.format(now), "--as", "bank",
            "--key", workspace.url.appendingPathComponent("out/keys/bank.pem").path,
        ])
    }
}
