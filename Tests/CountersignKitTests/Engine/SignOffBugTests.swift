import CountersignKit
import Foundation
import Testing

/// Sign-offs the orchestrator accepts though the pipeline contract says they must be refused, found
/// by the random run. Each test fails until the engine is fixed.
@Suite("Sign-off refusals the random run found missing")
struct SignOffBugTests {
    /// Whether submitting `make()`'s entry is refused, with the reasons given.
    static func refusal(_ example: ExampleCase, _ make: () throws -> SignedEntry) throws -> [String]? {
        do {
            try example.orchestrator.submit(try make(), now: example.now)
        } catch EngineError.refused(_, _, let reasons) {
            return reasons
        }
        return nil
    }

    @Test(
        "a document attached by a sign-off does not reopen a completed case",
        .bug(id: "validator-evaluates-the-case-with-the-entrys-own-documents")
    )
    func attachmentDoesNotReopenACompletedCase() throws {
        // A Queensland ticket wins 20: no regulator approval, the prize is paid and the case is complete.
        let example = try ExampleCase("winning QLD ticket")
        try example.sign("check-ticket", by: "retailer")
        try example.sign("record-draw", by: "operator", try example.document("draw-result", "draw-result.xml"))
        try example.sign("lodge-claim", by: "retailer", try example.document("claim", "claim-qld.xml"))
        try example.sign("pay-prize", by: "operator")
        #expect(try example.repository.view(of: example.caseID, at: example.now).outcome == .completed)

        // The regulator signs the skipped approval, attaching the 25,000 ticket: its `if` now holds
        // over the documents the entry brings, so the engine treats the case as open again.
        example.now += 3_600
        let ticket = try example.document("ticket", "ticket-winning.xml")
        let reasons = try Self.refusal(example) {
            try example.orchestrator.stepEntry(
                caseID: example.caseID,
                step: "regulator-approval",
                party: "regulator",
                key: example.workspace.keys["regulator"]!,
                documents: [ticket],
                note: nil,
                rejectReason: nil,
                now: example.now
            )
        }
        #expect(reasons?.contains("the case is completed") == true, "accepted after the case was completed")
    }

    @Test(
        "a document attached by a sign-off does not skip a step the sign-off must wait for",
        .bug(id: "validator-evaluates-the-case-with-the-entrys-own-documents")
    )
    func attachmentDoesNotSkipAnEarlierStep() throws {
        // A 1,160,000 loan: the board must approve before the title is registered.
        let example = try ExampleCase("large loan")
        try example.sign("credit-check", by: "bank")
        try example.sign("valuation", by: "bank", try example.document("valuation", "valuation.xml"))
        try example.sign("legal-review", by: "lawyer")

        // The registry registers a 640,000 deed and attaches the 640,000 application with it: over
        // the entry's own documents the board step is skipped, so the engine lets it through.
        example.now += 3_600
        let documents = [
            try example.document("title-deed", "title-deed.xml", edit: ("1160000", "640000")),
            try example.document("application", "application-small.xml"),
        ]
        let reasons = try Self.refusal(example) {
            try example.orchestrator.stepEntry(
                caseID: example.caseID,
                step: "title-registration",
                party: "registry",
                key: example.workspace.keys["registry"]!,
                documents: documents,
                note: nil,
                rejectReason: nil,
                now: example.now
            )
        }
        #expect(
            reasons?.contains("waiting for step 'board-approval'") == true,
            "registered before the board approved the 1,160,000 loan"
        )
    }

    @Test(
        "a sign-off after the case's window has passed is refused, whether or not `advance` ran",
        .bug(id: "sign-offs-accepted-after-the-expiry-window")
    )
    func signOffAfterTheWindowIsRefused() throws {
        // The mortgage window is six months from opening (2026-11-02T09:00:00Z): it ends 2027-05-02T09:00:00Z.
        let example = try ExampleCase("small loan")
        example.now = Timestamp.parse("2027-05-03T09:00:00Z")!
        #expect(try example.repository.view(of: example.caseID, at: example.now).shouldExpire)
        let reasons = try Self.refusal(example) {
            try example.orchestrator.stepEntry(
                caseID: example.caseID,
                step: "credit-check",
                party: "bank",
                key: example.workspace.keys["bank"]!,
                documents: [],
                note: nil,
                rejectReason: nil,
                now: example.now
            )
        }
        #expect(reasons != nil, "credit-check signed a day after the case's window ended")
    }
}
