import CountersignKit
import Foundation
import TestSupport
import Testing

extension FaultInjectionTests {
    /// Kills per command: a few in `make test`, more under `make faults`.
    static var kills: Int { FaultInjector.scale(short: 4, long: 40) }

    /// SIGKILLs `arguments` at random moments until `kills` landed while it ran (at most four times
    /// as many tries), checking `intact` after each; returns how many landed.
    static func killRepeatedly(
        _ injector: inout FaultInjector,
        _ w: ExampleWorkspace,
        _ arguments: [String],
        within window: TimeInterval = 0.25,
        intact: () throws -> Bool
    ) throws {
        var tries = 0
        var landed = 0
        while landed < kills && tries < kills * 4 {
            tries += 1
            guard try injector.kill(w.cli, arguments, within: window) else { continue }
            landed += 1
            injector.record(survived: try intact())
        }
    }

    static func logVerifies(_ w: ExampleWorkspace) throws -> Bool {
        let verify = try w.cli.run("log", "verify")
        #expect(verify.status == 0, "\(verify.stderr)")
        return verify.status == 0
    }

    @Test("checkpoint and witness killed at random moments leave whole notes; the re-run stores each once")
    func killCheckpointAndWitness() throws {
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer"])
        #expect(try w.openMortgage("M-1").status == 0)
        let signer = ["--as", "bank", "--key", "out/keys/bank.pem", "--now", "2026-11-03T00:00:00Z"]
        var injector = FaultInjector("SIGKILL: checkpoint, witness")
        try Self.killRepeatedly(&injector, w, ["checkpoint"] + signer) {
            let sizes = try w.store().checkpoints().map(\.size)
            return try Set(sizes).count == sizes.count && Self.logVerifies(w)
        }
        let checkpoint = try w.cli.run(["checkpoint"] + signer)
        try checkpoint.stdout.write(toFile: w.path("checkpoint.txt"), atomically: true, encoding: .utf8)
        let witness = ["witness", "checkpoint.txt", "--as", "lawyer", "--key", "out/keys/lawyer.pem"]
        try Self.killRepeatedly(&injector, w, witness + ["--now", "2026-11-03T00:00:00Z"]) {
            let notes = try w.witnessNotes("lawyer")
            return try notes.allSatisfy { (try? SignedNote(parsing: $0)) != nil } && Self.logVerifies(w)
        }
        let cosigned = try w.cli.run(witness + ["--now", "2026-11-03T00:00:00Z"])
        let stored = try w.store().checkpoints()
        let complete =
            try checkpoint.status == 0 && cosigned.status == 0 && stored.count == 1
            && w.witnessNotes("lawyer").count == 1
            && SignedNote(parsing: stored[0].note).signatures.count == 2
        #expect(complete, "\(checkpoint.stderr)\(cosigned.stderr)")
        let verified = try Self.logVerifies(w)
        #expect(injector.survived == injector.injected)
        injector.report(rerunComplete: complete, logVerified: verified)
    }

    @Test("bundle and ledger copy killed at random moments leave no half bundle or copy taken for whole")
    func killBundleAndCopy() throws {
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer"])
        #expect(try w.openMortgage("M-1", large: true).status == 0)
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        var injector = FaultInjector("SIGKILL: bundle, ledger copy")
        let bundle = ["bundle", "M-1", "--as", "bank", "--key", "out/keys/bank.pem", "--now", "2026-11-03T00:00:00Z"]
        try Self.killRepeatedly(&injector, w, bundle) {
            let whole =
                try !FileManager.default.fileExists(atPath: w.path("out/bundles/M-1"))
                || w.cli.run("verify-bundle", "out/bundles/M-1").status == 0
            return try whole && Self.logVerifies(w)
        }
        let bundled = try w.cli.run(bundle)
        let bundleVerified = try w.cli.run("verify-bundle", "out/bundles/M-1")
        // What a killed bundle leaves: hidden staging folders beside it, never read as a bundle.
        let visible = ReconcileTests.names(in: w.path("out/bundles"), suffix: "").filter { !$0.hasPrefix(".") }
        var copies = 0
        try Self.killRepeatedly(&injector, w, ["ledger", "copy", "--to", "sqlite:out/copy-\(copies).sqlite"]) {
            // A copy killed half-way is refused as a target: it is never mistaken for a whole one.
            let again = try w.cli.run("ledger", "copy", "--to", "sqlite:out/copy-\(copies).sqlite")
            copies += 1
            return try (again.status == 0 || again.stderr.contains("is not empty")) && Self.logVerifies(w)
        }
        let copied = try w.cli.run("ledger", "copy", "--to", "sqlite:out/copy-final.sqlite")
        let copy = try SQLiteLedgerStore(path: w.path("out/copy-final.sqlite"))
        let complete =
            try bundled.status == 0 && bundleVerified.status == 0 && visible == ["M-1"] && copied.status == 0
            && copy.size() == w.entryCount()
        #expect(complete, "\(bundled.stderr)\(bundleVerified.stdout)\(visible)\(copied.stderr)")
        let verified = try Self.logVerifies(w)
        #expect(injector.survived == injector.injected)
        injector.report(rerunComplete: complete, logVerified: verified)
    }

    @Test("propose and approve killed at random moments append each change once or not at all")
    func killGovernance() throws {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        var injector = FaultInjector("SIGKILL: propose, approve")
        let rounds = Self.kills
        let before = try w.entryCount()
        var complete = true
        for round in 0..<rounds {
            let party = "joiner-\(round)"
            let now = ["--now", String(format: "2026-11-03T%02d:%02d:00Z", round / 60, round % 60)]
            #expect(try w.cli.run("keygen", party, "-q").status == 0)
            let propose = ["propose", "parties/\(party).yaml", "--as", party, "--key", "out/keys/\(party).pem"] + now
            let start = try w.entryCount()
            if try injector.kill(w.cli, propose, within: 0.25) {
                injector.record(survived: try w.entryCount() - start <= 1 && Self.logVerifies(w))
            }
            if try w.entryCount() == start { complete = try complete && w.cli.run(propose).status == 0 }
            let pending =
                try #require(
                    try JSONSerialization.jsonObject(with: Data(w.cli.run("consortium", "show", "--json").stdout.utf8))
                        as? [String: Any]
                )["pending"] as? [[String: Any]]
            let id = try #require(pending?.compactMap { $0["id"] as? Int }.max(), "no pending proposal")
            let approve = ["approve", "\(id)", "--as", "bank", "--key", "out/keys/bank.pem"] + now
            let proposed = try w.entryCount()
            if try injector.kill(w.cli, approve, within: 0.25) {
                injector.record(survived: try w.entryCount() - proposed <= 1 && Self.logVerifies(w))
            }
            if try w.entryCount() == proposed { complete = try complete && w.cli.run(approve).status == 0 }
        }
        let members = try w.cli.run("consortium", "show", "--json").stdout
        complete =
            try complete && w.entryCount() == before + 2 * rounds
            && (0..<rounds).allSatisfy { members.contains("joiner-\($0)") }
        #expect(complete)
        let verified = try Self.logVerifies(w)
        #expect(injector.survived == injector.injected)
        injector.report(rerunComplete: complete, logVerified: verified)
    }

    @Test(
        "reconcile of a large inbox killed 100 times appends every valid envelope once (make faults)",
        .enabled(if: FaultInjector.long, "the long variant of crashSafety: COUNTERSIGN_FAULTS_LONG=1")
    )
    func killReconcileLong() throws {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        let (valid, damaged) = try ReconcileTests.fillInbox(w, count: 5_000)
        var injector = FaultInjector("SIGKILL: reconcile (5,000 envelopes)")
        var tries = 0
        while injector.injected < 100 && tries < 400 {
            tries += 1
            guard try injector.kill(w.cli, ["reconcile", "--quiet", "--now", Self.night], within: 0.6) else { break }
            injector.record(survived: try Self.nothingDuplicated(w, valid: valid))
        }
        let rerun = try w.cli.run("reconcile", "--now", Self.night)
        #expect(rerun.status == 1, "only the damaged envelopes are problems: \(rerun.stderr)")
        let complete = try Self.everythingFiledOnce(w, valid: valid, damaged: damaged)
        let verified = try Self.logVerifies(w)
        #expect(injector.injected > 0 && injector.survived == injector.injected)
        injector.report(rerunComplete: complete, logVerified: verified)
    }
}
