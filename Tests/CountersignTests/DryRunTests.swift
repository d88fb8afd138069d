import CountersignKit
import Foundation
import TestSupport
import Testing

/// `advance --dry-run` and `reconcile --dry-run`: what would happen, and nothing written.
@Suite("dry runs of advance and reconcile")
struct DryRunTests {
    /// The time the dry runs look at: after M-2's window, within 30 days of L-2's end.
    static let later = "2027-06-01T00:00:00Z"

    /// A simulated-clock workspace on `store` where, at `later`, an automatic step is ready (L-1's
    /// determine-prize, which waited for the operator's key), a case is past its window (M-2,
    /// until 2027-05-01T09:00:00Z), a step is overdue (M-3's legal-review, due
    /// 2027-04-15T10:00:00Z) and a claim expires within 30 days (L-2, on 2027-06-15T12:00:00Z);
    /// its inbox holds one valid envelope (L-3's check-ticket, which makes L-3's determine-prize
    /// ready) and one junk file. R-1, of a pipeline with two automatic steps in a row, has the
    /// first ready: firing it makes the second ready. Every command runs in time order: the clock
    /// never goes back.
    static func scenario(_ store: StoreKind) throws -> ExampleWorkspace {
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer", "retailer", "operator"], store: store)
        let lotto = ExampleWorkspace.lottoSamples
        func ok(_ result: CLI.Result, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        }
        func openLotto(_ caseID: String, at now: String) throws {
            ok(
                try w.cli.run(
                    "open",
                    "lotto-claim",
                    caseID,
                    "--as",
                    "retailer",
                    "--key",
                    "out/keys/retailer.pem",
                    "--doc",
                    "ticket=\(lotto)/ticket-winning.xml",
                    "--now",
                    now
                )
            )
        }
        func recordDraw(_ caseID: String, at now: String) throws {
            ok(
                try w.sign(
                    caseID,
                    "record-draw",
                    as: "operator",
                    at: now,
                    "--doc",
                    "draw-result=\(lotto)/draw-result.xml"
                )
            )
        }
        // The relay pipeline, whose orchestrator is the operator.
        try Self.relay.write(toFile: w.path("pipelines/relay.yaml"), atomically: true, encoding: .utf8)
        ok(
            try w.cli.run(
                "propose",
                "pipelines/relay.yaml",
                "--as",
                "bank",
                "--key",
                "out/keys/bank.pem",
                "--now",
                "2026-01-02T00:00:00Z"
            )
        )
        // L-2: determined at once (the operator signs the draw); its claim window ends a year on.
        try openLotto("L-2", at: "2026-06-15T09:00:00Z")
        ok(try w.sign("L-2", "check-ticket", as: "retailer", at: "2026-06-15T09:05:00Z"))
        try recordDraw("L-2", at: "2026-06-15T12:00:00Z")
        // M-2: opened, then nothing until its six months pass.
        ok(try w.openMortgage("M-2", at: "2026-11-01T09:00:00Z"))
        // L-1: the ticket is checked while this workspace holds no key of the operator, so the
        // automatic prize determination waits.
        try openLotto("L-1", at: "2027-01-10T09:00:00Z")
        try recordDraw("L-1", at: "2027-01-10T10:00:00Z")
        try FileManager.default.moveItem(atPath: w.path("out/keys/operator.pem"), toPath: w.path("operator.pem"))
        let waiting = try w.sign("L-1", "check-ticket", as: "retailer", at: "2027-01-10T11:00:00Z")
        ok(waiting)
        #expect(
            waiting.stdout.contains("determine-prize is ready for the orchestrator 'operator'"),
            "\(waiting.stdout)"
        )
        // R-1: its request is signed while the operator's key is away too.
        ok(
            try w.cli.run(
                "open",
                "relay",
                "R-1",
                "--as",
                "bank",
                "--key",
                "out/keys/bank.pem",
                "--now",
                "2027-01-10T12:00:00Z"
            )
        )
        ok(try w.sign("R-1", "request", as: "bank", at: "2027-01-10T12:05:00Z"))
        try FileManager.default.moveItem(atPath: w.path("operator.pem"), toPath: w.path("out/keys/operator.pem"))
        // M-3: the legal review is due two weeks after the credit check.
        ok(try w.openMortgage("M-3", at: "2027-04-01T09:00:00Z"))
        ok(try w.sign("M-3", "credit-check", as: "bank", at: "2027-04-01T10:00:00Z"))
        // L-3: the draw is recorded; the retailer checks the ticket offline, into the inbox.
        try openLotto("L-3", at: "2027-04-02T09:00:00Z")
        try recordDraw("L-3", at: "2027-04-02T10:00:00Z")
        ok(
            try w.sign(
                "L-3",
                "check-ticket",
                as: "retailer",
                at: "2027-04-02T11:00:00Z",
                "--offline",
                "out/inbox/ticket.dsse.json"
            )
        )
        try "not an envelope".write(toFile: w.path("out/inbox/junk.dsse.json"), atomically: true, encoding: .utf8)
        return w
    }

    /// Two automatic steps in a row, signed by the operator.
    static let relay = """
        pipeline: relay
        title: Two automatic steps in a row
        version: "1"
        opened-by: [bank]
        orchestrator: operator
        steps:
          - id: request
            by: bank
          - id: first
            auto: true
            after: [request]
          - id: second
            auto: true
            after: [first]
          - id: close
            by: bank
            after: [second]

        """

    // MARK: - Nothing written

    /// Everything a command could write, as it is now: every file under the workspace byte for
    /// byte (the SQLite ledger and any -wal or -shm beside it, the inbox, reports, keys), and on
    /// PostgreSQL the number of entries and a copy of every table of the database.
    struct Snapshot {
        let files: [String: Data?]
        let entries: Int
        let database: String?

        static let tables = [
            "entries", "nodes", "documents", "checkpoints", "case_summaries", "counters", "governance_records",
            "schema_version",
        ]

        init(_ w: ExampleWorkspace, store: StoreKind) throws {
            files = try Self.files(w)
            if store == .postgres {
                let database = try #require(w.ledger.flatMap { URL(string: $0)?.lastPathComponent })
                self.database = database
                entries = try w.entryCount()
                try PostgresServer.running().execute(
                    "DROP SCHEMA IF EXISTS before_dry_run CASCADE; CREATE SCHEMA before_dry_run; "
                        + Self.tables.map { "CREATE TABLE before_dry_run.\($0) AS TABLE \($0);" }.joined(),
                    in: database
                )
            } else {
                // Counted from the files only: opening the store here would leave its -wal and -shm
                // beside it while the commands run.
                database = nil
                entries = 0
            }
        }

        static func files(_ w: ExampleWorkspace) throws -> [String: Data?] {
            var files: [String: Data?] = [:]
            for path in w.workspace.files() {
                var isFolder: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: w.path(path), isDirectory: &isFolder)
                files[path] = isFolder.boolValue ? .some(nil) : try Data(contentsOf: URL(fileURLWithPath: w.path(path)))
            }
            return files
        }

        /// Expects the workspace and the database as they were.
        func expectUnchanged(
            _ w: ExampleWorkspace,
            sourceLocation: Testing.SourceLocation = #_sourceLocation
        ) throws {
            let now = try Self.files(w)
            let changed = Set(files.keys).union(now.keys).filter { files[$0] != now[$0] }.sorted()
            #expect(changed.isEmpty, "a dry run changed: \(changed)", sourceLocation: sourceLocation)
            guard let database else { return }
            #expect(try w.entryCount() == entries, sourceLocation: sourceLocation)
            for table in Self.tables {
                // Raises (and `execute` throws) when a row differs, is missing or was added.
                try PostgresServer.running().execute(
                    """
                    DO $$ BEGIN IF EXISTS (SELECT 1 FROM ((TABLE before_dry_run.\(table) EXCEPT ALL TABLE \(table)) \
                    UNION ALL (TABLE \(table) EXCEPT ALL TABLE before_dry_run.\(table))) AS changed) \
                    THEN RAISE EXCEPTION 'a dry run changed table \(table)'; END IF; END $$
                    """,
                    in: database
                )
            }
        }
    }

    /// A command's `--json` output, parsed.
    static func json(
        _ result: CLI.Result,
        status: Int32 = 0,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> [String:
        Any]
    {
        #expect(result.status == status, "\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        return try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            sourceLocation: sourceLocation
        )
    }

    /// `[{"case": C, KEY: V}, ...]` as `C KEY-VALUE` strings, sorted.
    static func pairs(_ value: Any?, _ key: String) -> [String] {
        ((value as? [[String: Any]]) ?? []).map { "\($0["case"] as? String ?? "?") \($0[key] ?? "?")" }.sorted()
    }

    static func expectLines(
        _ lines: [String],
        in result: CLI.Result,
        status: Int32 = 0,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == status, "\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        let printed = result.stdout.split(separator: "\n").map(String.init)
        for line in lines {
            #expect(printed.contains(line), "missing '\(line)' in:\n\(result.stdout)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - advance --dry-run

    @Test(
        "advance --dry-run names what would fire, expire, be overdue and expire soon, writes nothing, and advance then does just that",
        arguments: StoreKind.allCases
    )
    func advanceDryRun(store: StoreKind) throws {
        let w = try Self.scenario(store)
        let before = try Snapshot(w, store: store)

        let text = try w.cli.run("advance", "--dry-run", "--now", Self.later)
        Self.expectLines(
            [
                "dry run at 2027-06-01T00:00:00Z: nothing was written",
                "This ledger's clock is simulated (a demo or test): its times prove nothing.",
                "would fire: L-1 determine-prize",
                // The chain: the second automatic step is ready once the first is done.
                "would fire: R-1 first",
                "would fire: R-1 second",
                "would expire: M-2 (its window ended 2027-05-01T09:00:00Z)",
                "overdue: M-3 step legal-review (due 2027-04-15T10:00:00Z, waiting on lawyer, lawyer-partner)",
                "expiring within notice (30d): L-2 on 2027-06-15T12:00:00Z",
            ],
            in: text
        )
        // L-3's check-ticket is only in the inbox: advance does not read it.
        #expect(!text.stdout.contains("L-3"), "\(text.stdout)")
        #expect(text.stdout.contains("entries it would append: 4"), "\(text.stdout)")
        let plan = try Self.json(try w.cli.run("advance", "--dry-run", "--now", Self.later, "--json"))
        #expect(plan["dryRun"] as? Bool == true)
        #expect(plan["clock"] as? String == "simulated")
        #expect(plan["appended"] == nil, "a dry run appends nothing")
        #expect(Self.pairs(plan["wouldFire"], "step") == ["L-1 determine-prize", "R-1 first", "R-1 second"])
        #expect(Self.pairs(plan["wouldExpire"], "windowEnded") == ["M-2 2027-05-01T09:00:00Z"])
        #expect(Self.pairs(plan["overdue"], "step") == ["M-3 legal-review"])
        #expect(Self.pairs(plan["expiringSoon"], "expiresAt") == ["L-2 2027-06-15T12:00:00Z"])
        try before.expectUnchanged(w)
        #expect(
            before.files.keys.contains("out/inbox/ticket.dsse.json")
                && before.files.keys.contains("out/ledger.sqlite") == (store == .sqlite)
        )

        // Acting: exactly the entries the dry run named, and the same findings.
        let done = try Self.json(try w.cli.run("advance", "--now", Self.later, "--json"))
        #expect(
            Self.pairs(done["appended"], "step") == ["L-1 determine-prize", "M-2 expire", "R-1 first", "R-1 second"]
        )
        #expect(Self.pairs(done["overdue"], "step") == Self.pairs(plan["overdue"], "step"))
        #expect(Self.pairs(done["expiringSoon"], "expiresAt") == Self.pairs(plan["expiringSoon"], "expiresAt"))
        #expect(done["openCases"] as? Int == plan["openCases"] as? Int)
        #expect(try w.stepStatus("L-1", "determine-prize", at: Self.later) == "done")
        #expect(try w.status("M-2", at: Self.later)["state"] as? String == "expired")
        // Now there is nothing left to do, and the dry run says so.
        let again = try Self.json(try w.cli.run("advance", "--dry-run", "--now", Self.later, "--json"))
        #expect(Self.pairs(again["wouldFire"], "step").isEmpty && Self.pairs(again["wouldExpire"], "case").isEmpty)
    }

    // MARK: - reconcile --dry-run

    @Test(
        "reconcile --dry-run says how each inbox file would be filed and what advance would do, writes nothing, and reconcile then does just that",
        arguments: StoreKind.allCases
    )
    func reconcileDryRun(store: StoreKind) throws {
        let w = try Self.scenario(store)
        let before = try Snapshot(w, store: store)

        let text = try w.cli.run("reconcile", "--dry-run", "--now", Self.later)
        Self.expectLines(
            [
                "dry run at 2027-06-01T00:00:00Z: nothing was written",
                "This ledger's clock is simulated (a demo or test): its times prove nothing.",
                "inbox: would accept ticket.dsse.json (L-3 check-ticket)",
                // The accepted envelope is planned on: the prize determination it makes ready too.
                "would fire: L-1 determine-prize",
                "would fire: L-3 determine-prize",
                "would fire: R-1 first",
                "would fire: R-1 second",
                "would expire: M-2 (its window ended 2027-05-01T09:00:00Z)",
                "overdue: M-3 step legal-review (due 2027-04-15T10:00:00Z, waiting on lawyer or lawyer-partner)",
                "expiring within notice (30d): L-2 (lotto-claim) on 2027-06-15T12:00:00Z, 14 days left",
                "no checkpoint signed, no report written, no inbox file moved",
            ],
            in: text,
            status: 1  // the junk file it would refuse is a problem
        )
        #expect(text.stderr.contains("countersign: problem: inbox: junk.dsse.json refused: "), "\(text.stderr)")
        #expect(text.stdout.contains("inbox: would refuse junk.dsse.json: "), "\(text.stdout)")
        #expect(text.stdout.contains("not a Countersign entry"), "\(text.stdout)")
        #expect(text.stdout.contains("entries it would append: 6"), "\(text.stdout)")
        let plan = try Self.json(try w.cli.run("reconcile", "--dry-run", "--now", Self.later, "--json"), status: 1)
        #expect(plan["dryRun"] as? Bool == true)
        #expect(plan["clock"] as? String == "simulated")
        #expect(plan["checkpoint"] is NSNull)
        let inbox = try #require(plan["inbox"] as? [[String: Any]])
        #expect(
            inbox.map { "\($0["file"]!) \($0["outcome"]!)" } == ["junk.dsse.json refused", "ticket.dsse.json accepted"]
        )
        #expect(
            Self.pairs(plan["automaticEntries"], "step") == [
                "L-1 determine-prize", "L-3 determine-prize", "M-2 expire", "R-1 first", "R-1 second",
            ]
        )
        #expect(Self.pairs(plan["expiries"], "windowEnded") == ["M-2 2027-05-01T09:00:00Z"])
        #expect(Self.pairs(plan["overdue"], "step") == ["M-3 legal-review"])
        #expect(Self.pairs(plan["expiringWithinNotice"], "daysLeft") == ["L-2 14"])
        let ledger = try #require(plan["ledger"] as? [String: Any])
        #expect(ledger["sizeAfter"] as? Int == ledger["sizeBefore"] as? Int)
        try before.expectUnchanged(w)
        #expect(before.files.keys.contains("out/inbox/ticket.dsse.json") && !before.files.keys.contains("out/reports"))

        // Acting: the inbox filed as the dry run said, and the same automatic entries.
        let done = try Self.json(try w.cli.run("reconcile", "--now", Self.later, "--json"), status: 1)
        #expect(done["dryRun"] == nil)
        #expect(
            (done["inbox"] as? [[String: Any]])?.map { "\($0["file"]!) \($0["outcome"]!)" }
                == inbox.map {
                    "\($0["file"]!) \($0["outcome"]!)"
                }
        )
        #expect(Self.pairs(done["automaticEntries"], "step") == Self.pairs(plan["automaticEntries"], "step"))
        #expect(Self.pairs(done["expiries"], "windowEnded") == Self.pairs(plan["expiries"], "windowEnded"))
        #expect(Self.pairs(done["overdue"], "step") == Self.pairs(plan["overdue"], "step"))
        #expect(
            Self.pairs(done["expiringWithinNotice"], "daysLeft") == Self.pairs(plan["expiringWithinNotice"], "daysLeft")
        )
        for key in ["casesAdvanced", "casesCompleted", "casesExpired"] {
            #expect((done[key] as? [String])?.sorted() == (plan[key] as? [String])?.sorted(), "\(key)")
        }
        #expect(FileManager.default.fileExists(atPath: w.path("out/inbox/accepted/ticket.dsse.json")))
        #expect(FileManager.default.fileExists(atPath: w.path("out/reports/reconcile-2027-06-01-000000.json")))
    }

    @Test(
        "an envelope behind another of its case in the inbox is reported unchecked by the dry run, not refused; reconcile accepts both"
    )
    func envelopeBehindAnother() throws {
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer"])
        let opened = try w.openMortgage("M-1", at: "2026-11-01T09:00:00Z")
        #expect(opened.status == 0, "\(opened.stderr)")
        // Signed offline one after the other: the review names the credit check as its previous entry.
        do {
            let orchestrator = Orchestrator(repository: try CaseRepository(ledger: Ledger(store: try w.store()))) {
                _,
                _ in nil
            }
            let credit = try orchestrator.stepEntry(
                caseID: "M-1",
                step: "credit-check",
                party: "bank",
                key: try KeyFile.load(w.path("out/keys/bank.pem")),
                documents: [],
                note: nil,
                rejectReason: nil,
                now: try #require(Timestamp.parse("2026-11-01T10:00:00Z"))
            )
            let review = try StepPredicate(
                pipeline: "mortgage-approval",
                pipelineDigest: credit.statement.predicate.pipelineDigest,
                caseID: "M-1",
                step: "legal-review",
                party: "lawyer",
                decision: .approve,
                signedAt: try #require(Timestamp.parse("2026-11-01T11:00:00Z")),
                previous: MerkleHash.leaf(credit.envelope.bytes)
            )
            let signed = try Envelope.sign(
                statement: Statement(endorsing: try #require(credit.statement.endorsedDocuments), predicate: review),
                key: try KeyFile.load(w.path("out/keys/lawyer.pem"))
            )
            try OfflineSubmission(entry: credit, documents: []).write(to: w.path("out/inbox/1-credit.dsse.json"))
            try OfflineSubmission(envelope: signed.bytes, documents: []).write(
                to: w.path("out/inbox/2-review.dsse.json")
            )
        }
        let before = try Snapshot(w, store: .sqlite)
        let plan = try Self.json(try w.cli.run("reconcile", "--dry-run", "--now", "2026-11-02T00:00:00Z", "--json"))
        let inbox = try #require(plan["inbox"] as? [[String: Any]])
        #expect(
            inbox.map { "\($0["file"]!) \($0["outcome"]!)" } == [
                "1-credit.dsse.json accepted", "2-review.dsse.json unchecked",
            ]
        )
        #expect((inbox.last?["reason"] as? String)?.contains("it follows 1-credit.dsse.json") == true, "\(inbox)")
        #expect((plan["counts"] as? [String: Any])?["inboxUnchecked"] as? Int == 1)
        let text = try w.cli.run("reconcile", "--dry-run", "--now", "2026-11-02T00:00:00Z")
        #expect(
            text.stdout.contains("inbox: unchecked 2-review.dsse.json (M-1 legal-review): it follows"),
            "\(text.stdout)"
        )
        try before.expectUnchanged(w)

        let done = try Self.json(try w.cli.run("reconcile", "--now", "2026-11-02T00:00:00Z", "--json"))
        #expect(
            (done["inbox"] as? [[String: Any]])?.map { "\($0["file"]!) \($0["outcome"]!)" } == [
                "1-credit.dsse.json accepted", "2-review.dsse.json accepted",
            ]
        )
    }

    // MARK: - A system-clock ledger

    @Test(
        "on a system-clock ledger advance and reconcile refuse --now, and their dry runs take it and write nothing",
        arguments: StoreKind.allCases
    )
    func systemClock(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: ["bank"], store: store, founded: false)
        func succeed(_ arguments: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            let result = try w.cli.run(arguments)
            #expect(
                result.status == 0,
                "\(arguments): \(result.stdout)\(result.stderr)",
                sourceLocation: sourceLocation
            )
        }
        let bank = ["--as", "bank", "--key", "out/keys/bank.pem"]
        try succeed(["consortium", "init", "--clock", "system"] + bank)
        // The mortgage pipeline's parties join keyless; then the pipeline comes into force.
        let parties = ["lawyer", "lawyer-partner", "registry", "director-a", "director-b", "director-c"]
        try succeed(["propose"] + parties.map { "parties/\($0).yaml" } + bank)
        try succeed(["propose", "pipelines/mortgage-approval.yaml"] + bank)
        try succeed(
            [
                "open", "mortgage-approval", "M-1", "--doc",
                "application=\(ExampleWorkspace.mortgageSamples)/application-small.xml",
            ] + bank
        )
        let before = try Snapshot(w, store: store)
        for command in ["advance", "reconcile"] {
            let refused = try w.cli.run(command, "--now", "2030-01-01T00:00:00Z")
            #expect(refused.status == 2, "\(command): \(refused.stdout)\(refused.stderr)")
            #expect(refused.stderr.contains("system-clock ledger"), "\(refused.stderr)")
        }
        let advance = try w.cli.run("advance", "--dry-run", "--now", "2030-01-01T00:00:00Z")
        Self.expectLines(["dry run at 2030-01-01T00:00:00Z: nothing was written"], in: advance)
        #expect(advance.stdout.contains("would expire: M-1 (its window ended "), "\(advance.stdout)")
        #expect(!advance.stdout.contains("prove nothing"), "\(advance.stdout)")
        let reconcile = try w.cli.run("reconcile", "--dry-run", "--now", "2030-01-01T00:00:00Z", "--json")
        let plan = try Self.json(reconcile)
        #expect(plan["dryRun"] as? Bool == true && plan["clock"] as? String == "system")
        #expect(Self.pairs(plan["automaticEntries"], "step") == ["M-1 expire"])
        try before.expectUnchanged(w)
    }
}
