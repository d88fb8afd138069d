import CountersignKit
import Foundation
import TestSupport
import Testing

extension FaultInjectionTests {
    /// Runs the binary as root without the capabilities that let root ignore permission bits
    /// (`setpriv`, util-linux): a file mode 0444 or a folder 0555 stops it as it stops any user.
    static func unprivileged(_ cli: CLI) -> CLI {
        var cli = cli
        cli.launcher = ["/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]
        return cli
    }

    static func chmod(_ path: String, _ mode: Int) throws {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test(
        "a read-only ledger (file 0444, folder 0555, read-only mount) fails open with exit 3 and appends nothing",
        .enabled(if: Tmpfs.isAvailable, "mounting a tmpfs needs root")
    )
    func readOnlyLedger() throws {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        #expect(try w.openMortgage("M-1").status == 0)
        let tmpfs = try Tmpfs(over: w.path("out"), bytes: 8 << 20)
        defer { tmpfs.unmount() }
        let cli = Self.unprivileged(w.cli)
        let open = [
            "open", "mortgage-approval", "M-2", "--as", "bank", "--key", "out/keys/bank.pem", "--now",
            "2026-11-03T09:00:00Z", "--doc", "application=\(ExampleWorkspace.mortgageSamples)/application-small.xml",
        ]
        let before = try w.entryCount()
        var injector = FaultInjector("read-only ledger: file 0444, folder 0555, read-only mount")
        let faults: [(name: String, inject: () throws -> Void, repair: () throws -> Void)] = [
            (
                "file", { try Self.chmod(w.path("out/ledger.sqlite"), 0o444) },
                {
                    try Self.chmod(w.path("out/ledger.sqlite"), 0o644)
                }
            ),
            ("folder", { try Self.chmod(w.path("out"), 0o555) }, { try Self.chmod(w.path("out"), 0o755) }),
            ("mount", { try tmpfs.remount(readOnly: true) }, { try tmpfs.remount(readOnly: false) }),
        ]
        for fault in faults {
            try fault.inject()
            let result = try cli.run(open)
            try fault.repair()
            let unchanged = try w.entryCount() == before
            #expect(unchanged, "\(fault.name)")
            injector.record(
                survived: Self.environmentFailure(result, naming: ["read-only", "readonly", "Permission denied"])
                    && result.stderr.contains("ledger") && unchanged
            )
        }
        let rerun = try cli.run(open)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let complete = try rerun.status == 0 && w.entryCount() == before + 1
        let verified = try w.cli.run("log", "verify").status == 0
        #expect(complete && verified && injector.survived == injector.injected)
        injector.report(rerunComplete: complete, logVerified: verified)
    }

    @Test("an unwritable inbox folder (0555) defers its files, naming it (exit 1); the re-run files each once")
    func unwritableInbox() throws {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        let count = FaultInjector.scale(short: 30, long: 300)
        var valid: Set<[UInt8]> = []
        var damaged = 0
        let cli = Self.unprivileged(w.cli)
        var injector = FaultInjector("unwritable inbox (0555): refused/, accepted/, the inbox")
        for (round, folder) in ["out/inbox/refused", "out/inbox/accepted", "out/inbox"].enumerated() {
            let batch = try ReconcileTests.fillInbox(w, count: count, from: round * count)
            valid.formUnion(batch.valid)
            damaged += batch.damaged
            try FileManager.default.createDirectory(atPath: w.path(folder), withIntermediateDirectories: true)
            try Self.chmod(w.path(folder), 0o555)
            let night = try cli.run("reconcile", "--now", Self.night)
            try Self.chmod(w.path(folder), 0o755)
            let intact = try Self.nothingDuplicated(w, valid: valid)
            let left = ReconcileTests.names(in: w.path("out/inbox"), suffix: ".json").count
            #expect(left > 0 && night.status == 1, "exit \(night.status), \(left) left: \(night.stderr)")
            let named =
                night.stderr.contains("could not be moved out of the inbox") && night.stderr.contains(folder)
                && night.stderr.contains("Permission denied")
            #expect(named, "\(night.stderr)")
            injector.record(survived: night.status == 1 && left > 0 && named && intact)
        }
        // The last round's damaged envelopes could not be filed: the re-run refuses them (exit 1),
        // and files everything.
        let rerun = try w.cli.run("reconcile", "--now", Self.night)
        #expect(rerun.status == 1 && !rerun.stderr.contains("could not be moved"), "\(rerun.stderr)")
        let complete = try Self.everythingFiledOnce(w, valid: valid, damaged: damaged)
        let verified = try w.cli.run("log", "verify").status == 0
        #expect(complete && verified && injector.survived == injector.injected)
        injector.report(rerunComplete: complete, logVerified: verified)
    }
}
