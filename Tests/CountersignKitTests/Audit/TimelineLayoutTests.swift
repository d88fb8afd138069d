import CountersignKit
import Foundation
import Testing

@Suite("Timeline layout: marks and labels never overprint")
struct TimelineLayoutTests {
    static func time(_ text: String) -> Date { Timestamp.parse(text)! }

    /// Marks on `lanes` at the given times (seconds after `start`), each labelled with its step.
    static func timeline(_ marks: [(lane: String, seconds: Double, label: String)]) -> TimelineSVG {
        let start = time("2026-11-22T10:00:00Z")
        var lanes: [String] = []
        for mark in marks where !lanes.contains(mark.lane) { lanes.append(mark.lane) }
        let decisions = StepPredicate.Decision.allCases
        return TimelineSVG(
            title: "synthetic",
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

    /// Two years; on its first day a dozen entries, six of them in the same second, then a few a
    /// day apart, and the last two years on: the densest a case gets.
    static let dense = timeline(
        (0..<6).map { ("operator", 0, "same-second-\($0)") }
            + (0..<6).map { ("retailer", Double($0) * 600, "within-the-hour-\($0)") }
            + (1...4).map { ("operator", Double($0) * day, "day-\($0)") }
            + [("regulator", 2, "regulator-approval"), ("regulator", 730 * day, "pay-prize")]
            + (0..<3).map { ("operator", 730 * day - Double($0) * 60, "final-\($0)") }
    )

    /// Four entries a quarter apart on three lanes.
    static let sparse = timeline([
        ("bank", 0, "open"), ("lawyer", 91 * day, "legal-review"), ("bank", 182 * day, "valuation"),
        ("registry", 365 * day, "title-registration"),
    ])

    static func overlaps(_ svg: String) -> [(SVGBox, SVGBox)] {
        SVGBox.overlaps(SVGBox.boxes(in: svg))
    }

    @Test("the overlap check sees labels that overprint, and marks on top of each other")
    func checkCanFail() {
        let overprinted = """
            <g class="mark"><title>a</title><circle cx="500" cy="40" r="7"/>\
            <text class="label" x="508.5" y="44" font-size="11">determine-prize</text></g>
            <g class="mark"><title>b</title><rect x="496" y="33.5" width="13" height="13"/>\
            <text class="label" x="530" y="44" font-size="11">open</text></g>
            """
        let found = Self.overlaps(overprinted)
        #expect(found.count == 3, "two labels, two marks, and a label over a mark: \(found)")
    }

    @Test(
        "no two marks or labels intersect, on dense and sparse timelines and the report's cases",
        arguments: ["dense", "sparse", "two-year claim", "mortgage"]
    )
    func neverOverprint(name: String) throws {
        let svg: String
        switch name {
        case "dense": svg = Self.dense.render()
        case "sparse": svg = Self.sparse.render()
        case "two-year claim": svg = TimelineSVG(case: try CaseReportFixture().twoYearClaim()).render()
        default: svg = TimelineSVG(case: try CaseReportFixture().completedMortgage()).render()
        }
        let boxes = SVGBox.boxes(in: svg)
        let marks = SVGBox.matches(#"<g class="mark">"#, in: svg).count
        #expect(boxes.filter { $0.what.hasPrefix("mark ") }.count == marks && marks > 0)
        #expect(boxes.filter { $0.what.hasPrefix("text ") }.count > marks, "every label, lane and tick is measured")
        let overlaps = SVGBox.overlaps(boxes)
        #expect(overlaps.isEmpty, "\(overlaps.map { "\($0.0) × \($0.1)" }.joined(separator: "\n"))")
        for box in boxes {
            #expect(box.minX >= 0 && box.maxX <= 1_000, "\(box) inside the picture")
        }
    }

    @Test("the two-year claim's first entries share one spot on the axis, so they stack in rows")
    func twoYearClaimStacks() throws {
        let timeline = TimelineSVG(case: try CaseReportFixture().twoYearClaim())
        let labels = timeline.marks.map(\.label)
        #expect(labels == ["open", "check-ticket", "record-draw", "determine-prize", "lodge-claim", "pay-prize"])
        let svg = timeline.render()
        let placed = SVGBox.matches(
            #"<g class="mark"><title>[^<]*</title><[^>]*/><text class="label" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>"#,
            in: svg
        )
        let rows = Dictionary(grouping: placed.filter { ["open", "record-draw", "determine-prize"].contains($0[2]) }) {
            $0[1]
        }
        #expect(rows.count == 3, "the operator's three entries of the first day are on three rows: \(placed)")
    }

    @Test("marks far apart keep one row per lane, labels to their right but at the right edge")
    func sparseKeepsOneRow() {
        let svg = Self.sparse.render()
        let labels = SVGBox.matches(#"<text class="label" ([^>]*)>([^<]*)</text>"#, in: svg)
        #expect(labels.map { $0[1] } == ["open", "legal-review", "valuation", "title-registration"])
        #expect(labels.map { $0[0].contains("text-anchor=\"end\"") } == [false, false, false, true])
        let rowLines = SVGBox.matches(##"<line x1="190" y1="([\d.]+)" x2="970" y2="[\d.]+" stroke="#c9d1db""##, in: svg)
        #expect(rowLines.count == 3, "one row per lane")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 258\""), "3 × 58 + 8 + 76")
    }

    @Test("a label near the right edge goes to the left of its mark; one too long for either side is shortened")
    func edges() {
        let long = String(repeating: "very-long-step-name-", count: 8)
        let svg = Self.timeline([("bank", 0, "open"), ("bank", 365 * Self.day, "closing-step"), ("lawyer", 0, long)])
            .render()
        #expect(svg.contains("text-anchor=\"end\" font-size=\"11\" fill=\"#1c2430\">closing-step</text>"))
        #expect(svg.contains("…</text>") && !svg.contains(long))
        #expect(Self.overlaps(svg).isEmpty)
    }

    @Test("a lane shows the display name on up to two lines, with the id and caption under it")
    func laneNames() throws {
        let mark = TimelineSVG.Mark(
            lane: "lawyer-partner",
            time: Self.time("2026-11-22T10:00:00Z"),
            decision: .approve,
            label: "legal-review",
            details: "x"
        )
        let long = "Jane Smith, Partner, Smith & Jones, Solicitors and Notaries Public of the City of Sydney"
        let svg = TimelineSVG(
            title: "t",
            lanes: [
                .init(id: "lawyer-partner", name: long, caption: "signer"),
                .init(id: "bank", name: "bank"),
            ],
            marks: [mark]
        ).render()
        let lines = SVGBox.matches(#"<text x="12" [^>]*>(?:<title>([^<]*)</title>)?([^<]*)</text>"#, in: svg)
        #expect(lines.count == 4, "two lines of the name, its id and caption, and the bank: \(lines)")
        #expect(lines[0][0] == HTML.escape(long) && lines[1][0] == HTML.escape(long), "the whole name as hover text")
        #expect(lines[0][1].hasPrefix("Jane Smith,") && lines[1][1].hasSuffix("…"))
        #expect(lines[2][1] == "lawyer-partner · signer")
        #expect(lines[3][1] == "bank", "a name equal to the id is shown once")
        for box in SVGBox.boxes(in: svg) where box.minX == 12 {
            #expect(box.maxX < 190, "\(box) left of the plot")
        }
        #expect(Self.overlaps(svg).isEmpty)
    }

    @Test("marks are laid out in time order, whatever order they are given in")
    func timeOrder() {
        var moved = Self.dense
        moved.marks.insert(moved.marks.removeLast(), at: 0)
        moved.marks.insert(moved.marks.remove(at: 12), at: 1)
        #expect(moved.marks.map(\.label) != Self.dense.marks.map(\.label))
        #expect(moved.render() == Self.dense.render())
    }
}
