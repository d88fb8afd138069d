import CountersignKit
import Foundation
import TestSupport
import Testing

/// Faults of the machine under the built binary: a full disk, a read-only ledger, an unwritable
/// inbox, SIGKILL (`+Kills`) and a PostgreSQL server stopped mid-batch (`+PostgreSQL`). Each run a
/// fault hits must fail with exit 3 and a message naming what failed, leave nothing half-written,
/// and the re-run must complete with every envelope appended once and `log verify` passing.
@Suite("fault injection")
struct FaultInjectionTests {
    static let night = "2026-12-01T02:00:00Z"

    /// Every envelope appended after the founding, in log order.
    static func appended(_ w: ExampleWorkspace) throws -> [[UInt8]] {
        let store = try w.store()
        var envelopes: [[UInt8]] = []
        try store.forEachEntry(in: w.foundingEntries..<store.size()) { envelopes.append($0.envelope) }
        return envelopes
    }

    /// Whether the ledger holds only envelopes of `valid`, none twice, and passes `log verify`.
    static func nothingDuplicated(_ w: ExampleWorkspace, valid: Set<[UInt8]>) throws -> Bool {
        let envelopes = try appended(w)
        let verify = try w.cli.run("log", "verify")
        #expect(verify.status == 0, "\(verify.stderr)")
        return Set(envelopes).count == envelopes.count && Set(envelopes).isSubset(of: valid) && verify.status == 0
    }

    /// Whether every inbox file was filed once: each valid envelope appended exactly once and in
    /// accepted/, each damaged one in refused/ with its reason, the inbox itself empty.
    static func everythingFiledOnce(_ w: ExampleWorkspace, valid: Set<[UInt8]>, damaged: Int) throws -> Bool {
        let envelopes = try appended(w)
        let inbox = w.path("out/inbox")
        let accepted = ReconcileTests.names(in: inbox + "/accepted", suffix: ".dsse.json")
        let refused = ReconcileTests.names(in: inbox + "/refused", suffix: ".dsse.json")
        let checks = [
            "appended \(envelopes.count) of \(valid.count)": envelopes.count == valid.count && Set(envelopes) == valid,
            "left in the inbox": ReconcileTests.names(in: inbox, suffix: ".json").isEmpty,
            "accepted \(accepted.count)": accepted.count == valid.count,
            "refused \(refused.count) of \(damaged)": refused.count == damaged,
            "reasons": ReconcileTests.names(in: inbox + "/refused", suffix: ".reason").count == damaged,
        ]
        for (check, held) in checks.sorted(by: { $0.key < $1.key }) { #expect(held, "\(check)") }
        return checks.values.allSatisfy { $0 }
    }

    /// Whether `result` is a failure of the environment: exit 3 and an error naming `what`.
    static func environmentFailure(_ result: CLI.Result, naming what: [String]) -> Bool {
        let named = what.contains { result.stderr.localizedCaseInsensitiveContains($0) }
        #expect(result.status == 3, "exit \(result.status): \(result.stderr)")
        #expect(named, "no \(what) in: \(result.stderr)")
        return result.status == 3 && named && result.stderr.contains("countersign: error: ")
    }

    /// Temporary files a command left beside what it writes (a staging folder, a half-written file).
    static func leftovers(in folder: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var found: [String] = []
        while let next = enumerator?.nextObject() as? String {
            let name = (next as NSString).lastPathComponent
            if name.contains(".partial-") || name.contains(".tmp") || name.hasPrefix(".dat.nosync") {
                found.append(next)
            }
        }
        return found
    }

    @Test(
        "a full disk fails reconcile, sign and bundle with exit 3; with space again the re-run files every envelope once",
        .enabled(if: Tmpfs.isAvailable, "mounting a tmpfs needs root")
    )
    func diskFull() throws {
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer"])
        let (valid, damaged) = try ReconcileTests.fillInbox(w, count: FaultInjector.scale(short: 60, long: 600))
        let tmpfs = try Tmpfs(over: w.path("out"), bytes: 24 << 20)
        defer { tmpfs.unmount() }
        var injector = FaultInjector("disk full (tmpfs): reconcile, sign, bundle")
        let disk = ["No space left on device", "disk is full", "disk full"]
        let levels = FaultInjector.long ? [0, 4_096, 16_384, 65_536, 262_144, 1 << 20] : [0, 65_536]
        for free in levels {
            try tmpfs.fill(leaving: free)
            let night = try w.cli.run("reconcile", "--now", Self.night)
            tmpfs.release()
            guard night.status != 0 && night.status != 1 else { continue }
            let intact = try Self.nothingDuplicated(w, valid: valid)
            injector.record(
                survived: Self.environmentFailure(night, naming: disk) && intact
                    && Self.leftovers(in: w.path("out")).isEmpty
            )
        }
        let rerun = try w.cli.run("reconcile", "--now", Self.night)
        #expect(rerun.status == 1, "only the damaged envelopes are problems: \(rerun.stderr)")
        var complete = try Self.everythingFiledOnce(w, valid: valid, damaged: damaged)

        let before = try w.entryCount()
        try tmpfs.fill(leaving: 0)
        let sign = try w.sign("N-00000", "credit-check", as: "bank", at: "2026-12-01T03:00:00Z")
        let bundle = try w.cli.run("bundle", "N-00000", "--as", "bank", "--key", "out/keys/bank.pem")
        tmpfs.release()
        let unchanged = try w.entryCount() == before
        injector.record(survived: Self.environmentFailure(sign, naming: disk) && unchanged)
        injector.record(
            survived: Self.environmentFailure(bundle, naming: disk)
                && !FileManager.default.fileExists(atPath: w.path("out/bundles/N-00000"))
                && Self.leftovers(in: w.path("out")).isEmpty
        )
        let signed = try w.sign("N-00000", "credit-check", as: "bank", at: "2026-12-01T03:00:00Z")
        let bundled = try w.cli.run("bundle", "N-00000", "--as", "bank", "--key", "out/keys/bank.pem")
        let bundleVerified = try w.cli.run("verify-bundle", "out/bundles/N-00000")
        #expect(signed.status == 0 && bundled.status == 0 && bundleVerified.status == 0, "\(bundleVerified.stdout)")
        complete = try complete && signed.status == 0 && bundleVerified.status == 0 && w.entryCount() == before + 1
        let verified = try w.cli.run("log", "verify").status == 0
        #expect(injector.injected >= 3 && injector.survived == injector.injected)
        #expect(complete && verified)
        injector.report(rerunComplete: complete, logVerified: verified)
    }
}
