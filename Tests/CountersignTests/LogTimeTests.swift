import CountersignKit
import Foundation
import TestSupport
import Testing

/// CONSORTIUM.md "Time the log vouches for", end to end through the built binary: the attacks a new
/// user tried (a key past its `until` signing with `--now` set back, a claim dated inside a window
/// that had closed, a key with a backdated `since`, `advance --now` years ahead on a real ledger) are
/// each refused, naming the log time, with nothing appended — on SQLite (this machine's clock) and
/// PostgreSQL (the server's clock).
@Suite("Time the log vouches for: windows judged at log time, --now refused on system-clock ledgers")
struct LogTimeTests {
    /// The parties of the mortgage pipeline, and the regulator (a witness).
    static let mortgageParties = [
        "bank", "lawyer", "lawyer-partner", "registry", "director-a", "director-b", "director-c", "regulator",
    ]
    /// The parties with keys on a system-clock ledger; the other mortgage parties join keyless.
    static let systemKeyHolders = ["bank", "lawyer", "registry", "regulator"]
    static let samples = ExampleWorkspace.mortgageSamples
    static let application = "application=\(samples)/application-small.xml"
    /// What every appending command given `--now` on a system-clock ledger says (exit 2).
    static let nowRefused =
        "--now cannot set the time of a command that appends to a system-clock ledger: its log time is the store's clock"

    // MARK: - Helpers

    /// `w.cli.run(arguments)`, expecting exit 0.
    @discardableResult
    static func succeed(
        _ w: ExampleWorkspace,
        _ arguments: [String],
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> CLI.Result {
        let result = try w.cli.run(arguments)
        #expect(
            result.status == 0,
            "\(arguments.joined(separator: " ")): \(result.stdout)\(result.stderr)",
            sourceLocation: sourceLocation
        )
        return result
    }

    /// `--as PARTY --key out/keys/PARTY.pem`.
    static func signer(_ party: String) -> [String] { ["--as", party, "--key", "out/keys/\(party).pem"] }

    /// A workspace on `store` whose consortium is founded through the CLI with `--clock system` and no
    /// `--now` anywhere: the bank founds it, every mortgage party joins (the bank, the lawyer, the
    /// registry and the regulator with keys), the mortgage pipeline is in force. `edit` runs on the
    /// workspace's party files before any is proposed.
    static func systemLedger(
        on store: StoreKind,
        edit: (ExampleWorkspace) throws -> Void = { _ in }
    ) throws -> ExampleWorkspace {
        let w = try ExampleWorkspace(keysFor: systemKeyHolders, store: store, founded: false)
        try edit(w)
        let founded = try succeed(w, ["consortium", "init", "--clock", "system"] + signer("bank"))
        #expect(founded.stdout.contains("(clock: system)"), "\(founded.stdout)")
        try succeed(
            w,
            ["propose"] + mortgageParties.filter { $0 != "bank" }.map { "parties/\($0).yaml" } + ["--as", "bank"]
                + systemKeyHolders.flatMap { ["--key", "out/keys/\($0).pem"] }
        )
        let pipeline = try succeed(w, ["propose", "pipelines/mortgage-approval.yaml"] + signer("bank"))
        #expect(pipeline.stdout.contains("in force"), "\(pipeline.stdout)")
        return w
    }

    /// Adds `FIELD: TIME` (`since` or `until`) to the newest key of `parties/PARTY.yaml` (the last
    /// item of the file, as `keygen` leaves it).
    static func limitNewestKey(of party: String, in w: ExampleWorkspace, _ field: String, _ time: String) throws {
        let path = w.path("parties/\(party).yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").last?.contains("- ed25519: ") == true, "\(text)")
        try (text + "    \(field): \(time)\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The key id of a private key file of the workspace.
    static func keyID(_ w: ExampleWorkspace, _ file: String) throws -> String {
        try KeyFile.load(w.path(file)).publicKey.keyID
    }

    /// Every entry's log time, in log order.
    static func logTimes(_ w: ExampleWorkspace) throws -> [Date?] {
        let store = try w.store()
        var times: [Date?] = []
        try store.forEachEntry(in: 0..<store.size()) { times.append($0.logTime) }
        return times
    }

    /// The time printed right after `marker` in `text` (an RFC 3339 time of 20 characters).
    static func time(after marker: String, in text: String) -> Date? {
        guard let range = text.range(of: marker) else { return nil }
        return Timestamp.parse(String(text[range.upperBound...].prefix(20)))
    }

    /// The workspace's files, the SQLite ledger's own files left out (a read may leave its journal).
    static func files(_ w: ExampleWorkspace) -> [String] {
        w.workspace.files().filter { !$0.hasPrefix("out/ledger.sqlite") }
    }

    // MARK: - Attack 1: a key past its `until` signing with `--now` set back

    @Test(
        "a key past its until cannot sign by setting --now back: a usage error on a system-clock ledger, judged at the log's own time",
        arguments: StoreKind.allCases
    )
    func expiredKeyOnSystemClock(store: StoreKind) throws {
        // The lawyer's key ended yesterday, by the real clock.
        let until = Timestamp.format(Timestamp.truncated(Date()).addingTimeInterval(-86_400))
        let before = Timestamp.format(try #require(Timestamp.parse(until)).addingTimeInterval(-60))
        let w = try Self.systemLedger(on: store) { try Self.limitNewestKey(of: "lawyer", in: $0, "until", until) }
        try Self.succeed(w, ["open", "mortgage-approval", "M-1", "--doc", Self.application] + Self.signer("bank"))
        try Self.succeed(w, ["sign", "M-1", "credit-check"] + Self.signer("bank"))
        let lawyer = try Self.keyID(w, "out/keys/lawyer.pem")
        let count = try w.entryCount()

        // As the new user tried it: --now a minute before the key's end.
        let backdated = try w.cli.run(["sign", "M-1", "legal-review", "--now", before] + Self.signer("lawyer"))
        #expect(backdated.status == 2, "\(backdated.stdout)\(backdated.stderr)")
        #expect(backdated.stderr.contains(Self.nowRefused), "\(backdated.stderr)")
        #expect(try w.entryCount() == count)

        // Without --now, or signed offline "before" the end, it is judged at the log's own time.
        let expired = "key \(lawyer.prefix(16))… of 'lawyer' is not valid from \(until): judged at log time "
        let now = try w.expectRefusal([expired]) {
            try w.cli.run(["sign", "M-1", "legal-review"] + Self.signer("lawyer"))
        }
        let judged = try #require(Self.time(after: expired, in: now.stderr), "\(now.stderr)")
        #expect(abs(judged.timeIntervalSinceNow) < 60, "judged at the real time, not \(Timestamp.format(judged))")
        let offline = try w.expectRefusal([expired, "(signed at \(before))"]) {
            try w.cli.run(
                ["sign", "M-1", "legal-review", "--now", before, "--offline", "out/review.dsse.json"]
                    + Self.signer("lawyer")
            )
        }
        #expect(abs((Self.time(after: expired, in: offline.stderr) ?? .distantPast).timeIntervalSinceNow) < 60)
        #expect(!FileManager.default.fileExists(atPath: w.path("out/review.dsse.json")))
        #expect(try w.stepStatus("M-1", "legal-review", at: Timestamp.format(Date())) == "ready")
    }

    @Test(
        "on a simulated-clock ledger a key past its until cannot sign: --now never moves log time back, and an envelope signed offline inside the key's window is judged when the log receives it",
        arguments: StoreKind.allCases
    )
    func expiredKeyOnSimulatedClock(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.mortgageParties, store: store, founded: false)
        try Self.limitNewestKey(of: "lawyer", in: w, "until", "2027-03-10T00:00:00Z")
        try w.found(by: "bank")
        let lawyer = try Self.keyID(w, "out/keys/lawyer.pem")
        #expect(try w.openMortgage("M-1", at: "2027-03-01T09:00:00Z").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2027-03-01T10:00:00Z").status == 0)
        // Signed offline on 9 March, inside the key's window: the check then holds.
        let offline = try w.sign(
            "M-1",
            "legal-review",
            as: "lawyer",
            at: "2027-03-09T23:59:00Z",
            "--offline",
            "out/review.dsse.json"
        )
        #expect(offline.status == 0, "\(offline.stderr)")
        // Another case moves the log on to 20 March.
        #expect(try w.openMortgage("M-2", at: "2027-03-20T09:00:00Z").status == 0)

        let expired = "key \(lawyer.prefix(16))… of 'lawyer' is not valid from 2027-03-10T00:00:00Z"
        try w.expectRefusal([
            "\(expired): judged at log time 2027-03-20T10:00:00Z (signed at 2027-03-09T23:59:00Z)"
        ]) {
            try w.cli.run("submit", "out/review.dsse.json", "--now", "2027-03-20T10:00:00Z")
        }
        // The attack as tried, on 20 March with --now 9 March: the log is at 20 March and never goes back.
        try w.expectRefusal([
            "\(expired): judged at log time 2027-03-20T09:00:00Z (signed at 2027-03-09T23:59:00Z)"
        ]) {
            try w.sign("M-1", "legal-review", as: "lawyer", at: "2027-03-09T23:59:00Z")
        }
        // Still waiting for a lawyer (overdue by now: it was due 14 days after the credit check).
        #expect(try w.stepStatus("M-1", "legal-review", at: "2027-03-20T10:00:00Z") == "overdue")
        // The partner's key is in force: the step is signed.
        #expect(try w.sign("M-1", "legal-review", as: "lawyer-partner", at: "2027-03-20T11:00:00Z").status == 0)
        #expect(try Self.logTimes(w).last == Timestamp.parse("2027-03-20T11:00:00Z"))
    }

    // MARK: - Attack 2: a claim dated inside a window that had closed

    @Test(
        "a prize claim signed offline inside its window but received after it closed is refused, naming the window's end and the log time",
        arguments: StoreKind.allCases
    )
    func claimAfterWindow(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: ["retailer", "operator", "regulator"], store: store)
        let lotto = ExampleWorkspace.lottoSamples
        try Self.succeed(
            w,
            [
                "open", "lotto-claim", "L-1", "--doc", "ticket=\(lotto)/ticket-winning.xml", "--now",
                "2026-11-22T10:00:00Z",
            ]
                + Self.signer("retailer")
        )
        #expect(try w.sign("L-1", "check-ticket", as: "retailer", at: "2026-11-22T10:05:00Z").status == 0)
        let draw = try w.sign(
            "L-1",
            "record-draw",
            as: "operator",
            at: "2026-11-22T12:00:00Z",
            "--doc",
            "draw-result=\(lotto)/draw-result.xml"
        )
        #expect(draw.stdout.contains("automatic step determine-prize of L-1 done"), "\(draw.stdout)\(draw.stderr)")
        #expect(try w.status("L-1", at: "2027-11-22T09:00:00Z")["expiresAt"] as? String == "2027-11-22T12:00:00Z")
        let claim = "claim=\(lotto)/claim-nsw.xml"

        // A signature dated after the time the log receives it (beyond 5 minutes' skew) is refused.
        #expect(
            try w.sign(
                "L-1",
                "lodge-claim",
                as: "retailer",
                at: "2027-06-01T00:00:00Z",
                "--doc",
                claim,
                "--offline",
                "out/future.dsse.json"
            ).status == 0
        )
        try w.expectRefusal([
            "it is signed at 2027-06-01T00:00:00Z, later than log time 2027-05-01T00:00:00Z + 5 minutes"
        ]) {
            try w.cli.run("submit", "out/future.dsse.json", "--now", "2027-05-01T00:00:00Z")
        }

        // Signed on the window's last morning, submitted that afternoon: made when the log receives it.
        let late = try w.sign(
            "L-1",
            "lodge-claim",
            as: "retailer",
            at: "2027-11-22T11:00:00Z",
            "--doc",
            claim,
            "--offline",
            "out/claim.dsse.json"
        )
        #expect(late.status == 0, "\(late.stderr)")
        let closed =
            "the case's window ended at 2027-11-22T12:00:00Z, before log time 2027-11-22T15:00:00Z "
            + "(signed at 2027-11-22T11:00:00Z): it takes no more sign-offs and is closed as expired"
        try w.expectRefusal([closed]) {
            try w.cli.run("submit", "out/claim.dsse.json", "--now", "2027-11-22T15:00:00Z")
        }
        #expect(try w.stepStatus("L-1", "lodge-claim", at: "2027-11-22T15:00:00Z") == "ready")

        // The nightly run refuses it the same way from the inbox, and closes the case as expired.
        try FileManager.default.createDirectory(atPath: w.path("out/inbox"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: w.path("out/claim.dsse.json"),
            toPath: w.path("out/inbox/claim.dsse.json")
        )
        try FileManager.default.copyItem(
            atPath: w.path("out/claim.dsse.json.docs"),
            toPath: w.path("out/inbox/claim.dsse.json.docs")
        )
        let night = try w.cli.run(["reconcile", "--now", "2027-11-22T15:00:00Z"] + Self.signer("operator"))
        #expect(night.status == 1, "the refusal is the night's problem: \(night.stderr)")
        #expect(night.stdout.contains("inbox: 0 accepted, 1 refused"), "\(night.stdout)")
        let reason = try String(contentsOfFile: w.path("out/inbox/refused/claim.dsse.json.reason"), encoding: .utf8)
        #expect(reason.contains(closed), "\(reason)")
        let status = try w.status("L-1", at: "2027-11-22T16:00:00Z")
        #expect(status["state"] as? String == "expired", "\(status)")
        #expect(try w.stepStatus("L-1", "lodge-claim", at: "2027-11-22T16:00:00Z") != "done")
    }

    // MARK: - Attack 3: a key registered in 2027 with a backdated `since`

    @Test(
        "a key brought into force in 2027 with a backdated since signs nothing dated 2026: sign, submit and log verify refuse it",
        arguments: StoreKind.allCases
    )
    func backdatedSince(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.mortgageParties, store: store)
        #expect(try w.openMortgage("M-1", at: "2026-11-02T09:00:00Z").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        // In February 2027 the lawyer rotates to a new key whose file says it holds from June 2026.
        #expect(try w.cli.run("keygen", "lawyer", "--out", "out/keys/lawyer-2027.pem", "-q").status == 0)
        try Self.limitNewestKey(of: "lawyer", in: w, "since", "2026-06-01T00:00:00Z")
        let rotated = try w.cli.run(
            "propose",
            "parties/lawyer.yaml",
            "--as",
            "lawyer",
            "--key",
            "out/keys/lawyer.pem",
            "--key",
            "out/keys/lawyer-2027.pem",
            "--now",
            "2027-02-01T00:00:00Z"
        )
        #expect(rotated.status == 0 && rotated.stdout.contains("in force"), "\(rotated.stdout)\(rotated.stderr)")
        let rotation = try w.entryCount() - 1
        let key = try Self.keyID(w, "out/keys/lawyer-2027.pem")
        let backdated =
            "it is signed at 2026-11-03T10:00:00Z, before its key \(key.prefix(16))… of 'lawyer' came into force at "
            + "log time 2027-02-01T00:00:00Z (entry \(rotation))"
        let withNewKey = ["--as", "lawyer", "--key", "out/keys/lawyer-2027.pem"]

        try w.expectRefusal([backdated]) {
            try w.cli.run(["sign", "M-1", "legal-review", "--now", "2026-11-03T10:00:00Z"] + withNewKey)
        }
        try w.expectRefusal([backdated]) {
            try w.cli.run(
                ["sign", "M-1", "legal-review", "--now", "2026-11-03T10:00:00Z", "--offline", "out/review.dsse.json"]
                    + withNewKey
            )
        }
        #expect(!FileManager.default.fileExists(atPath: w.path("out/review.dsse.json")))

        // An envelope made outside Countersign (signed in-process, no check) is refused by submit.
        let orchestrator = Orchestrator(
            repository: try CaseRepository(ledger: Ledger(store: try w.store())),
            orchestratorKey: { _, _ in nil }
        )
        let forged = try orchestrator.stepEntry(
            caseID: "M-1",
            step: "legal-review",
            party: "lawyer",
            key: try KeyFile.load(w.path("out/keys/lawyer-2027.pem")),
            documents: [],
            note: nil,
            rejectReason: nil,
            now: try #require(Timestamp.parse("2026-11-03T10:00:00Z"))
        )
        try OfflineSubmission(entry: forged, documents: []).write(to: w.path("out/forged.dsse.json"))
        try w.expectRefusal([backdated]) {
            try w.cli.run("submit", "out/forged.dsse.json", "--now", "2027-02-02T00:00:00Z")
        }
        #expect(try w.stepStatus("M-1", "legal-review", at: "2027-02-02T00:00:00Z") == "overdue", "not signed")
        // What it signs dated after it came into force is accepted.
        #expect(try w.openMortgage("M-2", at: "2027-02-02T09:00:00Z").status == 0)
        #expect(try w.sign("M-2", "credit-check", as: "bank", at: "2027-02-02T10:00:00Z").status == 0)
        try Self.succeed(w, ["sign", "M-2", "legal-review", "--now", "2027-02-02T11:00:00Z"] + withNewKey)
        #expect(try w.cli.run("log", "verify").status == 0, "the refusals appended nothing")

        // Appended behind Countersign's back, straight into the store, it is found by log verify.
        let store = try w.store()
        let forgedIndex = try store.size()
        try store.append([
            NewEntry(
                envelope: forged.envelope.bytes,
                caseID: "M-1",
                expectedPrevious: try store.chainHead("M-1")?.leaf,
                documents: forged.documents,
                logTime: Timestamp.parse("2027-02-02T00:00:00Z")
            )
        ])
        let verify = try w.cli.run("log", "verify")
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.contains("log verification failed at entry \(forgedIndex)"), "\(verify.stderr)")
        #expect(verify.stderr.contains(backdated), "\(verify.stderr)")
    }

    // MARK: - Attack 4: `advance --now` years ahead on a real ledger

    @Test(
        "on a system-clock ledger every appending command refuses --now (exit 2, nothing appended or written); read-only commands look at any time",
        arguments: StoreKind.allCases
    )
    func nowRefusedOnSystemClock(store: StoreKind) throws {
        let w = try Self.systemLedger(on: store)
        try Self.succeed(w, ["open", "mortgage-approval", "M-1", "--doc", Self.application] + Self.signer("bank"))
        try Self.succeed(w, ["sign", "M-1", "credit-check"] + Self.signer("bank"))
        try Self.succeed(
            w,
            ["sign", "M-1", "legal-review", "--offline", "out/review.dsse.json"] + Self.signer("lawyer")
        )
        let checkpoint = try Self.succeed(w, ["checkpoint"] + Self.signer("bank"))
        try checkpoint.stdout.write(toFile: w.path("out/cp.txt"), atomically: true, encoding: .utf8)
        let lawyer = try Self.keyID(w, "out/keys/lawyer.pem")
        let count = try w.entryCount()
        let files = Self.files(w)
        let later = "2030-01-01T00:00:00Z"

        let appending: [[String]] = [
            ["advance"],
            ["advance"] + Self.signer("bank"),
            ["open", "mortgage-approval", "M-2", "--doc", Self.application] + Self.signer("bank"),
            ["sign", "M-1", "legal-review"] + Self.signer("lawyer"),
            ["submit", "out/review.dsse.json"],
            ["reconcile"] + Self.signer("bank"),
            ["checkpoint"] + Self.signer("bank"),
            ["witness", "out/cp.txt"] + Self.signer("regulator"),
            ["propose", "parties/retailer.yaml"] + Self.signer("bank"),
            ["approve", "1"] + Self.signer("bank"),
            ["revoke", "lawyer", lawyer, "--reason", "left the firm"] + Self.signer("bank"),
            ["consortium", "policy", "--admins", "bank,regulator", "--quorum", "1"] + Self.signer("bank"),
            ["consortium", "init", "--clock", "system"] + Self.signer("bank"),
        ]
        for arguments in appending {
            let result = try w.cli.run(arguments + ["--now", later])
            let command = arguments.prefix(2).joined(separator: " ")
            #expect(result.status == 2, "\(command): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains(Self.nowRefused), "\(command): \(result.stderr)")
            #expect(try w.entryCount() == count, "\(command) appended")
        }
        #expect(Self.files(w) == files, "a refused command wrote a file")
        #expect(try w.store().checkpoints().count == 1)

        // Read-only commands may look at 2030.
        for arguments in [
            ["status", "M-1"], ["status", "M-1", "--json"], ["status"], ["consortium", "show"], ["log", "verify"],
        ] {
            let result = try w.cli.run(arguments + ["--now", later])
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        }
        // And advance on the log's own clock expires nothing: the case is young.
        let advance = try Self.succeed(w, ["advance"] + Self.signer("bank"))
        #expect(advance.stdout.contains("entries appended: 0"), "\(advance.stdout)")
        #expect(try w.entryCount() == count)
        let status = try Self.succeed(w, ["status", "M-1", "--json"])
        #expect(status.stdout.contains("\"state\" : \"open\""), "\(status.stdout)")
    }

    @Test(
        "on a simulated-clock ledger --now sets log time, never backwards, and advance may move through years",
        arguments: StoreKind.allCases
    )
    func nowOnSimulatedClock(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.mortgageParties, store: store)
        #expect(try w.openMortgage("M-1", at: "2026-11-02T09:00:00Z").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        // Back in time: the log time stays at the newest entry's.
        #expect(try w.openMortgage("M-2", at: "2026-11-01T00:00:00Z").status == 0)
        let advance = try w.cli.run("advance", "--now", "2030-01-01T00:00:00Z")
        #expect(advance.status == 0, "\(advance.stderr)")
        #expect(advance.stdout.contains("expired M-1") && advance.stdout.contains("expired M-2"), "\(advance.stdout)")
        let times = try Self.logTimes(w).suffix(5).map { $0.map(Timestamp.format) }
        #expect(
            times == [
                "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z", "2026-11-02T10:00:00Z", "2030-01-01T00:00:00Z",
                "2030-01-01T00:00:00Z",
            ]
        )
        let status = try w.cli.run("status", "M-1", "--now", "2030-01-01T00:00:00Z")
        #expect(status.stdout.contains("its times prove nothing"), "\(status.stdout)")
    }
}
