import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Case summaries, the batch's cache")
struct CaseSummaryTests {
    /// Every stored summary against a fold of the case's entries alone, by a fresh repository.
    static func expectCacheMatchesReplay(_ w: ExampleWorkspace, at now: String) throws {
        let store = try SQLiteLedgerStore(path: w.path("out/ledger.sqlite"))
        let repository = try CaseRepository(ledger: Ledger(store: store))
        let cached = try store.allCaseSummaries()
        let replayed = try store.caseIDs().sorted().map {
            try repository.view(of: $0, at: Timestamp.parse(now)!).summary
        }
        #expect(cached == replayed)
        #expect(try store.caseSummaryWatermark() == store.size())
    }

    @Test("after advance, the summaries equal a replay of the whole ledger, and advance skips cases with nothing due")
    func cacheEqualsReplay() throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties)
        let samples = ExampleWorkspace.mortgageSamples
        for number in 1...4 { try w.openMortgage("M-\(number)", large: number == 4) }
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        try w.sign("M-2", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        try w.sign("M-2", "legal-review", as: "lawyer", at: "2026-11-03T10:00:00Z", "--reject", "--reason", "no")
        try w.sign("M-4", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        try w.sign(
            "M-4",
            "valuation",
            as: "bank",
            at: "2026-11-03T10:00:00Z",
            "--doc",
            "valuation=\(samples)/valuation.xml"
        )

        let first = try w.cli.run("advance", "--json", "--now", "2026-11-05T00:00:00Z")
        #expect(first.status == 0, "\(first.stderr)")
        let firstReport = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as! [String: Any]
        #expect(firstReport["evaluated"] as? Int == 4)
        #expect(firstReport["openCases"] as? Int == 3)
        try Self.expectCacheMatchesReplay(w, at: "2026-11-05T00:00:00Z")

        let quiet = try w.cli.run("advance", "--json", "--now", "2026-11-06T00:00:00Z")
        #expect(
            (try JSONSerialization.jsonObject(with: Data(quiet.stdout.utf8)) as! [String: Any])["evaluated"] as? Int
                == 0
        )

        try w.sign("M-3", "credit-check", as: "bank", at: "2026-11-06T10:00:00Z")
        let overdue = try w.cli.run("advance", "--json", "--now", "2026-11-21T00:00:00Z")
        let report = try JSONSerialization.jsonObject(with: Data(overdue.stdout.utf8)) as! [String: Any]
        let late = (report["overdue"] as! [[String: Any]]).map { "\($0["case"]!)/\($0["step"]!)" }
        #expect(late == ["M-1/legal-review", "M-3/legal-review", "M-4/legal-review"])
        try Self.expectCacheMatchesReplay(w, at: "2026-11-21T00:00:00Z")
    }
}
