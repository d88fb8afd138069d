import CountersignKit
import Foundation
import Testing

@Suite("A bundle's report.html: names, checkpoint and witnesses, case head, one hash encoding")
struct BundleReportTests {
    @Test("the report a bundle writes shows the consortium's names, its checkpoint and witness, and the case head")
    func bundledReport() throws {
        let fixture = try BundleFixture()
        let written = try fixture.bundleCase()
        #expect(written.status == 0, "\(written.stderr)")
        let data = fixture.bundle.appendingPathComponent("data")
        let html = try String(contentsOf: data.appendingPathComponent("report.html"), encoding: .utf8)
        let checkpoint = try Checkpoint(
            note: try SignedNote(parsing: Array(try Data(contentsOf: data.appendingPathComponent("checkpoint.txt"))))
        )
        let cases = try fixture.caseIndexes()
        #expect(html.contains("<dt>Opened</dt><dd>by First Harbour Bank (bank) at "))
        #expect(html.contains("<td>Jane Smith, Partner, Smith &amp; Jones (lawyer-partner)</td><td>legal-review</td>"))
        #expect(html.contains("<dt>Tree size</dt><dd>\(checkpoint.size) entries"))
        #expect(html.contains("<dt>Log root</dt><dd><code>\(checkpoint.rootHash.hex)</code></dd>"))
        #expect(html.contains("<dd>First Harbour Bank (bank), the log signer, with key <code>"))
        #expect(
            html.contains(
                "<tr><td>Office of Gaming Regulation (regulator)</td>"
                    + "<td>\(Timestamp.format(BundleFixture.finalCosignature))</td>"
            )
        )
        #expect(
            html.contains(
                "At log size \(checkpoint.size) the log's case-head map records this case with \(cases.count) entries, "
                    + "newest entry \(cases.last!), outcome <span class=\"badge completed\">completed</span>."
            )
        )
        #expect(html.contains("<span class=\"badge done\">proof folds to the checkpoint</span>"))
        #expect(html.contains("no entry of the case is left out"))
        #expect(html.firstMatch(of: try Regex(#"[A-Za-z0-9+/]{43}="#)) == nil, "no hash in base64")
    }
}
