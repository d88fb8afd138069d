import CountersignKit
import Foundation
import Testing

@Suite("Timeline picture")
struct TimelineTests {
    static func time(_ text: String) -> Date { Timestamp.parse(text)! }

    static func axis(_ first: String, _ last: String) -> TimelineAxis {
        TimelineAxis(first: time(first), last: time(last), left: 190, right: 970)
    }

    @Test(
        "ticks fall on round UTC times, no closer than the tick spacing, labelled for their scale",
        arguments: [
            ("2026-11-02T09:00:00Z", "2026-11-09T09:00:00Z", "2026-11-03", "T00:00:00Z"),
            ("2026-11-02T09:00:00Z", "2026-11-02T15:30:00Z", "11-02 09:00", ":00:00Z"),
            ("2026-11-22T10:00:00Z", "2028-11-23T02:00:00Z", "2027-01", "-01T00:00:00Z"),
            ("2026-11-22T10:00:00Z", "2046-11-23T02:00:00Z", "2030", "-01-01T00:00:00Z"),
            ("2026-11-02T09:00:00Z", "2026-11-02T09:00:00Z", "11-02 08:30", ":00Z"),
        ]
    )
    func ticks(first: String, last: String, label: String, suffix: String) throws {
        let axis = Self.axis(first, last)
        let ticks = axis.ticks
        #expect(ticks.count >= 2 && ticks.count <= Int(780 / TimelineAxis.tickSpacing))
        #expect(ticks.contains { $0.label == label }, "\(ticks.map(\.label))")
        for tick in ticks {
            #expect(Timestamp.format(tick.time).hasSuffix(suffix))
            #expect(axis.start <= tick.time && tick.time <= axis.end)
        }
        let positions = ticks.map { axis.x($0.time) }
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $1 - $0 >= TimelineAxis.tickSpacing * 0.99 })
    }

    @Test("times map left to right inside the plot, first and last off its edges")
    func mapping() {
        let axis = Self.axis("2026-11-02T09:00:00Z", "2026-11-09T09:00:00Z")
        let first = axis.x(Self.time("2026-11-02T09:00:00Z"))
        let middle = axis.x(Self.time("2026-11-05T21:00:00Z"))
        let last = axis.x(Self.time("2026-11-09T09:00:00Z"))
        #expect(190 < first && first < middle && middle < last && last < 970)
        #expect(abs(middle - 580) < 0.001)
        #expect(abs((first - 190) - (970 - last)) < 0.001)
    }

    @Test("a case's timeline: a lane per signing party in order of first entry, the orchestrator's marked")
    func caseLanes() throws {
        let fixture = try CaseReportFixture()
        let timeline = TimelineSVG(case: try fixture.completedMortgage())
        #expect(timeline.lanes.map(\.id) == ["bank", "lawyer", "director-a", "director-b", "registry"])
        #expect(timeline.lanes.map(\.caption) == ["orchestrator", nil, nil, nil, nil])
        #expect(
            timeline.marks.map(\.label) == [
                "open", "credit-check", "valuation", "legal-review", "board-approval", "board-approval",
                "title-registration", "funds-release",
            ]
        )
        #expect(
            timeline.marks.map(\.decision) == [
                .open, .approve, .approve, .approve, .approve, .approve, .approve, .auto,
            ]
        )
        #expect(timeline.marks.map(\.group) == [nil, nil, nil, nil, "board-approval", "board-approval", nil, nil])
        #expect(timeline.marks[3].details.contains("Note: title search clean"))
        #expect(
            timeline.marks[2].details.hasPrefix(
                "Entry \(fixture.founding + 2) at 2026-11-04T10:00:00Z\nbank: approve valuation\n"
            )
        )
    }

    @Test("with the consortium's names, each lane shows its party's display name over its id")
    func laneNames() throws {
        let fixture = try CaseReportFixture()
        let names = PartyNames(fixture.consortium)
        let timeline = TimelineSVG(case: try fixture.completedMortgage(), names: names)
        #expect(timeline.lanes.map(\.name) == timeline.lanes.map { fixture.consortium.members[$0.id]?.name })
        let svg = timeline.render()
        #expect(svg.contains(">First Harbour Bank</text>") && svg.contains(">bank · orchestrator</text>"))
        #expect(
            svg.contains(">Smith &amp; Jones</text>") && svg.contains(">Conveyancing</text>")
                && svg.contains(">lawyer</text>"),
            "a name too wide for one line wraps onto two"
        )
        #expect(svg.contains("Smith &amp; Jones Conveyancing (lawyer): approve legal-review"), "the hover text")
    }

    @Test("the orchestrator has a lane even before it signs anything")
    func orchestratorLane() throws {
        let fixture = try CaseReportFixture()
        try fixture.open(
            "lotto-claim",
            "L-1",
            as: "retailer",
            at: "2026-11-22T10:00:00Z",
            documents: [try fixture.upload("ticket", "samples/lotto-claim/ticket-winning.xml")]
        )
        let timeline = TimelineSVG(case: try fixture.view("L-1", at: "2026-11-22T10:00:00Z"))
        #expect(timeline.lanes == [.init(id: "retailer"), .init(id: "operator", caption: "orchestrator")])
    }

    @Test("the picture: lanes named, a shape per mark with its hover title, quorum approvals joined")
    func picture() throws {
        let fixture = try CaseReportFixture()
        let svg = TimelineSVG(case: try fixture.completedMortgage()).render()
        #expect(
            svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 396\""),
            "bank's lane has two rows"
        )
        #expect(svg.contains("<title>Timeline of case M-2026-0042</title>"))
        #expect(svg.components(separatedBy: "<g class=\"mark\"><title>Entry ").count == 9)
        #expect(svg.components(separatedBy: "stroke-dasharray=\"4 3\"").count == 2, "one line joins the quorum")
        for lane in ["bank", "lawyer", "director-a", "director-b", "registry"] {
            #expect(svg.contains(">\(lane)</text>"))
        }
        for label in ["2026-11-03", "2026-11-09"] { #expect(svg.contains(">\(label)</text>")) }
        for decision in ["open", "approve", "auto"] { #expect(svg.contains(">\(decision)</text>"), "legend") }
        for decision in ["reject", "expire"] { #expect(!svg.contains(">\(decision)</text>"), "not drawn") }
        #expect(!svg.contains(">now "))
        #expect(throws: Never.self, "well-formed XML") {
            try XMLDocument(bytes: Array(svg.utf8), source: "timeline.svg")
        }
    }

    @Test("lane names and labels are escaped; marks on unknown lanes are left out")
    func escaping() throws {
        let timeline = TimelineSVG(
            title: "a <b> & c",
            lanes: [.init(id: "x<y", caption: "\"q\"")],
            marks: [
                .init(
                    lane: "x<y",
                    time: Self.time("2026-01-01T00:00:00Z"),
                    decision: .reject,
                    label: "s&t",
                    details: "<d>"
                ),
                .init(
                    lane: "nowhere",
                    time: Self.time("2030-01-01T00:00:00Z"),
                    decision: .expire,
                    label: "z",
                    details: "z"
                ),
            ]
        )
        let svg = timeline.render()
        #expect(svg.contains("<title>a &lt;b&gt; &amp; c</title>"))
        #expect(svg.contains(">x&lt;y</text>") && svg.contains(">&quot;q&quot;</text>"))
        #expect(svg.contains("<g class=\"mark\"><title>&lt;d&gt;</title><polygon"))
        #expect(svg.contains(">s&amp;t</text>"))
        #expect(!svg.contains("<title>z</title>"))
        #expect(!svg.contains(">2029") && !svg.contains(">2030"), "the axis covers drawn marks only")
    }

    @Test("a now line is drawn, and the axis stretches to cover it")
    func nowLine() {
        let mark = TimelineSVG.Mark(
            lane: "L-1",
            time: Self.time("2027-11-22T12:00:00Z"),
            decision: .expire,
            label: "expires",
            details: "L-1"
        )
        let svg = TimelineSVG(
            title: "expiring",
            lanes: [.init(id: "L-1")],
            marks: [mark],
            now: Self.time("2027-11-01T02:00:00Z")
        ).render()
        #expect(svg.contains(">now 2027-11-01</text>"))
        #expect(svg.contains(">2027-11-08</text>") && svg.contains(">2027-11-15</text>"))
        #expect(svg.contains("stroke-dasharray=\"6 3\""))
    }
}
