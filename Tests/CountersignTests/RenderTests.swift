import CountersignKit
import Foundation
import Testing

@Suite("Reports rendered in headless Chromium")
struct RenderTests {
    static let samples = ExampleWorkspace.mortgageSamples

    /// The demo's large mortgage signed through the CLI, then read back in-process as a view.
    static func completedMortgage() throws -> (ExampleWorkspace, CaseView) {
        let w = try ExampleWorkspace(keysFor: [
            "bank", "lawyer", "director-a", "director-b", "director-c", "registry",
        ])
        #expect(try w.openMortgage("M-2026-0042", large: true).status == 0)
        let steps: [(String, String, String, [String])] = [
            ("credit-check", "bank", "2026-11-02T11:00:00Z", []),
            ("valuation", "bank", "2026-11-04T10:00:00Z", ["--doc", "valuation=\(samples)/valuation.xml"]),
            ("legal-review", "lawyer", "2026-11-05T15:30:00Z", ["--note", "title search clean"]),
            ("board-approval", "director-a", "2026-11-06T10:00:00Z", []),
            ("board-approval", "director-c", "2026-11-06T18:00:00Z", []),
            (
                "title-registration", "registry", "2026-11-09T09:00:00Z",
                ["--doc", "title-deed=\(samples)/title-deed.xml"]
            ),
        ]
        for (step, party, time, extra) in steps {
            let result = try w.cli.run(
                ["sign", "M-2026-0042", step, "--as", party, "--key", "out/keys/\(party).pem", "--now", time] + extra
            )
            #expect(result.status == 0, "\(step): \(result.stderr)")
        }
        let repository = try CaseRepository(
            ledger: Ledger(store: try SQLiteLedgerStore(path: w.path("out/ledger.sqlite")))
        )
        return (w, try repository.view(of: "M-2026-0042", at: Timestamp.parse("2026-11-09T09:00:00Z")!))
    }

    /// A night like the lead's reconcile test: an inbox envelope, a junk file, a lottery prize
    /// expiring in 21 days and an overdue legal review; reconciled in-process so the report is a value.
    static func nightlyReport() throws -> (ExampleWorkspace, ReconcileReport) {
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer", "retailer", "operator"])
        // In time order: the log's time only moves forward.
        let lotto = ExampleWorkspace.lottoSamples
        let opened = try w.cli.run(
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
        #expect(opened.status == 0, "\(opened.stderr)")
        try w.sign("L-1", "check-ticket", as: "retailer", at: "2026-11-22T10:05:00Z")
        try w.sign(
            "L-1",
            "record-draw",
            as: "operator",
            at: "2026-11-22T12:00:00Z",
            "--doc",
            "draw-result=\(lotto)/draw-result.xml"
        )
        try w.openMortgage("M-1", at: "2027-10-01T09:00:00Z")
        try w.sign("M-1", "credit-check", as: "bank", at: "2027-10-01T10:00:00Z")
        try w.openMortgage("M-2", at: "2027-10-02T09:00:00Z")
        try w.sign("M-2", "credit-check", as: "bank", at: "2027-10-02T10:00:00Z")
        try w.sign(
            "M-2",
            "legal-review",
            as: "lawyer",
            at: "2027-10-03T10:00:00Z",
            "--offline",
            "out/inbox/review.dsse.json"
        )
        try "not an envelope".write(toFile: w.path("out/inbox/junk.dsse.json"), atomically: true, encoding: .utf8)

        let keys = try ["bank", "operator"].reduce(into: [String: Ed25519PrivateKey]()) {
            $0[$1] = try KeyFile.load(w.path("out/keys/\($1).pem"))
        }
        let orchestrator = { () throws -> Orchestrator in
            let ledger = Ledger(store: try SQLiteLedgerStore(path: w.path("out/ledger.sqlite")))
            return Orchestrator(repository: try CaseRepository(ledger: ledger)) { party, _ in keys[party] }
        }
        let reconciler = Reconciler(
            orchestrator: try orchestrator(),
            batch: BatchAdvance(workers: 1, makeOrchestrator: orchestrator),
            origin: "countersign.example/render",
            checkpointKey: keys["bank"]
        )
        let report = try reconciler.run(
            inbox: Inbox(folder: URL(fileURLWithPath: w.path("out/inbox"))),
            now: Timestamp.parse("2027-11-01T02:00:00Z")!
        )
        return (w, report)
    }

    /// A lottery claim of two years, bundled: opened by the operator, checked, its draw recorded
    /// and its prize determined within two hours (the operator's three marks share one spot on a
    /// two-year axis), lodged and paid two years later. Its `report.html`, written by `bundle`.
    static func twoYearClaimReport() throws -> (ExampleWorkspace, URL) {
        let w = try ExampleWorkspace(keysFor: ["bank", "retailer", "operator", "regulator"])
        let lotto = ExampleWorkspace.lottoSamples
        let opened = try w.cli.run([
            "open", "lotto-claim", "L-QLD-1", "--as", "operator", "--key", "out/keys/operator.pem", "--doc",
            "ticket=\(lotto)/ticket-winning-qld.xml", "--now", "2026-11-22T10:00:00Z",
        ])
        #expect(opened.status == 0, "\(opened.stderr)")
        try w.sign("L-QLD-1", "check-ticket", as: "retailer", at: "2026-11-22T10:05:00Z")
        try w.sign(
            "L-QLD-1",
            "record-draw",
            as: "operator",
            at: "2026-11-22T12:00:00Z",
            "--doc",
            "draw-result=\(lotto)/draw-result.xml"
        )
        try w.sign(
            "L-QLD-1",
            "lodge-claim",
            as: "retailer",
            at: "2028-11-20T09:00:00Z",
            "--doc",
            "claim=\(lotto)/claim-qld.xml"
        )
        try w.sign("L-QLD-1", "pay-prize", as: "operator", at: "2028-11-21T09:00:00Z")
        let bundled = try w.cli.run([
            "bundle", "L-QLD-1", "--as", "bank", "--key", "out/keys/bank.pem", "--now", "2028-11-21T09:00:00Z",
        ])
        #expect(bundled.status == 0, "\(bundled.stderr)")
        return (w, URL(fileURLWithPath: w.path("out/bundles/L-QLD-1/data/report.html")))
    }

    /// A synthetic timeline: marks on lanes at seconds after a start, each decision in turn.
    static func timeline(_ title: String, _ marks: [(lane: String, seconds: Double, label: String)]) -> TimelineSVG {
        let start = Timestamp.parse("2026-11-22T10:00:00Z")!
        var lanes: [String] = []
        for mark in marks where !lanes.contains(mark.lane) { lanes.append(mark.lane) }
        let decisions = StepPredicate.Decision.allCases
        return TimelineSVG(
            title: title,
            lanes: lanes.map { TimelineSVG.Lane(id: $0) },
            marks: marks.enumerated().map { index, mark in
                TimelineSVG.Mark(
                    lane: mark.lane,
                    time: start.addingTimeInterval(mark.seconds),
                    decision: decisions[index % decisions.count],
                    label: mark.label,
                    details: "mark \(index)"
                )
            }
        )
    }

    static let day = 86_400.0

    /// Two years; on the first day eighteen entries, six in one second, then one a day for four
    /// days, and three in the last minutes two years on.
    static let dense = timeline(
        "dense",
        (0..<6).map { ("operator", 0, "same-second-\($0)") }
            + (0..<6).map { ("retailer", Double($0) * 600, "within-the-hour-\($0)") }
            + (0..<6).map { ("regulator", Double($0) * 3_600, "hour-\($0)-review") }
            + (1...4).map { ("operator", Double($0) * day, "day-\($0)") }
            + (0..<3).map { ("operator", 730 * day - Double($0) * 60, "final-\($0)") }
    )

    /// Five entries months apart over two years.
    static let sparse = timeline(
        "sparse",
        [
            ("bank", 0, "open"), ("lawyer", 120 * day, "legal-review"), ("bank", 300 * day, "valuation"),
            ("registry", 500 * day, "title-registration"), ("bank", 730 * day, "funds-release"),
        ]
    )

    /// The page's measured boxes, none of which may intersect another; `marks` of them mark shapes.
    static func expectNoOverprint(_ page: URL, marks: Int, in w: ExampleWorkspace) throws {
        let boxes = try RenderedBox.measure(page, scratch: URL(fileURLWithPath: w.path("measured.html")))
        #expect(boxes.filter { $0.what.hasPrefix("mark ") }.count == marks)
        #expect(boxes.allSatisfy { $0.width > 0 && $0.height > 0 }, "every box was laid out")
        let overlaps = RenderedBox.overlaps(boxes)
        #expect(overlaps.isEmpty, "\(overlaps.map { "\($0.0) × \($0.1)" }.joined(separator: "\n"))")
    }

    static func write(_ text: String, _ name: String, in w: ExampleWorkspace) throws -> URL {
        let url = URL(fileURLWithPath: w.path(name))
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("a blank page measures as blank, so the checks below can fail")
    func blankPage() throws {
        let w = try ExampleWorkspace(keysFor: [])
        let page = try Self.write("<!DOCTYPE html><html><body></body></html>", "blank.html", in: w)
        let shot = try RenderScreenshot.take(page, to: URL(fileURLWithPath: w.path("blank.png")))
        #expect(shot.width == 1200 && shot.height == 1600)
        #expect(shot.distinctColours == 1)
        #expect(shot.inkedFraction == 0)
    }

    @Test("the measurement sees overprinting: two labels and two marks drawn on top of each other")
    func measurementCanFail() throws {
        let w = try ExampleWorkspace(keysFor: [])
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 100" width="400" height="100" font-size="11">
            <g class="mark"><title>a</title><circle cx="100" cy="40" r="7"/><text x="112" y="44">determine-prize</text></g>
            <g class="mark"><title>b</title><rect x="96" y="33.5" width="13" height="13"/><text x="130" y="44">open</text></g>
            </svg>
            """
        let page = try Self.write(svg, "overprinted.svg", in: w)
        let boxes = try RenderedBox.measure(page, scratch: URL(fileURLWithPath: w.path("measured.html")))
        #expect(boxes.count == 4)
        #expect(RenderedBox.overlaps(boxes).count == 2, "the labels, and the marks")
    }

    @Test(
        "dense and sparse timelines render in Chromium with no two marks or labels intersecting",
        arguments: ["dense", "sparse"]
    )
    func timelineDensity(name: String) throws {
        let w = try ExampleWorkspace(keysFor: [])
        let timeline = name == "dense" ? Self.dense : Self.sparse
        let svg = try Self.write(timeline.render(), "\(name).svg", in: w)
        let colours = StepPredicate.Decision.allCases.map { TimelineSVG.colour(of: $0) }
        let shot = try RenderScreenshot.take(svg, to: URL(fileURLWithPath: w.path("\(name).png")), probing: colours)
        #expect(shot.distinctColours > 50)
        #expect(shot.inkedFraction > 0.02)
        let drawn = Set(timeline.marks.map { TimelineSVG.colour(of: $0.decision) })
        #expect(shot.coloursFound == drawn)
        try Self.expectNoOverprint(svg, marks: timeline.marks.count, in: w)
    }

    @Test("the two-year claim's bundled report renders, its first day's marks stacked and nothing overprinted")
    func twoYearClaim() throws {
        let (w, page) = try Self.twoYearClaimReport()
        let decisions: [StepPredicate.Decision] = [.open, .approve, .auto]
        let shot = try RenderScreenshot.take(
            page,
            to: URL(fileURLWithPath: w.path("claim.png")),
            probing: decisions.map { TimelineSVG.colour(of: $0) }
        )
        #expect(shot.distinctColours > 200)
        #expect(shot.inkedFraction > 0.15 && shot.inkedFraction < 0.95)
        #expect(shot.coloursFound == Set(decisions.map { TimelineSVG.colour(of: $0) }))
        try Self.expectNoOverprint(page, marks: 6, in: w)
    }

    @Test("the case report renders as a full page: text, tables and the coloured marks of the timeline")
    func caseReport() throws {
        let (w, view) = try Self.completedMortgage()
        let page = try Self.write(CaseReportHTML.render(view), "report.html", in: w)
        let decisions: [StepPredicate.Decision] = [.open, .approve, .auto]
        let shot = try RenderScreenshot.take(
            page,
            to: URL(fileURLWithPath: w.path("report.png")),
            probing: decisions.map { TimelineSVG.colour(of: $0) }
        )
        #expect(shot.distinctColours > 200, "anti-aliased text in several colours")
        #expect(shot.inkedFraction > 0.15 && shot.inkedFraction < 0.95)
        #expect(shot.coloursFound == Set(decisions.map { TimelineSVG.colour(of: $0) }))
        try Self.expectNoOverprint(page, marks: view.state.events.count, in: w)
    }

    @Test("the timeline alone renders as an SVG document in the colours of the decisions drawn, and no other")
    func timeline() throws {
        let (w, view) = try Self.completedMortgage()
        let svg = try Self.write(TimelineSVG(case: view).render(), "timeline.svg", in: w)
        let colours = StepPredicate.Decision.allCases.map { TimelineSVG.colour(of: $0) }
        let shot = try RenderScreenshot.take(svg, to: URL(fileURLWithPath: w.path("timeline.png")), probing: colours)
        #expect(shot.distinctColours > 50)
        #expect(shot.inkedFraction > 0.02)
        let drawn: [StepPredicate.Decision] = [.open, .approve, .auto]
        #expect(shot.coloursFound == Set(drawn.map { TimelineSVG.colour(of: $0) }), "no reject or expire mark")
    }

    @Test("the nightly report renders as a full page, with the expiring case's mark on its picture")
    func nightlyReportPage() throws {
        let (w, report) = try Self.nightlyReport()
        #expect(report.expiringSoon.map(\.caseID) == ["L-1"] && report.overdue.map(\.caseID) == ["M-1"])
        let page = try Self.write(ReconcileReportHTML.render(report), "reconcile.html", in: w)
        let colours = StepPredicate.Decision.allCases.map { TimelineSVG.colour(of: $0) }
        let shot = try RenderScreenshot.take(page, to: URL(fileURLWithPath: w.path("reconcile.png")), probing: colours)
        #expect(shot.distinctColours > 200)
        #expect(shot.inkedFraction > 0.15 && shot.inkedFraction < 0.95)
        #expect(shot.coloursFound == [TimelineSVG.colour(of: .expire)], "only the expiry mark is drawn")
    }
}
