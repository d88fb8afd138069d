import CountersignKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Issues 5 and 6: `reconcile` over 1,000,000 entries — verification throughput against the raw
/// Ed25519 verify floor of both cores, peak memory, and the speed-up of two workers over one.
enum ReconcileBenchmarks {
    static func run() throws {
        Bench.section("Nightly reconcile (issues 5 and 6)")
        let workspace = try BenchWorkspace.prepared("sign-1M", entries: 1_000_000, slack: 20_000)
        let size = try workspace.ledgerSize()
        // The first run builds the case summaries; the timed runs then do a normal night's work.
        _ = try reconcile(workspace, workers: 2, night: 0)
        var best: [Int: (verify: Double, total: Double, memory: Int)] = [:]
        for round in 1...2 {
            for workers in [1, 2] {
                let run = try reconcile(workspace, workers: workers, night: round * 2 + workers)
                let previous = best[workers]
                best[workers] = (
                    min(previous?.verify ?? .infinity, run.verify),
                    min(previous?.total ?? .infinity, run.total),
                    max(previous?.memory ?? 0, run.memory)
                )
            }
        }
        let oneCore = try CryptoBenchmarks.rawVerifyRate(
            key: try Ed25519PrivateKey(),
            message: Array(repeating: 0x41, count: 700)
        )
        let floor = 2 * oneCore
        let two = best[2]!
        let one = best[1]!
        let rate = Double(size) / two.verify
        Bench.report(
            "reconcile verify, \(size) entries, 2 workers",
            value: Bench.perSecond(rate),
            against: "2 × raw verify \(Bench.perSecond(floor))",
            ratio: rate / floor,
            target: "≥ 0.8",
            met: rate / floor >= 0.8
        )
        let megabytes = Double(two.memory) / 1024
        Bench.report(
            "reconcile peak memory, \(size) entries",
            value: String(format: "%.0f MB", megabytes),
            against: "ceiling 300 MB",
            ratio: megabytes / 300,
            target: "≤ 1.0",
            met: megabytes <= 300
        )
        let speedup = one.verify / two.verify
        Bench.report(
            "reconcile verify, 2 workers vs 1",
            value: String(format: "%.1f s vs %.1f s", two.verify, one.verify),
            against: "1 worker",
            ratio: speedup,
            target: "≥ 1.7",
            met: speedup >= 1.7
        )
        let wholeSpeedup = one.total / two.total
        Bench.report(
            "reconcile whole run, 2 workers vs 1",
            value: String(format: "%.1f s vs %.1f s", two.total, one.total),
            against: "1 worker",
            ratio: wholeSpeedup,
            target: "≥ 1.7",
            met: wholeSpeedup >= 1.7
        )
    }

    /// One `countersign reconcile` process: its verify phase and whole run in seconds, and its
    /// peak resident memory in KiB.
    private static func reconcile(
        _ workspace: BenchWorkspace,
        workers: Int,
        night: Int
    ) throws -> (verify: Double, total: Double, memory: Int) {
        let now = Timestamp.format(Date(timeIntervalSince1970: 1_795_000_000 + Double(night) * 86_400))
        var before = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &before)
        var report: [String: Any] = [:]
        let total = try Bench.time {
            let result = try workspace.countersign([
                // --full: this measures verifying the whole ledger, not a night's new entries.
                "reconcile", "--quiet", "--json", "--full", "--workers", String(workers), "--now", now,
                "--as", "bank", "--key", workspace.url.appendingPathComponent("out/keys/bank.pem").path,
            ])
            report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        }
        var after = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &after)
        let timings = report["timings"] as! [String: Double]
        return (timings["verify"]!, total, after.ru_maxrss)
    }
}
