import CountersignKit
import Foundation
import Testing

/// The random run's checker finds what it looks for: a history signed through the orchestrator
/// passes, and histories appended past the orchestrator's checks are caught rule by rule.
@Suite("Independent case checker")
struct LedgerCaseCheckerTests {
    /// Every problem the checker reports for `example`, as one text to search.
    static func problems(_ example: ExampleCase) throws -> String {
        try example.verdict().violations.joined(separator: "\n")
    }

    @Test("a small loan signed through the orchestrator breaks no rule and is completed")
    func orchestratedHistoryPasses() throws {
        let example = try ExampleCase("small loan")
        try example.sign("credit-check", by: "bank")
        try example.sign("valuation", by: "bank", try example.document("valuation", "valuation.xml"))
        try example.sign("legal-review", by: "lawyer-partner")
        try example.sign(
            "title-registration",
            by: "registry",
            try example.document("title-deed", "title-deed.xml", edit: ("1160000", "640000"))
        )
        let verdict = try example.verdict()
        #expect(verdict.violations.isEmpty, "\(verdict.violations)")
        #expect(verdict.entries == 6)
        #expect(verdict.outcome == .completed)
        #expect(try example.repository.view(of: example.caseID, at: example.now).outcome == .completed)
    }

    @Test("a step signed before its `after` steps, without its documents, or by a party not permitted")
    func orderDocumentsAndAuthority() throws {
        let example = try ExampleCase("small loan")
        try example.forge("valuation", by: "bank")
        try example.forge("credit-check", by: "lawyer")
        let problems = try Self.problems(example)
        #expect(problems.contains("step 'credit-check' (in its `after`) was neither complete nor skipped"))
        #expect(problems.contains("document 'valuation' (in its `produces`) is not attached by the entry"))
        #expect(problems.contains("the party may not sign it (bank)"))
    }

    @Test("a step signed again once complete, a quorum party counted twice, an automatic step signed by a party")
    func quorumAndCompletion() throws {
        let example = try ExampleCase("large loan")
        try example.sign("credit-check", by: "bank")
        try example.forge("credit-check", by: "bank")
        try example.sign("valuation", by: "bank", try example.document("valuation", "valuation.xml"))
        try example.sign("legal-review", by: "lawyer")
        try example.forge("board-approval", by: "director-a")
        try example.forge("board-approval", by: "director-a")
        try example.forge("funds-release", by: "bank")
        let problems = try Self.problems(example)
        #expect(
            problems.contains(
                "entry \(example.workspace.foundingEntries + 2) (approve 'credit-check' by bank at 2026-11-02T11:00:00Z): "
                    + "the step was already complete"
            )
        )
        #expect(
            problems.contains(
                "entry \(example.workspace.foundingEntries + 6) (approve 'board-approval' by director-a "
                    + "at 2026-11-02T15:00:00Z): the party already signed it"
            )
        )
        #expect(problems.contains("a 'approve' entry on a step signed by automatic"))
    }

    @Test("a skipped step signed, a require that does not hold, an expiry inside the window, an entry after the end")
    func conditionsAndExpiry() throws {
        let example = try ExampleCase("small loan")
        try example.sign("credit-check", by: "bank")
        try example.forge(
            "valuation",
            by: "bank",
            documents: [try example.document("valuation", "valuation.xml", edit: ("1480000", "480000"))]
        )
        try example.sign("legal-review", by: "lawyer")
        try example.forge("board-approval", by: "director-b")
        try example.forge("expire", by: "bank", .expire)
        try example.forge("title-registration", by: "registry")
        let problems = try Self.problems(example)
        #expect(problems.contains("its `require` does not hold: number($valuation/valuation/value) * 0.8"))
        #expect(problems.contains("its `if` did not hold: number($application/application/loan/amount) > 1000000"))
        #expect(problems.contains("the window runs until 2027-05-02T09:00:00Z"))
        #expect(
            problems.contains(
                "'title-registration' by registry at 2026-11-02T15:00:00Z): appended after the case ended (expired)"
            )
        )
        #expect(try example.verdict().outcome == .expired)
    }

    @Test(
        "an expiry after the window passes the checker; an entry signed with another key, off the chain, or backdated does not"
    )
    func chainKeysAndTime() throws {
        let example = try ExampleCase("order")
        try example.sign("accept-order", by: "manufacturer")
        try example.forge("certify-origin", by: "manufacturer", key: example.workspace.keys["shipper"]!)
        try example.forge("pack-goods", by: "manufacturer", previous: .some(nil))
        try example.forge("book-transport", by: "shipper", seconds: -7_200)
        // The window runs three months from the accepted order: 2027-02-02T10:00:00Z.
        try example.forge("expire", by: "retailer", .expire, seconds: 92 * 86_400)
        let verdict = try example.verdict()
        let problems = verdict.violations.joined(separator: "\n")
        #expect(problems.contains("it is signed with the key of 'shipper'"))
        #expect(
            problems.contains(
                "'pack-goods' by manufacturer at 2026-11-02T12:00:00Z): `previous` names no earlier entry of the case"
            )
        )
        #expect(problems.contains("it is dated before the entry it extends"))
        #expect(!problems.contains("(expire 'expire'"))
        #expect(verdict.outcome == .expired)
    }
}
