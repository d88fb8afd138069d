import CountersignKit
import Foundation

/// Issue 14: a night's cost follows the night's work, not the size of the ledger. The same night —
/// 10,000 new entries, each opening a case the batch then evaluates — is timed on a 10,000-entry
/// ledger and on larger ones (100,000 and 1,000,000 entries; 10,000,000 with
/// `COUNTERSIGN_BENCH_10M=1`), each reconcile verifying what is new since the tree the night before
/// verified. Each night's phases are printed too: docs/SCALE.md's table.
enum NightlyBenchmarks {
    static let newEntries = 10_000

    static func run() throws {
        Bench.section("Nightly cost follows the night's work (issue 14)")
        let largeSize = ProcessInfo.processInfo.environment["COUNTERSIGN_BENCH_10M"] == nil ? 1_000_000 : 10_000_000
        let small = try night(try BenchWorkspace.prepared("night-10k", entries: 10_000, slack: 5_000))
        var nights = [small]
        for size in [100_000, 1_000_000, 10_000_000] where size <= largeSize {
            nights.append(try night(try BenchWorkspace.prepared("night-\(size)", entries: size, slack: size)))
        }
        for night in nights {
            let phases = night.phases.sorted { $0.key < $1.key }.map { String(format: "%@ %.2f s", $0.key, $0.value) }
            print(
                "  night on \(night.size) entries: \(String(format: "%.2f s", night.seconds)) — "
                    + phases.joined(separator: ", ")
            )
        }
        let large = nights.last!
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
    /// `reconcile` is timed. Returns the ledger size it ran on, its wall time and the seconds of
    /// each phase its report gives.
    private static func night(
        _ workspace: BenchWorkspace
    ) throws -> (
        size: Int, seconds: Double, phases: [String: Double]
    ) {
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
        var report = Shell.Result(status: 0, stdout: "", stderr: "")
        let seconds = try Bench.time {
            report = try reconcile(workspace, state: state, at: try ledgerTime(of: workspace))
        }
        let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
        return (size, seconds, json?["timings"] as? [String: Double] ?? [:])
    }

    /// A moment after the newest log time of the workspace's ledger (the store gives entries
    /// appended without one this machine's time), for `--now` on its simulated clock.
    private static func ledgerTime(of workspace: BenchWorkspace) throws -> Date {
        let store = try SQLiteLedgerStore(path: workspace.ledgerPath)
        return max(try store.newestLogTime() ?? Date(), Date()).addingTimeInterval(3_600)
    }

    @discardableResult
    private static func reconcile(_ workspace: BenchWorkspace, state: String, at now: Date) throws -> Shell.Result {
        try workspace.countersign([
            "reconcile", "--quiet", "--json", "--state", state, "--now", Timestamp.format(now), "--as", "bank",
            "--key", workspace.url.appendingPathComponent("out/keys/bank.pem").path,
        ])
    }
}
