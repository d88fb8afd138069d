import CountersignKit
import Foundation
import Testing

@Suite("Case audit report (report.html)")
struct CaseReportTests {
    @Test("the header names the case, pipeline and version, pipeline digest, outcome, opener and expiry")
    func header() throws {
        let fixture = try CaseReportFixture()
        let view = try fixture.completedMortgage()
        let html = CaseReportHTML.render(view)
        #expect(view.outcome == .completed)
        #expect(html.contains("<title>Case M-2026-0042 — Residential mortgage approval</title>"))
        #expect(html.contains("<h1>Case M-2026-0042 <span class=\"badge completed\">completed</span></h1>"))
        #expect(html.contains("(<code>mortgage-approval</code>, version 2026.1)"))
        #expect(
            html.contains(
                "<dt>Outcome</dt><dd><span class=\"badge completed\">completed</span> at 2026-11-09T09:00:00Z (entry \(fixture.founding + 7))</dd>"
            )
        )
        #expect(html.contains("<code>\(view.pipeline.digest)</code>"))
        #expect(html.contains("<dt>Opened</dt><dd>by bank at 2026-11-02T09:00:00Z</dd>"))
        #expect(
            html.contains("<dt>Expiry</dt><dd>2027-05-02T09:00:00Z (no longer applies: the case is completed)</dd>")
        )
        #expect(html.contains("The case is completed. 6 steps: 6 done."))
    }

    @Test(
        "the header says what the ledger's times mean: log times on a system clock, nothing on a simulated one",
        arguments: ConsortiumSettings.Clock.allCases
    )
    func clock(clock: ConsortiumSettings.Clock) throws {
        let view = try CaseReportFixture().completedMortgage()
        let html = CaseReportHTML.render(view, consortium: try CaseReportFixture.founded(clock: clock))
        #expect(html.contains("<dt>Clock</dt><dd>\(HTML.escape(clock.meaning))</dd>"))
        #expect(html.contains("its times prove nothing") == (clock == .simulated))
        #expect(CaseReportHTML.render(view).contains("<dt>Clock</dt><dd>no consortium: times are as signed</dd>"))
    }

    @Test("an open case shows its expiry as days left; an overdue step shows who is late")
    func openCase() throws {
        let fixture = try CaseReportFixture()
        let html = CaseReportHTML.render(try fixture.overdueMortgage())
        #expect(html.contains("<dt>Expiry</dt><dd>2027-05-02T09:00:00Z (in 152 days)</dd>"))
        #expect(
            html.contains(
                "Ready since 2026-11-02T11:00:00Z; waiting on lawyer or lawyer-partner. "
                    + "<span class=\"badge overdue\">overdue</span> since 2026-11-16T11:00:00Z."
            )
        )
        #expect(html.contains("<td><strong>valuation</strong></td><td>bank</td><td><span class=\"badge ready\">ready"))
        #expect(
            html.contains("Blocked: waiting for step &#39;valuation&#39;; waiting for step &#39;legal-review&#39;.")
        )
        #expect(html.contains("The case is open. 6 steps: 1 done, 1 ready, 1 overdue, 3 blocked."))
    }

    @Test("step statuses: done by every party of a quorum, skipped with its condition, rejected with the reason")
    func stepStatuses() throws {
        let fixture = try CaseReportFixture()
        let completed = CaseReportHTML.render(try fixture.completedMortgage())
        #expect(completed.contains("Done by director-a and director-b at 2026-11-06T18:00:00Z"))
        #expect(completed.contains("<td>2 of<br>director-a<br>director-b<br>director-c</td>"))
        #expect(completed.contains("<td>automatic</td>"))
        // Another ledger: this one's log time has moved past the rejected case's dates.
        let rejected = CaseReportHTML.render(try CaseReportFixture().rejectedMortgage(reason: "income not verified"))
        #expect(rejected.contains("<span class=\"badge rejected\">rejected</span></h1>"))
        #expect(rejected.contains("Rejected by bank at 2026-11-03T12:00:00Z. Reason: “income not verified”."))
    }

    @Test("a skipped step names the condition that is false")
    func skippedStep() throws {
        let fixture = try CaseReportFixture()
        let view = try fixture.overdueMortgage()
        try fixture.sign(view.state.caseID, "legal-review", as: "lawyer", at: "2026-12-01T00:00:00Z")
        try fixture.sign(
            view.state.caseID,
            "valuation",
            as: "bank",
            at: "2026-12-01T01:00:00Z",
            documents: [try fixture.upload("valuation", "\(CaseReportFixture.mortgageSamples)/valuation.xml")]
        )
        let html = CaseReportHTML.render(try fixture.view(view.state.caseID, at: "2026-12-01T01:00:00Z"))
        #expect(
            html.contains(
                "Skipped since 2026-12-01T01:00:00Z: its condition "
                    + "(<code>number($application/application/loan/amount) &gt; 1000000</code>) is false."
            )
        )
    }

    @Test("documents are listed with their fingerprints, and declared documents not attached say so")
    func documents() throws {
        let fixture = try CaseReportFixture()
        let view = try fixture.completedMortgage()
        let html = CaseReportHTML.render(view)
        for (name, file) in [
            ("application", "application-large.xml"), ("valuation", "valuation.xml"), ("title-deed", "title-deed.xml"),
        ] {
            let url = CaseReportFixture.pipelines.appendingPathComponent("\(CaseReportFixture.mortgageSamples)/\(file)")
            let fingerprint = try XMLDocument(bytes: Array(try Data(contentsOf: url)), source: file).fingerprint()
            #expect(html.contains("<td><strong>\(name)</strong></td><td><code>\(fingerprint)</code></td>"))
        }
        let open = CaseReportHTML.render(try fixture.overdueMortgage())
        #expect(open.contains("<td><strong>valuation</strong></td><td><span class=\"muted\">not attached</span></td>"))
    }

    @Test("every entry is listed with index, time, party, step, decision, note, key id and leaf hash")
    func entries() throws {
        let fixture = try CaseReportFixture()
        let view = try fixture.completedMortgage()
        let html = CaseReportHTML.render(view)
        #expect(view.state.events.count == 8)
        for event in view.state.events {
            let predicate = event.predicate
            let row =
                "<tr><td>\(event.index)</td><td>\(try #require(event.logTime.map(Timestamp.format)))</td>"
                + "<td>\(Timestamp.format(predicate.signedAt))</td>"
                + "<td>\(predicate.party)</td><td>\(predicate.step)</td>"
                + "<td><span class=\"badge \(predicate.decision.rawValue)\">\(predicate.decision.rawValue)</span></td>"
            #expect(html.contains(row), "entry \(event.index)")
            #expect(
                html.contains(
                    "<code>\(try #require(event.envelope.signatures[0].keyID))</code><br><span class=\"muted\">leaf</span> "
                        + "<code>\(event.leafHash.hex)</code>"
                )
            )
        }
        // The key the consortium resolved is shown rather than the one the signature names.
        let resolved = String(repeating: "f", count: 64)
        let first = view.state.events[0]
        let shown = CaseReportHTML.render(view, signingKeys: [first.index: resolved])
        #expect(
            shown.contains(
                "<code>\(resolved)</code><br><span class=\"muted\">leaf</span> <code>\(first.leafHash.hex)</code>"
            )
        )
        #expect(shown.contains("Key \(resolved.prefix(16))…"))
        #expect(html.contains("<td>title search clean</td>"))
        #expect(html.contains("<span class=\"muted\">attaches title-deed</span>"))
        #expect(html.contains("<span class=\"badge auto\">auto</span>"))
    }

    @Test("text from the ledger is escaped everywhere it appears")
    func escaping() throws {
        let fixture = try CaseReportFixture()
        let hostile = "<script>alert('x')</script> & \"quoted\""
        let html = CaseReportHTML.render(try fixture.completedMortgage(note: hostile))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"))
        #expect(html.components(separatedBy: "&lt;script&gt;").count == 3, "in the entry table and the hover title")
    }

    @Test("the page is self-contained: no script, no external resource, no link out")
    func selfContained() throws {
        let fixture = try CaseReportFixture()
        let html = CaseReportHTML.render(try fixture.completedMortgage())
        for forbidden in ["<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import", "https:"] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.contains("<style>") && html.contains("@media print"))
        #expect(html.components(separatedBy: "http://").count == 2, "only the SVG namespace")
    }

    @Test("the same case renders the same bytes, however often and from whichever repository")
    func deterministic() throws {
        let fixture = try CaseReportFixture()
        let view = try fixture.completedMortgage()
        let again = try CaseRepository(ledger: fixture.ledger)
        let reloaded = try again.view(of: view.state.caseID, at: view.now)
        #expect(CaseReportHTML.render(view) == CaseReportHTML.render(reloaded))
    }
}
