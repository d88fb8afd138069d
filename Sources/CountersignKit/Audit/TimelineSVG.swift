import Foundation

/// A timeline picture as inline SVG: one horizontal lane per party, time along the x axis with UTC
/// date ticks, each ledger entry a mark in its party's lane whose shape and colour say the decision,
/// labelled with its step and with the details as a hover title. Marks and labels never overprint:
/// a lane takes as many rows as its marks need (`Layout`). Marks of one group (the approvals of a
/// quorum step) are joined by a dashed line. The same input always gives the same bytes.
public struct TimelineSVG: Sendable {
    /// One row of the picture.
    public struct Lane: Sendable, Equatable {
        /// The party id, as marks name their lane.
        public var id: String
        /// The display name, shown above the id; without one the id is the lane's name.
        public var name: String?
        /// A note on the second, smaller line (such as "orchestrator").
        public var caption: String?

        /// A lane for party `id`, named `name` when it has a display name, with an optional caption.
        public init(id: String, name: String? = nil, caption: String? = nil) {
            self.id = id
            self.name = name
            self.caption = caption
        }

        /// What the lane's left shows: the name (or id), then the id (when the name is shown) and
        /// the caption.
        var lines: (name: String, caption: String?) {
            guard let name, name != id else { return (id, caption) }
            return (name, [id, caption].compactMap { $0 }.joined(separator: " · "))
        }
    }

    /// One entry drawn on a lane.
    public struct Mark: Sendable, Equatable {
        /// The id of the lane it sits on.
        public var lane: String
        public var time: Date
        public var decision: StepPredicate.Decision
        /// The short label shown beside it (the step id).
        public var label: String
        /// The hover text; lines separated by newlines.
        public var details: String
        /// Marks with the same group are joined by a line, in time order.
        public var group: String?

        /// A mark of `decision` at `time` on lane `lane`.
        public init(
            lane: String,
            time: Date,
            decision: StepPredicate.Decision,
            label: String,
            details: String,
            group: String? = nil
        ) {
            self.lane = lane
            self.time = time
            self.decision = decision
            self.label = label
            self.details = details
            self.group = group
        }
    }

    /// What the picture shows, for screen readers (the SVG's `<title>`).
    public var title: String
    public var lanes: [Lane]
    /// Marks on lanes not in `lanes` are not drawn.
    public var marks: [Mark]
    /// When set, a vertical line marks this time, which the axis then covers too.
    public var now: Date?

    /// A picture of `marks` on `lanes` (top to bottom in this order), titled `title`.
    public init(title: String, lanes: [Lane], marks: [Mark], now: Date? = nil) {
        self.title = title
        self.lanes = lanes
        self.marks = marks
        self.now = now
    }

    static let width = 1_000.0
    static let plotLeft = 190.0
    static let plotRight = 970.0
    static let laneTop = 8.0
    static let laneHeight = 58.0

    /// The colour each decision is drawn in.
    public static func colour(of decision: StepPredicate.Decision) -> String {
        switch decision {
        case .open: "#2563eb"
        case .approve: "#15803d"
        case .reject: "#b91c1c"
        case .auto: "#7c3aed"
        case .expire: "#b45309"
        case .attach: "#0f766e"
        case .withdraw: "#9d174d"
        }
    }

    /// The `<svg>` element.
    public func render() -> String {
        let drawn = marks.filter { mark in lanes.contains { $0.id == mark.lane } }
        let times = drawn.map(\.time) + (now.map { [$0] } ?? [])
        let axis = TimelineAxis(
            first: times.min() ?? Date(timeIntervalSince1970: 0),
            last: times.max() ?? Date(timeIntervalSince1970: 0),
            left: Self.plotLeft,
            right: Self.plotRight
        )
        let layout = Layout(lanes: lanes, marks: drawn, axis: axis)
        let axisY = layout.bottom
        let height = axisY + 76
        var svg = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.width.svg) \(height.svg)\" "
                + "width=\"\(Self.width.svg)\" height=\"\(height.svg)\" role=\"img\" "
                + "font-family=\"system-ui, 'DejaVu Sans', sans-serif\" font-size=\"12\">",
            "<title>\(HTML.escape(title))</title>",
        ]
        svg += laneBackgrounds(layout)
        svg += grid(axis, axisY: axisY)
        svg += nowLine(axis, axisY: axisY)
        svg += groupLines(layout.placements)
        svg += markElements(layout.placements)
        svg += legend(Set(drawn.map(\.decision)), y: axisY + 58)
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    /// The width the lanes' names may take, left of the plot, and the distance between their lines.
    static let nameWidth = plotLeft - 20
    static let nameLineHeight = 14.5

    private func laneBackgrounds(_ layout: Layout) -> [String] {
        zip(lanes, layout.lanes).enumerated().flatMap { index, pair -> [String] in
            let (lane, box) = pair
            var elements = [
                "<rect x=\"0\" y=\"\(box.top.svg)\" width=\"\(Self.width.svg)\" height=\"\(box.height.svg)\" "
                    + "fill=\"\(index % 2 == 0 ? "#f4f6f9" : "#ffffff")\"/>"
            ]
            for row in box.rows {
                elements.append(
                    "<line x1=\"\(Self.plotLeft.svg)\" y1=\"\(row.svg)\" x2=\"\(Self.plotRight.svg)\" y2=\"\(row.svg)\" "
                        + "stroke=\"#c9d1db\" stroke-width=\"1\"/>"
                )
            }
            let (name, caption) = lane.lines
            let nameLines = TextWidth.wrap(name, toFit: Self.nameWidth, fontSize: 12, bold: true, maxLines: 2)
            let count = Double(nameLines.count + (caption == nil ? 0 : 1))
            var baseline = box.middle - (count - 1) * Self.nameLineHeight / 2 + 4
            let title = nameLines.joined(separator: " ") == name ? "" : "<title>\(HTML.escape(name))</title>"
            for line in nameLines {
                elements.append(
                    "<text x=\"12\" y=\"\(baseline.svg)\" font-size=\"12\" font-weight=\"600\" fill=\"#1c2430\">"
                        + "\(title)\(HTML.escape(line))</text>"
                )
                baseline += Self.nameLineHeight
            }
            if let caption {
                let shown = TextWidth.truncate(caption, toFit: Self.nameWidth, fontSize: 11)
                let title = shown == caption ? "" : "<title>\(HTML.escape(caption))</title>"
                elements.append(
                    "<text x=\"12\" y=\"\(baseline.svg)\" font-size=\"11\" fill=\"#5b6776\">"
                        + "\(title)\(HTML.escape(shown))</text>"
                )
            }
            return elements
        }
    }

    private func grid(_ axis: TimelineAxis, axisY: Double) -> [String] {
        var elements = [
            "<line x1=\"\(Self.plotLeft.svg)\" y1=\"\(axisY.svg)\" x2=\"\(Self.plotRight.svg)\" y2=\"\(axisY.svg)\" "
                + "stroke=\"#5b6776\" stroke-width=\"1\"/>"
        ]
        for tick in axis.ticks {
            let x = axis.x(tick.time)
            elements.append(
                "<line x1=\"\(x.svg)\" y1=\"\(Self.laneTop.svg)\" x2=\"\(x.svg)\" y2=\"\((axisY + 5).svg)\" "
                    + "stroke=\"#d5dbe3\" stroke-width=\"1\"/>"
            )
            elements.append(
                "<text x=\"\(x.svg)\" y=\"\((axisY + 19).svg)\" text-anchor=\"middle\" font-size=\"11\" "
                    + "fill=\"#34404f\">\(HTML.escape(tick.label))</text>"
            )
        }
        elements.append(
            "<text x=\"\((Self.plotLeft - 12).svg)\" y=\"\((axisY + 19).svg)\" text-anchor=\"end\" font-size=\"11\" "
                + "fill=\"#5b6776\">UTC</text>"
        )
        return elements
    }

    /// A vertical line at `now`, labelled under the axis.
    private func nowLine(_ axis: TimelineAxis, axisY: Double) -> [String] {
        guard let now else { return [] }
        let x = axis.x(now)
        return [
            "<line x1=\"\(x.svg)\" y1=\"\(Self.laneTop.svg)\" x2=\"\(x.svg)\" y2=\"\((axisY + 4).svg)\" "
                + "stroke=\"#1f3a5f\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>",
            "<text x=\"\(x.svg)\" y=\"\((axisY + 35).svg)\" text-anchor=\"middle\" font-size=\"11\" "
                + "font-weight=\"600\" fill=\"#1f3a5f\">now \(Timestamp.format(now).prefix(10))</text>",
        ]
    }

    /// Dashed lines joining the marks of each group, in time order.
    private func groupLines(_ placements: [Layout.Placement]) -> [String] {
        var groups: [String] = []
        for placement in placements {
            if let group = placement.mark.group, !groups.contains(group) { groups.append(group) }
        }
        return groups.flatMap { group -> [String] in
            let members = placements.filter { $0.mark.group == group }.sorted { $0.mark.time < $1.mark.time }
            return zip(members, members.dropFirst()).map { from, to in
                "<line x1=\"\(from.x.svg)\" y1=\"\(from.y.svg)\" x2=\"\(to.x.svg)\" y2=\"\(to.y.svg)\" "
                    + "stroke=\"\(Self.colour(of: to.mark.decision))\" stroke-width=\"1.5\" "
                    + "stroke-dasharray=\"4 3\" opacity=\"0.7\"/>"
            }
        }
    }

    /// Each mark with its label beside it, where the layout put them; in time order.
    private func markElements(_ placements: [Layout.Placement]) -> [String] {
        placements.enumerated().sorted { ($0.element.mark.time, $0.offset) < ($1.element.mark.time, $1.offset) }
            .map { _, placement in
                "<g class=\"mark\"><title>\(HTML.escape(placement.mark.details))</title>"
                    + Self.shape(placement.mark.decision, x: placement.x, y: placement.y)
                    + "<text class=\"label\" x=\"\(placement.labelX.svg)\" y=\"\((placement.y + 4).svg)\""
                    + (placement.labelOnLeft ? " text-anchor=\"end\"" : "")
                    + " font-size=\"\(Layout.labelSize.svg)\" fill=\"#1c2430\">\(HTML.escape(placement.label))</text></g>"
            }
    }

    /// The shapes of the decisions drawn, in the order of `StepPredicate.Decision`.
    private func legend(_ decisions: Set<StepPredicate.Decision>, y: Double) -> [String] {
        StepPredicate.Decision.allCases.filter(decisions.contains).enumerated().map { index, decision in
            let x = Self.plotLeft + Double(index) * 120
            return Self.shape(decision, x: x, y: y - 4)
                + "<text x=\"\((x + 12).svg)\" y=\"\(y.svg)\" fill=\"#34404f\">\(decision.rawValue)</text>"
        }
    }

    /// The mark of a decision centred on `x, y`: square (open), circle (approve), downward triangle
    /// (reject), diamond (auto), octagon (expire), upward triangle (attach), cross (withdraw) — told
    /// apart in grey print too.
    static func shape(_ decision: StepPredicate.Decision, x: Double, y: Double) -> String {
        let style = "fill=\"\(colour(of: decision))\" stroke=\"#ffffff\" stroke-width=\"1.5\""
        switch decision {
        case .open:
            return "<rect x=\"\((x - 6.5).svg)\" y=\"\((y - 6.5).svg)\" width=\"13\" height=\"13\" \(style)/>"
        case .approve:
            return "<circle cx=\"\(x.svg)\" cy=\"\(y.svg)\" r=\"7\" \(style)/>"
        case .reject:
            return polygon([(x - 8, y - 6), (x + 8, y - 6), (x, y + 8)], style)
        case .auto:
            return polygon([(x, y - 8.5), (x + 8.5, y), (x, y + 8.5), (x - 8.5, y)], style)
        case .expire:
            let points = (0..<8).map { index -> (Double, Double) in
                let angle = (Double(index) + 0.5) * Double.pi / 4
                return (x + 8 * cos(angle), y + 8 * sin(angle))
            }
            return polygon(points, style)
        case .attach:
            return polygon([(x - 8, y + 6), (x + 8, y + 6), (x, y - 8)], style)
        case .withdraw:
            let arm = 3.0
            return polygon(
                [
                    (x - 8, y - arm), (x - arm, y - arm), (x - arm, y - 8), (x + arm, y - 8), (x + arm, y - arm),
                    (x + 8, y - arm), (x + 8, y + arm), (x + arm, y + arm), (x + arm, y + 8), (x - arm, y + 8),
                    (x - arm, y + arm), (x - 8, y + arm),
                ],
                style
            )
        }
    }

    private static func polygon(_ points: [(Double, Double)], _ style: String) -> String {
        "<polygon points=\"\(points.map { "\($0.0.svg),\($0.1.svg)" }.joined(separator: " "))\" \(style)/>"
    }
}

extension Double {
    /// The number as an SVG coordinate: at most one decimal, no locale (`12`, `12.5`, `-3.2`).
    fileprivate var svg: String {
        let tenths = Int((self * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}
