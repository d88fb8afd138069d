import CountersignKit
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension FaultInjectionTests {
    @Test(
        "a PostgreSQL server stopped in the middle of reconcile fails it with exit 3; restarted, the re-run files all"
    )
    func postgresStoppedMidBatch() throws {
        let server = try PostgresServer.dedicated()
        let w = try ExampleWorkspace(keysFor: ["bank"], ledger: server.url(database: server.createDatabase()))
        let (valid, damaged) = try ReconcileTests.fillInbox(w, count: FaultInjector.scale(short: 600, long: 1_500))
        var injector = FaultInjector("PostgreSQL stopped mid-reconcile, restarted")
        var tries = 0
        while injector.injected < FaultInjector.scale(short: 2, long: 10) && tries < 20 {
            tries += 1
            let process = w.cli.process(["reconcile", "--now", Self.night])
            let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("pg-err-\(UUID().uuidString)")
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: errURL) }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: errURL)
            try process.run()
            usleep(UInt32.random(in: 10_000...150_000))
            guard process.isRunning else {
                process.waitUntilExit()
                break
            }
            try server.halt()
            process.waitUntilExit()
            try server.restart()
            let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
            let result = CLI.Result(status: process.terminationStatus, stdout: "", stderr: stderr)
            let named = ["ledger", "server", "connection"].allSatisfy { stderr.localizedCaseInsensitiveContains($0) }
            #expect(result.status == 3 || result.status == 1, "exit \(result.status): \(stderr)")
            #expect(named, "\(stderr)")
            let error = stderr.split(separator: "\n").first { $0.contains("error: ") } ?? ""
            print("fault injected: reconcile, server stopped: exit \(result.status): \(error)")
            let intact = try Self.nothingDuplicated(w, valid: valid)
            injector.record(survived: (result.status == 3 || result.status == 1) && named && intact)
        }
        let rerun = try w.cli.run("reconcile", "--now", Self.night)
        #expect(rerun.status <= 1, "at most the damaged envelopes are problems: \(rerun.stderr)")
        let complete = try Self.everythingFiledOnce(w, valid: valid, damaged: damaged)
        let verified = try Self.logVerifies(w)
        #expect(injector.injected > 0 && injector.survived == injector.injected)
        injector.report(rerunComplete: complete, logVerified: verified)
    }
}
