import CountersignKit
import Foundation

/// The boxes a timeline picture draws ink in, read back from its SVG text: every `<text>` (its
/// width estimated from above with `TextWidth`, its height from the font's ascent and descent) and
/// every mark's shape (from its geometry, stroke included). Two boxes that intersect overprint.
struct SVGBox: CustomStringConvertible {
    var what: String
    var minX: Double
    var maxX: Double
    var minY: Double
    var maxY: Double

    func intersects(_ other: SVGBox) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }

    var description: String { "\(what) [\(minX)…\(maxX) × \(minY)…\(maxY)]" }

    /// Every text and mark shape of `svg`.
    static func boxes(in svg: String) -> [SVGBox] {
        texts(in: svg) + shapes(in: svg)
    }

    /// The pairs of boxes that intersect.
    static func overlaps(_ boxes: [SVGBox]) -> [(SVGBox, SVGBox)] {
        var pairs: [(SVGBox, SVGBox)] = []
        for (index, box) in boxes.enumerated() {
            for other in boxes[(index + 1)...] where box.intersects(other) { pairs.append((box, other)) }
        }
        return pairs
    }

    private static func texts(in svg: String) -> [SVGBox] {
        matches(#"<text([^>]*)>(?:<title>[^<]*</title>)?([^<]*)</text>"#, in: svg).map { groups in
            let attributes = groups[0]
            let text = unescape(groups[1])
            let size = number("font-size", in: attributes) ?? 12
            let bold = attributes.contains("font-weight=\"600\"")
            let width = TextWidth.estimate(text, fontSize: size, bold: bold)
            let x = number("x", in: attributes)!
            let y = number("y", in: attributes)!
            let minX: Double =
                switch attribute("text-anchor", in: attributes) {
                case "end": x - width
                case "middle": x - width / 2
                default: x
                }
            return SVGBox(
                what: "text \"\(text)\"",
                minX: minX,
                maxX: minX + width,
                minY: y - 0.93 * size,
                maxY: y + 0.24 * size
            )
        }
    }

    /// The shape of each `<g class="mark">`, grown by half its 1.5 stroke.
    private static func shapes(in svg: String) -> [SVGBox] {
        matches(#"<g class="mark"><title>[^<]*</title><(rect|circle|polygon)([^>]*)/>"#, in: svg).map { groups in
            let attributes = groups[1]
            var box: SVGBox
            switch groups[0] {
            case "rect":
                let x = number("x", in: attributes)!
                let y = number("y", in: attributes)!
                box = SVGBox(
                    what: "",
                    minX: x,
                    maxX: x + number("width", in: attributes)!,
                    minY: y,
                    maxY: y + number("height", in: attributes)!
                )
            case "circle":
                let (x, y, r) = (
                    number("cx", in: attributes)!, number("cy", in: attributes)!, number("r", in: attributes)!
                )
                box = SVGBox(what: "", minX: x - r, maxX: x + r, minY: y - r, maxY: y + r)
            default:
                let points = attribute("points", in: attributes)!.split(separator: " ").map {
                    $0.split(separator: ",").map { Double($0)! }
                }
                box = SVGBox(
                    what: "",
                    minX: points.map { $0[0] }.min()!,
                    maxX: points.map { $0[0] }.max()!,
                    minY: points.map { $0[1] }.min()!,
                    maxY: points.map { $0[1] }.max()!
                )
            }
            box.what = "mark \(groups[0]) at \((box.minX + box.maxX) / 2),\((box.minY + box.maxY) / 2)"
            box.minX -= 0.75
            box.maxX += 0.75
            box.minY -= 0.75
            box.maxY += 0.75
            return box
        }
    }

    static func attribute(_ name: String, in attributes: String) -> String? {
        matches(" \(name)=\"([^\"]*)\"", in: attributes).first?[0]
    }

    static func number(_ name: String, in attributes: String) -> Double? {
        attribute(name, in: attributes).flatMap(Double.init)
    }

    /// The capture groups of every match of `pattern`.
    static func matches(_ pattern: String, in text: String) -> [[String]] {
        let regex = try! NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).map { match in
            (1..<match.numberOfRanges).map { Range(match.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
        }
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
