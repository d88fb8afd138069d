import CountersignKit
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite("log verify, reconcile and witness read one snapshot while others write")
struct SnapshotStressTests {
    /// Appends one entry and signs a checkpoint of the log (always of a new size), over and over,
    /// on its own connection, until stopped; returns how many checkpoints it stored.
    static func writer(_ example: ExampleWorkspace, origin: String, thread: WriterThread) throws -> Int {
        let store = try example.store()
        let key = try KeyFile.load(example.path("out/keys/bank.pem"))
        var stored = 0
        while !thread.stopping.load(ordering: .relaxed) {
            let payload = Array("{\"writer\":\(stored)}".utf8)
            try store.append([
                NewEntry(envelope: try Envelope.sign(payload: payload, payloadType: "text/plain", key: key).bytes)
            ])
            _ = try CaseRepository(ledger: Ledger(store: store)).signCheckpoint(origin: origin, key: key)
            stored += 1
            // A pace that keeps the log small but still lands checkpoints inside every audit.
            Thread.sleep(forTimeInterval: 0.01)
        }
        return stored
    }

    /// Audits run while the writer writes: without one snapshot per audit, about two in three
    /// reported a rewritten history.
    static let audits = 12

    /// The writer's thread: told to stop, and what it returned.
    final class WriterThread: Sendable {
        let stopping = Atomic(false)
        let result = Mutex<Result<Int, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
    }

    /// Runs `writer` on another thread while `body` runs here; returns the checkpoints it stored.
    static func whileWriting(_ example: ExampleWorkspace, _ body: () throws -> Void) throws -> Int {
        let origin = "countersign.local/" + example.workspace.url.lastPathComponent
        let thread = WriterThread()
        Thread.detachNewThread {
            let result = Result { try writer(example, origin: origin, thread: thread) }
            thread.result.withLock { $0 = result }
            thread.finished.signal()
        }
        func join() throws -> Int {
            thread.stopping.store(true, ordering: .relaxed)
            thread.finished.wait()
            return try thread.result.withLock { try $0!.get() }
        }
        do {
            try body()
        } catch {
            _ = try? join()
            throw error
        }
        return try join()
    }

    @Test("no false alarm from a checkpoint stored while the log is verified", arguments: StoreKind.allCases)
    func verifyWhileCheckpointing(store: StoreKind) throws {
        let example = try ExampleWorkspace(keysFor: ["bank"], store: store)
        #expect(try example.openMortgage("M-SNAP-1").status == 0)
        var alarms: [String] = []
        var audits = 0
        let checkpoints = try Self.whileWriting(example) {
            let reader = try example.store()
            for _ in 0..<Self.audits {
                let outcome = try LogAudit(store: reader).run()
                alarms += outcome.report.problems.map(\.description)
                audits += 1
            }
        }
        #expect(alarms.isEmpty, "\(alarms.count) alarms, first: \(alarms.prefix(3))")
        #expect(audits == Self.audits)
        // The writer did write meanwhile, and what it wrote verifies once it has stopped.
        #expect(checkpoints > 0)
        #expect(try LogAudit(store: example.store()).run().report.problems.isEmpty)
        let verified = try example.cli.run("log", "verify")
        #expect(verified.status == 0, "\(verified.stderr)")
    }

    @Test(
        "log verify, reconcile and witness processes pass while checkpoints are stored",
        arguments: StoreKind.allCases
    )
    func commandsWhileCheckpointing(store: StoreKind) throws {
        let example = try ExampleWorkspace(keysFor: ["bank", "lawyer"], store: store)
        #expect(try example.openMortgage("M-SNAP-2").status == 0)
        var failures: [String] = []
        var cosigned = 0
        let checkpoints = try Self.whileWriting(example) {
            for round in 0..<4 {
                let verify = try example.cli.run("log", "verify")
                if verify.status != 0 { failures.append("log verify: \(verify.stderr)") }
                let reconcile = try example.cli.run("reconcile", "--no-checkpoint")
                if reconcile.status != 0 { failures.append("reconcile: \(reconcile.stdout)\(reconcile.stderr)") }
                guard let newest = try example.store().latestCheckpoint() else { continue }
                try newest.note.write(toFile: example.path("out/cp-\(round)"), atomically: true, encoding: .utf8)
                let witness = try example.cli.run(
                    "witness",
                    "out/cp-\(round)",
                    "--as",
                    "lawyer",
                    "--key",
                    "out/keys/lawyer.pem"
                )
                if witness.status != 0 { failures.append("witness: \(witness.stderr)") } else { cosigned += 1 }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(checkpoints > 0 && cosigned > 0)
    }
}
