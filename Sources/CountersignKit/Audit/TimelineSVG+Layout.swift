extension TimelineSVG {
    /// Where every mark and its label are drawn. Each lane has as many rows as its marks need: a
    /// mark sits at its time on the first row where it and its label (to its right, or to its left
    /// near the right edge or when that fits an earlier row) overlap nothing already placed, so
    /// marks and labels never overprint however close their times are. Marks are placed in time
    /// order, so earlier ones take the upper rows; a lane of widely spaced marks keeps one row.
    struct Layout {
        /// A mark where it is drawn.
        struct Placement {
            var mark: Mark
            var x: Double
            var y: Double
            /// The label as drawn (shortened with an ellipsis when no side has room for it all).
            var label: String
            var labelX: Double
            /// Whether the label ends at `labelX` (to the mark's left) rather than starts there.
            var labelOnLeft: Bool
        }

        /// A lane's top edge, height and the y of each of its rows.
        struct LaneBox {
            var top: Double
            var height: Double
            var rows: [Double]
            var middle: Double { top + height / 2 }
        }

        var lanes: [LaneBox]
        var placements: [Placement]
        /// Where the lanes end and the axis is drawn.
        var bottom: Double

        /// The space from a mark's centre to its label, and the least space between two boxes.
        static let labelGap = 12.0
        static let spacing = 4.0
        static let markRadius = 9.5
        static let rowHeight = 22.0
        static let labelSize = 11.0

        init(lanes: [Lane], marks: [Mark], axis: TimelineAxis) {
            var placed: [(lane: Int, row: Int, x: Double, label: Label, mark: Mark)] = []
            var rowCounts: [Int] = []
            for (index, lane) in lanes.enumerated() {
                let onLane = marks.enumerated().filter { $0.element.lane == lane.id }
                    .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
                var rows: [[ClosedRange<Double>]] = []
                for mark in onLane {
                    let x = axis.x(mark.time)
                    let (row, label) = Self.place(mark.label, x: x, rows: &rows)
                    placed.append((index, row, x, label, mark))
                }
                rowCounts.append(max(rows.count, 1))
            }
            var top = TimelineSVG.laneTop
            let boxes = rowCounts.map { count in
                let height = max(TimelineSVG.laneHeight, Double(count) * Self.rowHeight + 36)
                let first = top + height / 2 - Double(count - 1) * Self.rowHeight / 2
                defer { top += height }
                return LaneBox(top: top, height: height, rows: (0..<count).map { first + Double($0) * Self.rowHeight })
            }
            self.lanes = boxes
            bottom = top
            placements = placed.map {
                Placement(
                    mark: $0.mark,
                    x: $0.x,
                    y: boxes[$0.lane].rows[$0.row],
                    label: $0.label.text,
                    labelX: $0.label.x,
                    labelOnLeft: $0.label.onLeft
                )
            }
        }

        /// A label as placed: its text, where it starts (or ends, on the left) and on which side.
        private typealias Label = (text: String, x: Double, onLeft: Bool)

        /// The first row where the mark at `x` and its label fit, to its right or else its left; a
        /// new row when none has room. `rows` holds the spans already taken on each row.
        private static func place(_ text: String, x: Double, rows: inout [[ClosedRange<Double>]]) -> (Int, Label) {
            let leftLimit = TimelineSVG.plotLeft - 8
            let rightLimit = TimelineSVG.width - 4
            let room = max(rightLimit - (x + labelGap), (x - labelGap) - leftLimit)
            let label = TextWidth.truncate(text, toFit: room, fontSize: labelSize)
            let width = TextWidth.estimate(label, fontSize: labelSize)
            var sides: [Bool] = []
            if x + labelGap + width <= rightLimit { sides.append(false) }
            if x - labelGap - width >= leftLimit { sides.append(true) }
            func span(onLeft: Bool) -> ClosedRange<Double> {
                onLeft ? (x - labelGap - width)...(x + markRadius) : (x - markRadius)...(x + labelGap + width)
            }
            func fits(_ span: ClosedRange<Double>, _ row: [ClosedRange<Double>]) -> Bool {
                row.allSatisfy {
                    $0.upperBound + spacing <= span.lowerBound || span.upperBound + spacing <= $0.lowerBound
                }
            }
            var free: (row: Int, onLeft: Bool)?
            for (index, row) in rows.enumerated() {
                if let side = sides.first(where: { fits(span(onLeft: $0), row) }) {
                    free = (index, side)
                    break
                }
            }
            let (row, onLeft) = free ?? (rows.count, sides.first ?? false)
            if row == rows.count { rows.append([]) }
            rows[row].append(span(onLeft: onLeft))
            return (row, (label, onLeft ? x - labelGap : x + labelGap, onLeft))
        }
    }
}
