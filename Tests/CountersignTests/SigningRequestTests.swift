import CountersignKit
import Foundation
import TestSupport
import Testing

/// `countersign request` and `countersign sign --request`: signing on a machine with no ledger, and
/// what the ledger makes of the result when it comes back (docs/SIGNING-REQUESTS.md).
@Suite("Signing requests end to end on SQLite and PostgreSQL: request, sign with no ledger, submit")
struct SigningRequestTests {
    let samples = ExampleWorkspace.mortgageSamples

    /// A folder on "the signing machine": only what is copied into it.
    final class SigningMachine: Sendable {
        let folder = Workspace()

        /// The CLI there, pointed at a ledger that cannot be reached (`unreachable`), or at the
        /// folder's default SQLite file, which must never appear.
        func cli(unreachable: Bool) -> CLI {
            var cli = folder.cli
            if unreachable { cli.environment["COUNTERSIGN_LEDGER"] = "postgres://nobody@127.0.0.1:1/no-ledger" }
            return cli
        }

        /// Copies `path` of workspace `w` here as `name` (a key keeps mode 0600).
        func receive(_ path: String, from w: ExampleWorkspace, as name: String) throws {
            try FileManager.default.copyItem(atPath: w.path(path), toPath: folder.path(name))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder.path(name))
        }

        /// `sign --request REQUEST --key KEY --offline OUT --now NOW [extra...]` here.
        func sign(
            _ request: String,
            key: String,
            out: String,
            at now: String,
            unreachable: Bool = false,
            _ extra: String...
        ) throws -> CLI.Result {
            try cli(unreachable: unreachable).run(
                ["sign", "--request", request, "--key", key, "--offline", out, "--now", now] + extra
            )
        }

        /// Copies the envelope `name` (and its documents) back into workspace `w` at `path`.
        func send(_ name: String, to w: ExampleWorkspace, at path: String) throws {
            try FileManager.default.createDirectory(
                atPath: (w.path(path) as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            try FileManager.default.copyItem(atPath: folder.path(name), toPath: w.path(path))
            let documents = OfflineSubmission.documentFolder(for: folder.path(name))
            if FileManager.default.fileExists(atPath: documents) {
                try FileManager.default.copyItem(
                    atPath: documents,
                    toPath: OfflineSubmission.documentFolder(for: w.path(path))
                )
            }
        }
    }

    /// `request CASE STEP --as PARTY --out FILE --now NOW [extra...]`.
    static func request(
        _ w: ExampleWorkspace,
        _ caseID: String,
        _ step: String,
        as party: String,
        out: String,
        at now: String,
        _ extra: String...
    ) throws -> CLI.Result {
        try w.cli.run(["request", caseID, step, "--as", party, "--out", out, "--now", now] + extra)
    }

    /// A large mortgage whose board approval is ready: credit check, valuation and legal review signed.
    static func boardReady(_ w: ExampleWorkspace, _ caseID: String) throws {
        try w.openMortgage(caseID, large: true)
        try w.sign(caseID, "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        try w.sign(
            caseID,
            "valuation",
            as: "bank",
            at: "2026-11-03T10:00:00Z",
            "--doc",
            "valuation=\(ExampleWorkspace.mortgageSamples)/valuation.xml"
        )
        try w.sign(caseID, "legal-review", as: "lawyer", at: "2026-11-04T10:00:00Z")
    }

    @Test(
        "a request signed in a folder with no ledger shows what it signs, touches no store, and is accepted when submitted back; replayed it is refused",
        arguments: StoreKind.allCases
    )
    func signedWithNoLedger(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties, store: store)
        try w.openMortgage("M-1")
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        let before = try w.entryCount()
        let written = try Self.request(
            w,
            "M-1",
            "valuation",
            as: "bank",
            out: "requests/valuation.json",
            at: "2026-11-03T09:00:00Z",
            "--doc",
            "valuation=\(samples)/valuation.xml"
        )
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("extending entry \(before - 1)"), "\(written.stdout)")
        #expect(try w.entryCount() == before)
        // Written once: not replaced without --force.
        let again = try Self.request(
            w,
            "M-1",
            "valuation",
            as: "bank",
            out: "requests/valuation.json",
            at: "2026-11-03T09:00:00Z",
            "--doc",
            "valuation=\(samples)/valuation.xml"
        )
        #expect(again.status == 1 && again.stderr.contains("exists: give --force"), "\(again.stderr)")

        let machine = SigningMachine()
        try machine.receive("requests/valuation.json", from: w, as: "request.json")
        try machine.receive("out/keys/bank.pem", from: w, as: "bank.pem")
        // Pointed at a ledger that cannot be reached, it signs all the same: it never opens one.
        let signed = try machine.sign(
            "request.json",
            key: "bank.pem",
            out: "valuation.dsse.json",
            at: "2026-11-03T10:00:00Z",
            unreachable: true
        )
        #expect(signed.status == 0, "\(signed.stderr)")
        let application = try Self.fingerprint(w, "\(samples)/application-small.xml")
        let valuation = try Self.fingerprint(w, "\(samples)/valuation.xml")
        for shown in [
            "case:      M-1", "step:      valuation, signed by bank", "party:     bank",
            "extends:   entry \(before - 1)", "application  \(application)",
            "valuation    \(valuation)", "attached by this signature",
            "require:   number($valuation/valuation/value) * 0.8 >= number($application/application/loan/amount)",
        ] {
            #expect(signed.stdout.contains(shown), "missing '\(shown)' in:\n\(signed.stdout)")
        }
        #expect(!signed.stdout.contains("application  \(application)  attached"))
        // Nothing but the request, the key, the envelope and the document it attaches.
        #expect(
            machine.folder.files() == [
                "bank.pem", "request.json", "valuation.dsse.json", "valuation.dsse.json.docs",
                "valuation.dsse.json.docs/valuation.xml",
            ]
        )
        // The same with the folder's default ledger: no store file appears.
        let second = try machine.sign(
            "request.json",
            key: "bank.pem",
            out: "second.dsse.json",
            at: "2026-11-03T10:00:00Z"
        )
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: machine.folder.path("out")))
        #expect(!machine.folder.files().contains { $0.contains("sqlite") })
        // Signing the same request twice at the same time gives the same bytes (Ed25519 is deterministic).
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: machine.folder.path("second.dsse.json")))
                == Data(contentsOf: URL(fileURLWithPath: machine.folder.path("valuation.dsse.json")))
        )
        let replaced = try machine.sign(
            "request.json",
            key: "bank.pem",
            out: "second.dsse.json",
            at: "2026-11-03T10:00:00Z"
        )
        #expect(replaced.status == 1 && replaced.stderr.contains("second.dsse.json exists: give --force"))

        try machine.send("valuation.dsse.json", to: w, at: "incoming/valuation.dsse.json")
        let submitted = try w.cli.run("submit", "incoming/valuation.dsse.json", "--now", "2026-11-03T11:00:00Z")
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(try w.entryCount() == before + 1)
        #expect(try w.stepStatus("M-1", "valuation", at: "2026-11-03T11:00:00Z") == "done")
        let documents = try w.status("M-1", at: "2026-11-03T11:00:00Z")["documents"] as! [[String: Any]]
        #expect(documents.map { $0["name"] as! String } == ["application", "valuation"])
        #expect(try w.cli.run("log", "verify").status == 0)

        // A replay: refused by submit; the inbox files it as already accepted; nothing appended.
        try w.expectRefusal(["this very entry is already in the case: an entry is appended once"]) {
            try w.cli.run("submit", "incoming/valuation.dsse.json", "--now", "2026-11-03T12:00:00Z")
        }
        try machine.send("second.dsse.json", to: w, at: "out/inbox/valuation.dsse.json")
        let reconciled = try w.cli.run("reconcile", "--now", "2026-11-03T13:00:00Z")
        #expect(reconciled.status == 0, "\(reconciled.stderr)")
        #expect(try w.entryCount() == before + 1)
        #expect(FileManager.default.fileExists(atPath: w.path("out/inbox/accepted/valuation.dsse.json")))
    }

    @Test(
        "two directors approve the board step, one signing offline from a request while the other signs online, in either order: both count",
        arguments: StoreKind.allCases,
        [true, false]
    )
    func directorsOfflineAndOnline(store: StoreKind, onlineFirst: Bool) throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties, store: store)
        try Self.boardReady(w, "M-2")
        let written = try Self.request(
            w,
            "M-2",
            "board-approval",
            as: "director-a",
            out: "board.json",
            at: "2026-11-05T09:00:00Z"
        )
        #expect(written.status == 0, "\(written.stderr)")
        let machine = SigningMachine()
        try machine.receive("board.json", from: w, as: "board.json")
        try machine.receive("out/keys/director-a.pem", from: w, as: "director-a.pem")
        let signed = try machine.sign(
            "board.json",
            key: "director-a.pem",
            out: "board.dsse.json",
            at: "2026-11-05T10:00:00Z",
            "--as",
            "director-a"
        )
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(signed.stdout.contains("step:      board-approval, signed by 2 of director-a, director-b, director-c"))
        let before = try w.entryCount()
        if onlineFirst {
            // director-b lands first: the offline signature extends an older entry of the case, and
            // still holds on the case as it now stands. It comes through the reconcile inbox.
            #expect(try w.sign("M-2", "board-approval", as: "director-b", at: "2026-11-05T11:00:00Z").status == 0)
            try machine.send("board.dsse.json", to: w, at: "out/inbox/board.dsse.json")
            let reconciled = try w.cli.run("reconcile", "--now", "2026-11-05T12:00:00Z")
            #expect(reconciled.status == 0, "\(reconciled.stdout)\(reconciled.stderr)")
            #expect(FileManager.default.fileExists(atPath: w.path("out/inbox/accepted/board.dsse.json")))
        } else {
            try machine.send("board.dsse.json", to: w, at: "incoming/board.dsse.json")
            let submitted = try w.cli.run("submit", "incoming/board.dsse.json", "--now", "2026-11-05T11:00:00Z")
            #expect(submitted.status == 0, "\(submitted.stderr)")
            #expect(try w.stepStatus("M-2", "board-approval", at: "2026-11-05T11:00:00Z") == "ready")
            #expect(try w.sign("M-2", "board-approval", as: "director-b", at: "2026-11-05T12:00:00Z").status == 0)
        }
        #expect(try w.entryCount() == before + 2)
        let steps = try w.status("M-2", at: "2026-11-05T13:00:00Z")["steps"] as! [[String: Any]]
        let board = try #require(steps.first { $0["id"] as? String == "board-approval" })
        #expect(board["status"] as? String == "done")
        #expect(Set(board["by"] as? [String] ?? []) == ["director-a", "director-b"])
        let registered = try w.sign(
            "M-2",
            "title-registration",
            as: "registry",
            at: "2026-11-06T10:00:00Z",
            "--doc",
            "title-deed=\(samples)/title-deed.xml"
        )
        #expect(registered.status == 0, "\(registered.stderr)")
        #expect(try w.status("M-2", at: "2026-11-06T10:00:00Z")["state"] as? String == "completed")
        #expect(try w.cli.run("log", "verify").status == 0)
    }

    @Test(
        "a tampered request is refused: at sign time when it disagrees with itself, at submit when it disagrees with the case; nothing appended",
        arguments: StoreKind.allCases
    )
    func tamperedRequests(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties, store: store)
        try Self.boardReady(w, "M-3")
        #expect(
            try Self.request(
                w,
                "M-3",
                "board-approval",
                as: "director-a",
                out: "board.json",
                at: "2026-11-05T09:00:00Z"
            ).status == 0
        )
        let machine = SigningMachine()
        try machine.receive("board.json", from: w, as: "board.json")
        try machine.receive("out/keys/director-a.pem", from: w, as: "director-a.pem")
        try machine.receive("out/keys/director-b.pem", from: w, as: "director-b.pem")
        let original =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: machine.folder.path("board.json")))
            ) as! [String: Any]
        let large = try String(contentsOfFile: w.path("\(samples)/application-large.xml"), encoding: .utf8)
        let edited = Array(large.replacingOccurrences(of: ">1160000<", with: ">1190000<").utf8)
        let editedFingerprint = try XMLDocument(bytes: edited, source: "edited").fingerprint()

        /// Writes `change` applied to the request as NAME.json, signs it as director-a (or with
        /// `key`) and returns the result.
        func signTampered(
            _ name: String,
            key: String = "director-a.pem",
            at now: String = "2026-11-05T10:00:00Z",
            _ extra: [String] = [],
            _ change: (inout [String: Any]) -> Void
        ) throws -> CLI.Result {
            var request = original
            change(&request)
            try JSONSerialization.data(withJSONObject: request, options: [.withoutEscapingSlashes])
                .write(to: URL(fileURLWithPath: machine.folder.path("\(name).json")))
            return try machine.cli(unreachable: false).run(
                ["sign", "--request", "\(name).json", "--key", key, "--offline", "\(name).dsse.json", "--now", now]
                    + extra
            )
        }
        func application(_ request: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
            var documents = request["documents"] as! [[String: Any]]
            let index = documents.firstIndex { $0["name"] as? String == "application" }!
            edit(&documents[index])
            request["documents"] = documents
        }
        func refusedAtSign(
            _ result: CLI.Result,
            _ reason: String,
            sourceLocation: Testing.SourceLocation = #_sourceLocation
        ) {
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
            #expect(
                result.stderr.contains(reason),
                "missing '\(reason)' in \(result.stderr)",
                sourceLocation: sourceLocation
            )
            #expect(!result.stdout.contains("signed board-approval"), sourceLocation: sourceLocation)
        }

        // Refused on the signing machine, where the request disagrees with itself.
        refusedAtSign(
            try signTampered("bytes") { request in
                application(&request) { $0["bytes"] = Data(edited).base64EncodedString() }
            },
            "member \"documents[application].bytes\""
        )
        refusedAtSign(
            try signTampered("fingerprint") { request in
                application(&request) { $0["fingerprint"] = "sha256:" + String(repeating: "ab", count: 32) }
            },
            "member \"documents[application].fingerprint\""
        )
        refusedAtSign(
            try signTampered("not-a-signer") {
                $0["party"] = ["id": "lawyer", "keys": ($0["party"] as! [String: Any])["keys"]!]
            },
            "member \"party.id\" is \"lawyer\"; expected one of the step's signers"
        )
        refusedAtSign(
            try signTampered("format") { $0["format"] = "countersign-signing-request/2" },
            "member \"format\""
        )
        refusedAtSign(try signTampered("unknown") { $0["sneaky"] = "x" }, "unknown member \"sneaky\"")
        refusedAtSign(
            try signTampered("other-key", key: "director-b.pem") { _ in },
            "is not one of the keys of 'director-a' the request lists"
        )
        refusedAtSign(
            try signTampered("other-as", ["--as", "director-b"]) { _ in },
            "the request asks 'director-a' to sign, not 'director-b' (--as)"
        )
        refusedAtSign(
            try signTampered("backdated", at: "2026-11-04T09:00:00Z") { _ in },
            "before the entry it extends"
        )
        #expect(!machine.folder.files().contains { $0.hasSuffix(".dsse.json") })

        // Consistent with itself but not with the case: signed, and refused when submitted.
        let forgeries: [(String, String, (inout [String: Any]) -> Void)] = [
            (
                "document", "the entry does not endorse the case's documents as they stand",
                { request in
                    application(&request) {
                        $0["bytes"] = Data(edited).base64EncodedString()
                        $0["sha256"] = SHA256.hash(edited).hex
                        $0["fingerprint"] = editedFingerprint.description
                    }
                }
            ),
            (
                "head", "its `previous` names no entry of case 'M-3'",
                { request in
                    var head = request["head"] as! [String: Any]
                    head["leafHash"] = String(repeating: "cd", count: 32)
                    request["head"] = head
                }
            ),
            (
                "party", "the signing key belongs to 'director-a', but the entry claims to be signed by 'director-b'",
                { request in
                    var party = request["party"] as! [String: Any]
                    party["id"] = "director-b"
                    request["party"] = party
                }
            ),
        ]
        for (name, reason, change) in forgeries {
            let signed = try signTampered(name, [], change)
            #expect(signed.status == 0, "\(name): \(signed.stderr)")
            try machine.send("\(name).dsse.json", to: w, at: "incoming/\(name).dsse.json")
            try w.expectRefusal([reason]) {
                try w.cli.run("submit", "incoming/\(name).dsse.json", "--now", "2026-11-05T11:00:00Z")
            }
        }
        #expect(try w.stepStatus("M-3", "board-approval", at: "2026-11-05T11:00:00Z") == "ready")
    }

    @Test(
        "a request made stale by a newer version of a produced document is refused by the inbox, kept with its reason, nothing appended",
        arguments: StoreKind.allCases
    )
    func staleRequest(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties, store: store)
        try w.openMortgage("M-4")
        try w.sign("M-4", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        func attachValuation(_ file: String, at now: String) throws -> CLI.Result {
            try w.cli.run(
                "attach",
                "M-4",
                "valuation=\(file)",
                "--as",
                "bank",
                "--key",
                "out/keys/bank.pem",
                "--now",
                now
            )
        }
        let first = try attachValuation("\(samples)/valuation.xml", at: "2026-11-02T11:00:00Z")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(
            try Self.request(w, "M-4", "legal-review", as: "lawyer", out: "review.json", at: "2026-11-02T12:00:00Z")
                .status == 0
        )
        // The bank revises its valuation (its step is not done yet, so it may) after the request was written.
        let revised = try String(contentsOfFile: w.path("\(samples)/valuation.xml"), encoding: .utf8)
            .replacingOccurrences(of: "1480000", with: "1490000")
        try revised.write(toFile: w.path("valuation-revised.xml"), atomically: true, encoding: .utf8)
        let second = try attachValuation("valuation-revised.xml", at: "2026-11-02T13:00:00Z")
        #expect(second.status == 0, "\(second.stderr)")

        let machine = SigningMachine()
        try machine.receive("review.json", from: w, as: "review.json")
        try machine.receive("out/keys/lawyer.pem", from: w, as: "lawyer.pem")
        let signed = try machine.sign(
            "review.json",
            key: "lawyer.pem",
            out: "review.dsse.json",
            at: "2026-11-02T14:00:00Z"
        )
        #expect(signed.status == 0, "\(signed.stderr)")
        try machine.send("review.dsse.json", to: w, at: "out/inbox/review.dsse.json")
        let before = try w.entryCount()
        let reconciled = try w.cli.run("reconcile", "--now", "2026-11-02T15:00:00Z")
        #expect(reconciled.stdout.contains("1 refused"), "\(reconciled.stdout)\(reconciled.stderr)")
        #expect(try w.entryCount() == before)
        let reason = try String(contentsOfFile: w.path("out/inbox/refused/review.dsse.json.reason"), encoding: .utf8)
        #expect(reason.contains("the entry does not endorse the case's documents as they stand"), "\(reason)")
        #expect(reason.contains("it lists another version of 'valuation' than the case holds"), "\(reason)")
        #expect(try w.stepStatus("M-4", "legal-review", at: "2026-11-02T15:00:00Z") == "ready")
        // A request written now endorses the revised valuation, and goes through (both said as JSON).
        let rewritten = try Self.request(
            w,
            "M-4",
            "legal-review",
            as: "lawyer",
            out: "review-2.json",
            at: "2026-11-02T16:00:00Z",
            "--json"
        )
        let written = try JSONSerialization.jsonObject(with: Data(rewritten.stdout.utf8)) as? [String: Any]
        #expect(written?["head"] as? Int == before - 1, "\(rewritten.stdout)\(rewritten.stderr)")
        #expect(written?["documents"] as? [String] == ["application", "valuation"])
        try machine.receive("review-2.json", from: w, as: "review-2.json")
        let resigned = try machine.sign(
            "review-2.json",
            key: "lawyer.pem",
            out: "review-2.dsse.json",
            at: "2026-11-02T16:30:00Z",
            "--json"
        )
        let shown = try JSONSerialization.jsonObject(with: Data(resigned.stdout.utf8)) as? [String: Any]
        #expect(shown?["step"] as? String == "legal-review", "\(resigned.stdout)\(resigned.stderr)")
        let endorsed = shown?["documents"] as? [[String: Any]] ?? []
        #expect(endorsed.map { $0["name"] as? String } == ["application", "valuation"])
        #expect(endorsed.last?["fingerprint"] as? String == (try Self.fingerprint(w, "valuation-revised.xml")))
        #expect(endorsed.allSatisfy { $0["attached"] as? Bool == false })
        try machine.send("review-2.dsse.json", to: w, at: "incoming/review-2.dsse.json")
        #expect(try w.cli.run("submit", "incoming/review-2.dsse.json", "--now", "2026-11-02T17:00:00Z").status == 0)
        #expect(try w.stepStatus("M-4", "legal-review", at: "2026-11-02T17:00:00Z") == "done")
    }

    @Test(
        "a request for a step the party may not sign now is refused at request time, naming why, and writes nothing",
        arguments: StoreKind.allCases
    )
    func refusedRequests(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties, store: store)
        try Self.boardReady(w, "M-5")
        let cases: [(String, String, [String], String)] = [
            (
                "board-approval", "lawyer", [],
                "party 'lawyer' may not sign step 'board-approval' (signed by: 2 of director-a"
            ),
            (
                "title-registration", "registry", ["--doc", "title-deed=\(samples)/title-deed.xml"],
                "waiting for step 'board-approval'"
            ),
            ("valuation", "bank", [], "step 'valuation' is already done"),
            ("funds-release", "bank", [], "step 'funds-release' is automatic"),
            ("no-such-step", "bank", [], "pipeline 'mortgage-approval' has no step 'no-such-step'"),
            ("board-approval", "stranger", [], "party 'stranger' holds no key in the consortium"),
        ]
        for (step, party, extra, reason) in cases {
            let refused = try w.expectRefusal([reason]) {
                try w.cli.run(
                    ["request", "M-5", step, "--as", party, "--out", "refused.json", "--now", "2026-11-05T09:00:00Z"]
                        + extra
                )
            }
            #expect(refused.stderr.contains("refused"), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: w.path("refused.json")))
        }
        #expect(try w.sign("M-5", "board-approval", as: "director-a", at: "2026-11-05T10:00:00Z").status == 0)
        try w.expectRefusal(["party 'director-a' already signed step 'board-approval'; another party must"]) {
            try Self.request(
                w,
                "M-5",
                "board-approval",
                as: "director-a",
                out: "refused.json",
                at: "2026-11-05T11:00:00Z"
            )
        }
        // A produced document must come with the request.
        let w2 = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties, store: store)
        try w2.openMortgage("M-6")
        try w2.sign("M-6", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        try w2.expectRefusal(["step 'valuation' produces document 'valuation': attach it with --doc valuation=FILE"]) {
            try Self.request(w2, "M-6", "valuation", as: "bank", out: "refused.json", at: "2026-11-03T09:00:00Z")
        }
        #expect(
            try Self.request(w2, "M-7", "valuation", as: "bank", out: "refused.json", at: "2026-11-03T09:00:00Z").stderr
                .contains("no case 'M-7'")
        )
    }

    /// The `doc fingerprint` of a workspace file.
    static func fingerprint(_ w: ExampleWorkspace, _ path: String) throws -> String {
        try XMLDocument(bytes: Array(Data(contentsOf: URL(fileURLWithPath: w.path(path)))), source: path)
            .fingerprint().description
    }
}
