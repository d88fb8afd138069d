import Foundation
import Testing

/// Where headless Chromium draws the ink of a page's pictures: the box of every SVG `<text>` and
/// of every timeline mark's shape, in CSS pixels, measured by a script run in a copy of the page
/// (the page itself carries none). Two boxes that intersect are marks or labels overprinting.
struct RenderedBox: CustomStringConvertible, Decodable {
    let what: String
    let x: Double
    let y: Double
    let width: Double
    let height: Double

    /// Whether the two boxes share more than an edge.
    func intersects(_ other: RenderedBox) -> Bool {
        x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height
    }

    var description: String { "\(what) [\(x), \(y), \(width)×\(height)]" }

    /// The boxes of `page` (an HTML page, or an SVG picture shown in one); the copy with the
    /// measuring script goes to `scratch`.
    static func measure(_ page: URL, scratch: URL) throws -> [RenderedBox] {
        let text = try String(contentsOf: page, encoding: .utf8)
        let measured =
            page.pathExtension == "svg"
            ? "<!DOCTYPE html><html><body>\(text)\(script)</body></html>"
            : text.replacingOccurrences(of: "</body>", with: "\(script)</body>")
        try #require(measured.contains(script), "\(page.lastPathComponent) has no </body>")
        try measured.write(to: scratch, atomically: true, encoding: .utf8)
        let chromium = try #require(RenderScreenshot.chromium, Comment(rawValue: RenderScreenshot.missing))
        let profile = scratch.deletingPathExtension().appendingPathExtension("profile")
        let result = try RenderScreenshot.run(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)",
                "--window-size=1200,1600", "--dump-dom", scratch.absoluteString,
            ],
            timeout: 120
        )
        let begin = try #require(
            result.output.range(of: "BEGIN-BOXES"),
            "no measurement: \(result.output.suffix(2_000))"
        )
        let end = try #require(result.output.range(of: "END-BOXES", range: begin.upperBound..<result.output.endIndex))
        let json = try #require(Data(base64Encoded: String(result.output[begin.upperBound..<end.lowerBound])))
        return try JSONDecoder().decode([RenderedBox].self, from: json)
    }

    /// The pairs that intersect.
    static func overlaps(_ boxes: [RenderedBox]) -> [(RenderedBox, RenderedBox)] {
        var pairs: [(RenderedBox, RenderedBox)] = []
        for (index, box) in boxes.enumerated() {
            for other in boxes[(index + 1)...] where box.intersects(other) { pairs.append((box, other)) }
        }
        return pairs
    }

    /// Measures every text and mark shape of every `<svg>` once the page is laid out, and writes
    /// the boxes as base64 JSON between markers into the page.
    private static let script = """
        <script>
        const boxes = [];
        for (const svg of document.querySelectorAll('svg')) {
          for (const element of svg.querySelectorAll('text, g.mark > rect, g.mark > circle, g.mark > polygon')) {
            const box = element.getBoundingClientRect();
            const label = element.tagName === 'text' ? element.lastChild.textContent : 'mark ' + element.tagName;
            boxes.push({what: label, x: box.left, y: box.top, width: box.width, height: box.height});
          }
        }
        const out = document.createElement('pre');
        // The markers are split so that the script's own text, also in the dump, holds neither.
        out.textContent = 'BEGIN' + '-BOXES' + btoa(unescape(encodeURIComponent(JSON.stringify(boxes)))) + 'END' + '-BOXES';
        document.body.appendChild(out);
        </script>
        """
}
