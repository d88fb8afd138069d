import CountersignKit
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite("Cases end to end on SQLite and PostgreSQL: open, sign, submit, status, advance")
struct CaseCommandTests {
    static let allMortgageParties = [
        "bank", "lawyer", "lawyer-partner", "registry", "director-a", "director-b", "director-c",
    ]
    let samples = ExampleWorkspace.mortgageSamples

    @Test(
        "a small mortgage runs to completion: board skipped, funds released automatically",
        arguments: StoreKind.allCases
    )
    func smallMortgage(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.allMortgageParties, store: store)
        #expect(try w.openMortgage("M-1").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        #expect(
            try w.sign(
                "M-1",
                "valuation",
                as: "bank",
                at: "2026-11-03T10:00:00Z",
                "--doc",
                "valuation=\(samples)/valuation.xml"
            ).status == 0
        )
        #expect(try w.sign("M-1", "legal-review", as: "lawyer", at: "2026-11-04T10:00:00Z").status == 0)
        #expect(try w.stepStatus("M-1", "board-approval", at: "2026-11-04T10:00:00Z") == "skipped")
        try w.expectRefusal(["criterion not met: number($title-deed/title-deed/mortgage/amount)"]) {
            try w.sign(
                "M-1",
                "title-registration",
                as: "registry",
                at: "2026-11-05T10:00:00Z",
                "--doc",
                "title-deed=\(samples)/title-deed.xml"
            )
        }
        let status = try w.status("M-1", at: "2026-11-05T10:00:00Z")
        #expect(status["state"] as? String == "open")
        #expect(
            (status["documents"] as! [[String: Any]]).map { $0["name"] as! String } == ["application", "valuation"]
        )
        #expect(FileManager.default.fileExists(atPath: w.path("out/ledger.sqlite")) == (store == .sqlite))
    }

    @Test(
        "a large mortgage needs two distinct directors, and the automatic release fires on the last signature",
        arguments: StoreKind.allCases
    )
    func quorumAndAutomaticRelease(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.allMortgageParties, store: store)
        try w.openMortgage("M-2", large: true)
        try w.sign("M-2", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        try w.sign(
            "M-2",
            "valuation",
            as: "bank",
            at: "2026-11-03T10:00:00Z",
            "--doc",
            "valuation=\(samples)/valuation.xml"
        )
        try w.sign("M-2", "legal-review", as: "lawyer-partner", at: "2026-11-04T10:00:00Z")
        #expect(try w.sign("M-2", "board-approval", as: "director-a", at: "2026-11-05T10:00:00Z").status == 0)
        try w.expectRefusal(["party 'director-a' already signed step 'board-approval'"]) {
            try w.sign("M-2", "board-approval", as: "director-a", at: "2026-11-05T11:00:00Z")
        }
        #expect(try w.stepStatus("M-2", "board-approval", at: "2026-11-05T11:00:00Z") == "ready")
        try w.expectRefusal(["waiting for step 'board-approval'"]) {
            try w.sign(
                "M-2",
                "title-registration",
                as: "registry",
                at: "2026-11-05T12:00:00Z",
                "--doc",
                "title-deed=\(samples)/title-deed.xml"
            )
        }
        #expect(try w.sign("M-2", "board-approval", as: "director-c", at: "2026-11-06T10:00:00Z").status == 0)
        let registered = try w.sign(
            "M-2",
            "title-registration",
            as: "registry",
            at: "2026-11-07T10:00:00Z",
            "--doc",
            "title-deed=\(samples)/title-deed.xml"
        )
        #expect(registered.stdout.contains("automatic step funds-release of M-2 done"))
        let status = try w.status("M-2", at: "2026-11-07T10:00:00Z")
        #expect(status["state"] as? String == "completed")
        let steps = status["steps"] as! [[String: Any]]
        #expect(
            steps.first { $0["id"] as? String == "board-approval" }?["by"] as? [String] == ["director-a", "director-c"]
        )
        #expect(steps.first { $0["id"] as? String == "funds-release" }?["by"] as? [String] == ["bank"])
        try w.expectRefusal(["the case is completed"]) {
            try w.sign("M-2", "legal-review", as: "lawyer", at: "2026-11-08T10:00:00Z")
        }
    }

    @Test("refusals list every unmet criterion in plain words and append nothing", arguments: StoreKind.allCases)
    func refusals(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.allMortgageParties, store: store)
        try w.expectRefusal(["party 'lawyer' may not open a 'mortgage-approval' case (opened by: bank)"]) {
            try w.cli.run(
                "open",
                "mortgage-approval",
                "M-3",
                "--as",
                "lawyer",
                "--key",
                "out/keys/lawyer.pem",
                "--doc",
                "application=\(samples)/application-small.xml"
            )
        }
        try w.openMortgage("M-3")
        try w.expectRefusal(["case 'M-3' is already open"]) { try w.openMortgage("M-3") }
        try w.expectRefusal(["party 'lawyer' may not sign step 'credit-check' (signed by: bank)"]) {
            try w.sign("M-3", "credit-check", as: "lawyer", at: "2026-11-02T10:00:00Z")
        }
        try w.expectRefusal(["waiting for step 'credit-check'"]) {
            try w.sign("M-3", "legal-review", as: "lawyer", at: "2026-11-02T10:00:00Z")
        }
        try w.expectRefusal(["has no step 'appraisal'"]) {
            try w.sign("M-3", "appraisal", as: "bank", at: "2026-11-02T10:00:00Z")
        }
        try w.expectRefusal(["step 'funds-release' is automatic"]) {
            try w.sign("M-3", "funds-release", as: "bank", at: "2026-11-02T10:00:00Z")
        }
        try w.sign("M-3", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        try w.expectRefusal(["step 'credit-check' is already done (by bank)"]) {
            try w.sign("M-3", "credit-check", as: "bank", at: "2026-11-02T11:00:00Z")
        }
        try w.expectRefusal(["step 'valuation' produces document 'valuation': attach it with --doc valuation=FILE"]) {
            try w.sign("M-3", "valuation", as: "bank", at: "2026-11-02T11:00:00Z")
        }
        let lowValuation = w.path("low-valuation.xml")
        try String(contentsOfFile: w.path("\(samples)/valuation.xml"), encoding: .utf8)
            .replacingOccurrences(of: "1480000", with: "500000")
            .write(toFile: lowValuation, atomically: true, encoding: .utf8)
        try w.expectRefusal([
            "criterion not met: number($valuation/valuation/value) * 0.8 >= number($application/application/loan/amount)"
        ]
        ) {
            try w.sign(
                "M-3",
                "valuation",
                as: "bank",
                at: "2026-11-02T11:00:00Z",
                "--doc",
                "valuation=low-valuation.xml"
            )
        }
        try w.expectRefusal(["is dated before the entry it extends"]) {
            try w.sign("M-3", "legal-review", as: "lawyer", at: "2026-11-01T00:00:00Z")
        }
        try w.expectRefusal(["no case 'M-404' in the ledger"]) {
            try w.sign("M-404", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        }
        try w.expectRefusal(["the signing key belongs to 'lawyer', but the entry claims to be signed by 'registry'"]) {
            try w.cli.run("sign", "M-3", "legal-review", "--as", "registry", "--key", "out/keys/lawyer.pem")
        }
    }

    @Test("a rejection ends the case; nothing more can be signed", arguments: StoreKind.allCases)
    func rejection(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.allMortgageParties, store: store)
        try w.openMortgage("M-4")
        try w.sign("M-4", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        let rejected = try w.sign(
            "M-4",
            "legal-review",
            as: "lawyer",
            at: "2026-11-03T10:00:00Z",
            "--reject",
            "--reason",
            "easement not disclosed"
        )
        #expect(rejected.status == 0, "\(rejected.stderr)")
        let status = try w.status("M-4", at: "2026-11-03T10:00:00Z")
        #expect(status["state"] as? String == "rejected")
        let review = (status["steps"] as! [[String: Any]]).first { $0["id"] as? String == "legal-review" }!
        #expect(review["reason"] as? String == "easement not disclosed")
        try w.expectRefusal(["the case is rejected"]) {
            try w.sign(
                "M-4",
                "valuation",
                as: "bank",
                at: "2026-11-04T10:00:00Z",
                "--doc",
                "valuation=\(samples)/valuation.xml"
            )
        }
        #expect(try w.sign("M-4", "legal-review", as: "lawyer", at: "2026-11-04T10:00:00Z", "--reject").status == 2)
    }

    @Test(
        "an offline signature is written, not appended; submitted once it lands, replayed it is refused",
        arguments: StoreKind.allCases
    )
    func offlineAndReplay(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.allMortgageParties, store: store)
        try w.openMortgage("M-5")
        try w.openMortgage("M-6")
        try w.sign("M-5", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        let before = try w.entryCount()
        let offline = try w.sign(
            "M-5",
            "legal-review",
            as: "lawyer",
            at: "2026-11-03T10:00:00Z",
            "--offline",
            "outbox/review.dsse.json"
        )
        #expect(offline.status == 0, "\(offline.stderr)")
        #expect(try w.entryCount() == before)
        let envelope = try Envelope(
            bytes: Array(Data(contentsOf: URL(fileURLWithPath: w.path("outbox/review.dsse.json"))))
        )
        #expect(try envelope.statement().predicate.step == "legal-review")
        let submitted = try w.cli.run("submit", "outbox/review.dsse.json", "--now", "2026-11-04T10:00:00Z")
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(try w.entryCount() == before + 1)
        try w.expectRefusal(["this very entry is already in the case: an entry is appended once"]) {
            try w.cli.run("submit", "outbox/review.dsse.json", "--now", "2026-11-04T10:00:00Z")
        }
        // The same kind of entry signed for M-5 cannot be replayed into M-6: its case and chain differ.
        let tampered = w.path("outbox/other-case.dsse.json")
        try Data(envelope.bytes).write(to: URL(fileURLWithPath: tampered))
        try w.expectRefusal(["refused"]) {
            try w.cli.run("submit", tampered, "--now", "2026-11-04T10:00:00Z")
        }
        #expect(try w.stepStatus("M-6", "legal-review", at: "2026-11-04T10:00:00Z") == "blocked")
    }

    @Test(
        "withdraw: only the opener ends a case, which status then shows as withdrawn, by whom and why",
        arguments: StoreKind.allCases
    )
    func withdrawal(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.allMortgageParties, store: store)
        try w.openMortgage("M-W")
        try w.sign("M-W", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        func withdraw(as party: String, at now: String) throws -> CLI.Result {
            try w.cli.run(
                "withdraw",
                "M-W",
                "--reason",
                "borrower found another lender",
                "--as",
                party,
                "--key",
                "out/keys/\(party).pem",
                "--now",
                now
            )
        }
        try w.expectRefusal(["lawyer"]) { try withdraw(as: "lawyer", at: "2026-11-03T09:00:00Z") }
        let withdrawn = try withdraw(as: "bank", at: "2026-11-03T10:00:00Z")
        #expect(withdrawn.status == 0, "\(withdrawn.stderr)")
        let status = try w.status("M-W", at: "2026-11-04T10:00:00Z")
        #expect(status["state"] as? String == "withdrawn")
        let record = try #require(status["withdrawn"] as? [String: Any])
        #expect(record["by"] as? String == "bank")
        #expect(record["reason"] as? String == "borrower found another lender")
        #expect(record["at"] as? String == "2026-11-03T10:00:00Z")
        let text = try w.cli.run("status", "M-W", "--now", "2026-11-04T10:00:00Z")
        #expect(text.stdout.contains("State: withdrawn"), "\(text.stdout)")
        #expect(
            text.stdout.contains("Withdrawn by bank at 2026-11-03T10:00:00Z: borrower found another lender"),
            "\(text.stdout)"
        )
        try w.expectRefusal(["withdrawn"]) {
            try w.sign("M-W", "legal-review", as: "lawyer", at: "2026-11-05T10:00:00Z")
        }
        try w.expectRefusal(["withdrawn"]) { try withdraw(as: "bank", at: "2026-11-05T10:00:00Z") }
    }

    @Test("an envelope whose bytes were altered after signing is refused", arguments: StoreKind.allCases)
    func alteredEnvelope(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.allMortgageParties, store: store)
        try w.openMortgage("M-7")
        try w.sign("M-7", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z", "--offline", "c.dsse.json")
        let envelope = try Envelope(bytes: Array(Data(contentsOf: URL(fileURLWithPath: w.path("c.dsse.json")))))
        let statement = String(decoding: envelope.payload, as: UTF8.self).replacingOccurrences(
            of: "\"bank\"",
            with: "\"lawyer\""
        )
        let forged = try Envelope(
            bytes: Array(
                String(decoding: envelope.bytes, as: UTF8.self)
                    .replacingOccurrences(
                        of: Data(envelope.payload).base64EncodedString(),
                        with: Data(statement.utf8).base64EncodedString()
                    ).utf8
            )
        )
        try Data(forged.bytes).write(to: URL(fileURLWithPath: w.path("forged.dsse.json")))
        try w.expectRefusal([
            "the signing key belongs to 'bank', but the entry claims to be signed by 'lawyer'",
            "the signature does not verify",
        ]
        ) {
            try w.cli.run("submit", "forged.dsse.json", "--now", "2026-11-02T11:00:00Z")
        }
    }

    @Test(
        "without the orchestrator's key the automatic step waits, and advance with the key fires it",
        arguments: StoreKind.allCases
    )
    func automaticStepWaitsForKey(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.allMortgageParties, store: store)
        try w.openMortgage("M-8", large: true)
        try w.sign("M-8", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        try w.sign(
            "M-8",
            "valuation",
            as: "bank",
            at: "2026-11-03T10:00:00Z",
            "--doc",
            "valuation=\(samples)/valuation.xml"
        )
        try w.sign("M-8", "legal-review", as: "lawyer", at: "2026-11-04T10:00:00Z")
        try w.sign("M-8", "board-approval", as: "director-a", at: "2026-11-05T10:00:00Z")
        try w.sign("M-8", "board-approval", as: "director-b", at: "2026-11-05T11:00:00Z")
        try FileManager.default.moveItem(atPath: w.path("out/keys/bank.pem"), toPath: w.path("bank.pem"))
        let registered = try w.sign(
            "M-8",
            "title-registration",
            as: "registry",
            at: "2026-11-06T10:00:00Z",
            "--doc",
            "title-deed=\(samples)/title-deed.xml"
        )
        #expect(registered.stdout.contains("funds-release is ready for the orchestrator 'bank'"))
        #expect(try w.stepStatus("M-8", "funds-release", at: "2026-11-06T10:00:00Z") == "ready")
        let waiting = try w.cli.run("advance", "--now", "2026-11-06T11:00:00Z")
        #expect(waiting.stdout.contains("waiting for bank's key: M-8 funds-release"))
        let before = try w.entryCount()
        let fired = try w.cli.run("advance", "--now", "2026-11-06T11:00:00Z", "--orchestrator-key", "bank.pem")
        #expect(fired.stdout.contains("automatic step funds-release of M-8 done"), "\(fired.stdout)\(fired.stderr)")
        #expect(try w.entryCount() == before + 1)
        #expect(try w.status("M-8", at: "2026-11-06T11:00:00Z")["state"] as? String == "completed")
        let again = try w.cli.run("advance", "--now", "2026-11-06T11:00:00Z", "--orchestrator-key", "bank.pem")
        #expect(again.status == 0)
        #expect(try w.entryCount() == before + 1)
    }

    @Test(
        "steps not done by their due time are overdue; a case past its window expires by `advance`",
        arguments: StoreKind.allCases
    )
    func overdueAndExpiry(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.allMortgageParties, store: store)
        try w.openMortgage("M-9")
        try w.sign("M-9", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        #expect(try w.stepStatus("M-9", "legal-review", at: "2026-11-16T09:00:00Z") == "ready")
        #expect(try w.stepStatus("M-9", "legal-review", at: "2026-11-16T11:00:00Z") == "overdue")
        let overdue = try w.cli.run("advance", "--now", "2026-11-20T00:00:00Z")
        #expect(
            overdue.stdout.contains(
                "overdue: M-9 step legal-review (due 2026-11-16T10:00:00Z, waiting on lawyer, lawyer-partner)"
            )
        )
        let status = try w.status("M-9", at: "2026-11-20T00:00:00Z")
        #expect(status["expiresAt"] as? String == "2027-05-02T09:00:00Z")
        let before = try w.entryCount()
        #expect(try w.cli.run("advance", "--now", "2027-05-02T08:59:59Z").status == 0)
        #expect(try w.entryCount() == before)
        let expired = try w.cli.run("advance", "--now", "2027-05-02T09:00:00Z")
        #expect(expired.stdout.contains("expired M-9"))
        #expect(try w.entryCount() == before + 1)
        #expect(try w.status("M-9", at: "2027-05-03T00:00:00Z")["state"] as? String == "expired")
        try w.expectRefusal(["the case is expired"]) {
            try w.sign("M-9", "legal-review", as: "lawyer", at: "2027-05-03T00:00:00Z")
        }
    }

    @Test("the prize claim window follows the ticket's territory", arguments: StoreKind.allCases)
    func territoryWindows(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: ["retailer", "operator", "regulator"], store: store)
        let lotto = ExampleWorkspace.lottoSamples
        for (caseID, ticket) in [("NSW-1", "ticket-winning.xml"), ("QLD-1", "ticket-winning-qld.xml")] {
            let opened = try w.cli.run(
                "open",
                "lotto-claim",
                caseID,
                "--as",
                "retailer",
                "--key",
                "out/keys/retailer.pem",
                "--doc",
                "ticket=\(lotto)/\(ticket)",
                "--now",
                "2026-11-22T10:00:00Z"
            )
            #expect(opened.status == 0, "\(opened.stderr)")
            #expect(try w.status(caseID, at: "2026-11-22T10:00:00Z")["expiresAt"] == nil)
            try w.sign(caseID, "check-ticket", as: "retailer", at: "2026-11-22T10:05:00Z")
            let draw = try w.sign(
                caseID,
                "record-draw",
                as: "operator",
                at: "2026-11-22T12:00:00Z",
                "--doc",
                "draw-result=\(lotto)/draw-result.xml"
            )
            #expect(draw.stdout.contains("automatic step determine-prize of \(caseID) done"))
        }
        #expect(try w.status("NSW-1", at: "2026-11-23T00:00:00Z")["expiresAt"] as? String == "2027-11-22T12:00:00Z")
        #expect(try w.status("QLD-1", at: "2026-11-23T00:00:00Z")["expiresAt"] as? String == "2028-11-22T12:00:00Z")
    }

    @Test("two parties signing one case at the same moment never fork it", arguments: StoreKind.allCases)
    func concurrentSigners(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.allMortgageParties, store: store)
        try w.openMortgage("M-10", large: true)
        try w.sign("M-10", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        try w.sign(
            "M-10",
            "valuation",
            as: "bank",
            at: "2026-11-03T10:00:00Z",
            "--doc",
            "valuation=\(samples)/valuation.xml"
        )
        try w.sign("M-10", "legal-review", as: "lawyer", at: "2026-11-04T10:00:00Z")
        let directors = ["director-a", "director-b", "director-c"]
        let results = Mutex<[CLI.Result]>([])
        DispatchQueue.concurrentPerform(iterations: directors.count) { index in
            let result = try! w.sign("M-10", "board-approval", as: directors[index], at: "2026-11-05T10:00:00Z")
            results.withLock { $0.append(result) }
        }
        let outcomes = results.withLock { $0 }
        let landed = outcomes.filter { $0.status == 0 }
        #expect(landed.count >= 1)
        for refused in outcomes where refused.status != 0 {
            #expect(refused.status == 1)
            #expect(
                refused.stderr.contains("moved on") || refused.stderr.contains("already done"),
                "\(refused.stderr)"
            )
        }
        let verify = try w.cli.run("log", "verify")
        #expect(verify.status == 0, "\(verify.stderr)")
        // One chain: each entry extends an earlier entry of the case (its head, or an older one
        // when its signer signed in parallel with a colleague), never one outside it.
        var earlier: [Digest] = []
        for entry in try w.store().entries(ofCase: "M-10") {
            let predicate = try Envelope(bytes: entry.envelope).statement().predicate
            if let previous = predicate.previous {
                #expect(earlier.contains(previous))
            } else {
                #expect(earlier.isEmpty)
            }
            earlier.append(entry.leafHash)
        }
    }
}
