import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Nightly reconcile report page")
struct ReconcileReportHTMLTests {
    static let night = "2027-11-01T02:00:00Z"

    /// A night with something of everything: a lottery prize expiring in 21 days, a legal review 16
    /// days overdue, a mortgage completed by an inbox envelope and its automatic release, a mortgage
    /// whose window passed, and a junk file in the inbox.
    static func nightWithEverything() throws -> (CaseReportFixture, ReconcileReport) {
        let f = try CaseReportFixture()
        let lotto = "samples/lotto-claim"
        try f.open(
            "lotto-claim",
            "L-1",
            as: "retailer",
            at: "2026-11-22T10:00:00Z",
            documents: [try f.upload("ticket", "\(lotto)/ticket-winning.xml")]
        )
        try f.sign("L-1", "check-ticket", as: "retailer", at: "2026-11-22T10:05:00Z")
        let draw = try f.upload("draw-result", "\(lotto)/draw-result.xml")
        try f.sign("L-1", "record-draw", as: "operator", at: "2026-11-22T12:00:00Z", documents: [draw])

        let samples = CaseReportFixture.mortgageSamples
        let small = try f.upload("application", "\(samples)/application-small.xml")
        // Cases are opened in time order: the log's time only moves forward.
        try f.open("mortgage-approval", "M-3", as: "bank", at: "2027-04-15T09:00:00Z", documents: [small])
        try f.open("mortgage-approval", "M-1", as: "bank", at: "2027-10-01T09:00:00Z", documents: [small])
        try f.sign("M-1", "credit-check", as: "bank", at: "2027-10-01T10:00:00Z")

        let large = try f.upload("application", "\(samples)/application-large.xml")
        try f.open("mortgage-approval", "M-2", as: "bank", at: "2027-10-20T09:00:00Z", documents: [large])
        try f.sign("M-2", "credit-check", as: "bank", at: "2027-10-20T11:00:00Z")
        let valuation = try f.upload("valuation", "\(samples)/valuation.xml")
        try f.sign("M-2", "valuation", as: "bank", at: "2027-10-21T10:00:00Z", documents: [valuation])
        try f.sign("M-2", "legal-review", as: "lawyer", at: "2027-10-22T10:00:00Z")
        try f.sign("M-2", "board-approval", as: "director-a", at: "2027-10-23T10:00:00Z")
        try f.sign("M-2", "board-approval", as: "director-b", at: "2027-10-24T10:00:00Z")
        let deed = try f.upload("title-deed", "\(samples)/title-deed.xml")
        let offline = try f.entry(
            "M-2",
            "title-registration",
            as: "registry",
            at: "2027-10-25T10:00:00Z",
            documents: [deed]
        )
        let inbox = f.folder.url.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try OfflineSubmission(entry: offline, documents: [deed])
            .write(to: inbox.appendingPathComponent("title-M-2.dsse.json").path)
        try "not an envelope <&>".write(
            to: inbox.appendingPathComponent("junk.dsse.json"),
            atomically: true,
            encoding: .utf8
        )

        return (f, try reconcile(f, key: f.keys["bank"]))
    }

    /// Runs the nightly batch over the fixture's ledger at `night`, signing the checkpoint with `key`.
    static func reconcile(_ f: CaseReportFixture, key: Ed25519PrivateKey?) throws -> ReconcileReport {
        let path = f.folder.path("ledger.sqlite")
        let batch = BatchAdvance(workers: 1) {
            let repository = try CaseRepository(ledger: Ledger(store: try SQLiteLedgerStore(path: path)))
            return Orchestrator(repository: repository) { party, _ in f.keys[party] }
        }
        let reconciler = Reconciler(
            orchestrator: f.orchestrator,
            batch: batch,
            origin: "countersign.example/reports",
            checkpointKey: key
        )
        return try reconciler.run(
            inbox: Inbox(folder: f.folder.url.appendingPathComponent("inbox")),
            now: CaseReportFixture.time(night)
        )
    }

    @Test("the page leads with the verdict and the counts, then the cases about to expire")
    func headerAndCounts() throws {
        let (_, report) = try Self.nightWithEverything()
        let html = ReconcileReportHTML.render(report)
        #expect(html.contains("<title>Reconcile 2027-11-01 — countersign.example/reports</title>"))
        // The junk file refused is the night's one problem: an operator is told, not only the inbox table.
        #expect(html.contains("<h1>Reconcile of 2027-11-01 <span class=\"badge rejected\">1 problem</span></h1>"))
        #expect(report.problems.count == 1 && report.problems[0].hasPrefix("inbox: junk.dsse.json refused: "))
        #expect(html.contains("(\(report.ledgerSizeAfter - report.ledgerSizeBefore) appended tonight)"))
        #expect(html.contains("<code>\(report.rootHash.base64)</code>"))
        for (count, label) in [
            (1, "inbox accepted"), (1, "inbox refused"), (0, "inbox deferred"), (2, "automatic entries"),
            (2, "cases advanced"),
            (1, "completed"), (1, "expired"), (1, "overdue steps"), (1, "expiring soon"), (1, "problems"),
        ] {
            #expect(html.contains("<li><strong>\(count)</strong>\(label)</li>"), "\(label)")
        }
        #expect(html.contains("<section class=\"notice alarm\">\n<h2>1 problem found</h2>"))
        let notice = try #require(html.range(of: "<section class=\"notice\">"))
        let overdue = try #require(html.range(of: "<h2>Overdue steps</h2>"))
        #expect(notice.lowerBound < overdue.lowerBound)
    }

    @Test("the unclaimed prize notice: each case within its notice period, its days left, on a picture with now")
    func expiringNotice() throws {
        let (_, report) = try Self.nightWithEverything()
        let html = ReconcileReportHTML.render(report)
        #expect(html.contains("<h2>1 case expires within their notice period</h2>"))
        #expect(
            html.contains(
                "<tr><td><strong>L-1</strong></td><td>lotto-claim</td><td><time>2027-11-22T12:00:00Z</time></td><td>30d</td>"
                    + "<td><span class=\"badge expired\">21 days left</span></td></tr>"
            )
        )
        #expect(html.contains("<title>Cases expiring within their notice period, as of 2027-11-01T02:00:00Z</title>"))
        #expect(html.contains(">L-1</text>") && html.contains(">lotto-claim</text>"))
        #expect(html.contains(">now 2027-11-01</text>"))
        #expect(
            html.contains(
                "<g class=\"mark\"><title>Case L-1 (lotto-claim) expires at 2027-11-22T12:00:00Z, 21 days after this run"
            )
        )
    }

    @Test("overdue steps say who is late and by how long")
    func overdueSteps() throws {
        let (_, report) = try Self.nightWithEverything()
        #expect(
            ReconcileReportHTML.render(report).contains(
                "<tr><td><strong>M-1</strong></td><td>legal-review</td><td><time>2027-10-15T10:00:00Z</time></td>"
                    + "<td>16 days</td><td>lawyer or lawyer-partner</td></tr>"
            )
        )
    }

    @Test("cases advanced tonight: completed by an inbox envelope and its automatic step, or expired")
    func casesAdvanced() throws {
        let (_, report) = try Self.nightWithEverything()
        let html = ReconcileReportHTML.render(report)
        #expect(
            html.contains(
                "<tr><td><strong>M-2</strong></td><td><span class=\"badge completed\">completed</span></td>"
                    + "<td>title-registration</td><td>funds-release</td></tr>"
            )
        )
        #expect(
            html.contains(
                "<tr><td><strong>M-3</strong></td><td><span class=\"badge expired\">expired</span></td>"
                    + "<td></td><td>expire</td></tr>"
            )
        )
    }

    @Test("the inbox lists each file with its outcome; a refusal's reason is escaped")
    func inbox() throws {
        let (_, report) = try Self.nightWithEverything()
        let html = ReconcileReportHTML.render(report)
        let accepted = try #require(report.submissions.first { $0.outcome == "accepted" })
        #expect(
            html.contains(
                "<tr><td><code class=\"name\">title-M-2.dsse.json</code></td><td><span class=\"badge done\">accepted</span></td>"
                    + "<td>M-2 / title-registration</td><td>\(accepted.entryIndex!)</td><td></td></tr>"
            )
        )
        #expect(
            html.contains(
                "<tr><td><code class=\"name\">junk.dsse.json</code></td><td><span class=\"badge rejected\">refused</span>"
            )
        )
        #expect(!html.contains("<&>"))
    }

    @Test("problems come first, in a red box; a run without a key says the checkpoint was not signed")
    func problems() throws {
        let (f, _) = try Self.nightWithEverything()
        let again = try Self.reconcile(f, key: nil)
        let html = ReconcileReportHTML.render(again)
        #expect(html.contains("<h1>Reconcile of 2027-11-01 <span class=\"badge rejected\">1 problem</span></h1>"))
        #expect(html.contains("<section class=\"notice alarm\">\n<h2>1 problem found</h2>"))
        #expect(
            html.contains("<li>no orchestrator key: the checkpoint was not signed (pass --as PARTY --key FILE)</li>")
        )
        let alarm = try #require(html.range(of: "notice alarm"))
        let notice = try #require(html.range(of: "<section class=\"notice\">"))
        #expect(alarm.lowerBound < notice.lowerBound)
        #expect(html.contains("No checkpoint was signed: this run held no orchestrator key."))
        #expect(html.contains("The inbox was empty.") && html.contains("No case gained an entry tonight."))
    }

    @Test("the checkpoint is shown as its note; the page is self-contained and deterministic")
    func checkpointAndPage() throws {
        let (_, report) = try Self.nightWithEverything()
        let html = ReconcileReportHTML.render(report)
        let note = try #require(report.checkpoint)
        #expect(html.contains("<pre class=\"note\">\(HTML.escape(note))</pre>"))
        for forbidden in ["<script", "<link", "<img", "src=", "href=", "url(", "@import", "https:"] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        #expect(ReconcileReportHTML.render(report) == html)
    }
}
