import CountersignKit
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("reconcile, the nightly batch")
struct ReconcileTests {
    /// Writes `count` offline-signed envelopes opening mortgage cases `N-first`... into the workspace's inbox;
    /// every tenth is damaged after signing, so it must be refused.
    static func fillInbox(
        _ w: ExampleWorkspace,
        count: Int,
        from first: Int = 0
    ) throws -> (valid: Set<[UInt8]>, damaged: Int) {
        let repository = try CaseRepository(ledger: Ledger(store: try w.store()))
        let orchestrator = Orchestrator(repository: repository) { _, _ in nil }
        let pipeline = try repository.pipeline(
            try #require(try repository.governance.newestVersion(of: "mortgage-approval"))
        )
        let key = try KeyFile.load(w.path("out/keys/bank.pem"))
        let application = try DocumentUpload(
            name: "application",
            bytes: Array(
                Data(
                    contentsOf: URL(
                        fileURLWithPath: w.path("\(ExampleWorkspace.mortgageSamples)/application-small.xml")
                    )
                )
            ),
            source: "application-small.xml"
        )
        var valid: Set<[UInt8]> = []
        var damaged = 0
        for number in first..<first + count {
            let entry = try orchestrator.openEntry(
                pipeline: pipeline,
                caseID: String(format: "N-%05d", number),
                party: "bank",
                key: key,
                documents: [application],
                now: Date(timeIntervalSince1970: 1_793_600_000 + Double(number))
            )
            var bytes = entry.envelope.bytes
            if number % 10 == 9 {
                bytes[bytes.count - 10] =
                    bytes[bytes.count - 10] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
                damaged += 1
            } else {
                valid.insert(bytes)
            }
            let path = w.path(String(format: "out/inbox/%05d.dsse.json", number))
            try OfflineSubmission(envelope: bytes, documents: [application]).write(to: path)
        }
        return (valid, damaged)
    }

    static func names(in folder: String, suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
    }

    @Test(
        "killed at 20 random moments and re-run, reconcile appends every valid envelope exactly once and files every one"
    )
    func crashSafety() throws {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        let (valid, damaged) = try Self.fillInbox(w, count: 2_000)
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        while kills < 20 {
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["reconcile", "--quiet", "--now", "2026-12-01T02:00:00Z"]
            process.currentDirectoryURL = w.workspace.url
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 20_000...400_000, using: &generator))
            guard process.isRunning else {
                process.waitUntilExit()
                break
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            kills += 1
        }
        let final = try w.cli.run("reconcile", "--now", "2026-12-01T02:00:00Z")
        // Exit 1 only for the damaged envelopes the last run itself refused: each is a problem.
        let last = try #require(try ReconcileReportIndex.runs(in: URL(fileURLWithPath: w.path("out/reports"))).first)
        #expect(final.status == (last.problems.isEmpty ? 0 : 1), "\(final.stderr)")
        #expect(last.problems.allSatisfy { $0.hasPrefix("inbox: ") && $0.contains(".dsse.json refused: ") })
        #expect(kills > 0, "reconcile finished before it could be killed once")

        let store = try SQLiteLedgerStore(path: w.path("out/ledger.sqlite"))
        var appended: [[UInt8]] = []
        try store.forEachEntry(in: w.foundingEntries..<store.size()) { appended.append($0.envelope) }
        #expect(appended.count == valid.count, "every valid envelope once: \(appended.count) of \(valid.count)")
        #expect(Set(appended) == valid)
        #expect(Self.names(in: w.path("out/inbox"), suffix: ".dsse.json").isEmpty)
        let accepted = Self.names(in: w.path("out/inbox/accepted"), suffix: ".dsse.json")
        let refused = Self.names(in: w.path("out/inbox/refused"), suffix: ".dsse.json")
        #expect(accepted.count == valid.count)
        #expect(refused.count == damaged)
        #expect(Self.names(in: w.path("out/inbox/refused"), suffix: ".reason").count == damaged)
        for name in accepted.prefix(5) {
            #expect(FileManager.default.fileExists(atPath: w.path("out/inbox/accepted/\(name).docs/application.xml")))
        }
        let verify = try w.cli.run("log", "verify")
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    @Test(
        "reconcile files the inbox, reports expiring and overdue cases, and a re-run changes nothing",
        arguments: StoreKind.allCases
    )
    func nightlyReport(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer", "retailer", "operator"], store: store)
        try w.openMortgage("M-1", at: "2026-11-01T09:00:00Z")
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-01T10:00:00Z")
        try w.sign(
            "M-1",
            "legal-review",
            as: "lawyer",
            at: "2026-11-02T10:00:00Z",
            "--offline",
            "out/inbox/review.dsse.json"
        )
        try "not an envelope".write(toFile: w.path("out/inbox/junk.dsse.json"), atomically: true, encoding: .utf8)
        let lotto = ExampleWorkspace.lottoSamples
        try w.cli.run(
            "open",
            "lotto-claim",
            "L-1",
            "--as",
            "retailer",
            "--key",
            "out/keys/retailer.pem",
            "--doc",
            "ticket=\(lotto)/ticket-winning.xml",
            "--now",
            "2026-11-22T10:00:00Z"
        )
        try w.sign("L-1", "check-ticket", as: "retailer", at: "2026-11-22T10:05:00Z")
        try w.sign(
            "L-1",
            "record-draw",
            as: "operator",
            at: "2026-11-22T12:00:00Z",
            "--doc",
            "draw-result=\(lotto)/draw-result.xml"
        )

        let night = try w.cli.run(
            "reconcile",
            "--now",
            "2027-11-01T02:00:00Z",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem"
        )
        // Two files refused: two problems, exit 1, and the report says which.
        #expect(night.status == 1, "\(night.stderr)")
        #expect(night.stderr.contains("countersign: problem: inbox: junk.dsse.json refused: "), "\(night.stderr)")
        #expect(night.stderr.contains("reconcile found 2 problems"), "\(night.stderr)")
        // The review was signed inside the mortgage's window but reaches the log a year later, after
        // the window closed: it is made when the log receives it, and refused.
        #expect(night.stdout.contains("inbox: 0 accepted, 2 refused"), "\(night.stdout)")
        #expect(
            night.stdout.contains("expiring: L-1 (lotto-claim) on 2027-11-22T12:00:00Z, 21 days left"),
            "\(night.stdout)"
        )
        let late = try String(contentsOfFile: w.path("out/inbox/refused/review.dsse.json.reason"), encoding: .utf8)
        #expect(
            late.contains(
                "the case's window ended at 2027-05-01T09:00:00Z, before log time 2027-11-01T02:00:00Z "
                    + "(signed at 2026-11-02T10:00:00Z)"
            ),
            "\(late)"
        )
        let reason = try String(contentsOfFile: w.path("out/inbox/refused/junk.dsse.json.reason"), encoding: .utf8)
        #expect(reason.contains("not a Countersign entry"))
        let report =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: w.path("out/reports/reconcile-2027-11-01-020000.json")))
            ) as! [String: Any]
        let counts = report["counts"] as! [String: Any]
        #expect(counts["inboxAccepted"] as? Int == 0 && counts["inboxRefused"] as? Int == 2)
        let overdue = report["overdue"] as! [[String: Any]]
        #expect(overdue.contains { $0["case"] as? String == "M-1" && $0["step"] as? String == "valuation" } == false)
        #expect((report["expiringWithinNotice"] as! [[String: Any]]).map { $0["case"] as! String } == ["L-1"])
        let note = try SignedNote(parsing: report["checkpoint"] as! String)
        #expect(try Checkpoint(note: note).size == UInt64(try w.entryCount()))

        let before = try w.entryCount()
        let again = try w.cli.run(
            "reconcile",
            "--now",
            "2027-11-01T02:00:00Z",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem"
        )
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("inbox: 0 accepted, 0 refused, 0 deferred"))
        #expect(try w.entryCount() == before)
        // The second run at the same time has its own report: the first one's refusals are kept.
        let runs = try ReconcileReportIndex.runs(in: URL(fileURLWithPath: w.path("out/reports")))
        #expect(runs.map(\.stem) == ["reconcile-2027-11-01-020000-2", "reconcile-2027-11-01-020000"])
        #expect(runs.map(\.problems.count) == [0, 2])
        let index = try String(contentsOfFile: w.path("out/reports/index.html"), encoding: .utf8)
        #expect(index.contains("href=\"reconcile-2027-11-01-020000.html\"") && index.contains("-2.html\""))
    }
}
