import CountersignKit
import Foundation
import Testing

@Suite("Document fingerprints")
struct FingerprintTests {
    static let corpus = Corpus.documents(in: "ubl") + Corpus.documents(in: "iso20022")

    @Test("the corpus is there")
    func corpusPresent() {
        #expect(Corpus.documents(in: "ubl").count >= 10)
        #expect(Corpus.documents(in: "iso20022").count >= 7)
    }

    @Test("a corpus document's fingerprint equals xmlstarlet's exclusive C14N hashed by sha256sum", arguments: corpus)
    func corpusMatchesXMLStarlet(file: URL) throws {
        let document = try XMLDocument(contentsOf: file)
        let reference = try #require(try Corpus.referenceFingerprint(of: file))
        #expect(try document.fingerprint().description == reference)
    }

    @Test("UBL NS1 to NS4 keep their prefixes, so their fingerprints differ")
    func namespacePrefixesCount() throws {
        let fingerprints = try (1...4).map { number in
            try XMLDocument(
                contentsOf: Corpus.root.appendingPathComponent("ubl/UBL-Invoice-2.0-Example-NS\(number).xml")
            )
            .fingerprint()
        }
        #expect(Set(fingerprints).count == 4)
    }

    @Test("the canonical form sorts attributes, expands empty elements and drops comments and the declaration")
    func canonicalBytes() throws {
        let text = "<?xml version='1.0'?>\n<!-- c --><a z='2' b=\"1\"><b/><!-- c --><![CDATA[x<y]]></a>\n"
        let document = try XMLDocument(bytes: Array(text.utf8), source: "a.xml")
        #expect(
            String(decoding: try document.canonicalBytes(), as: UTF8.self) == "<a b=\"1\" z=\"2\"><b></b>x&lt;y</a>"
        )
        #expect(try document.fingerprint() == Fingerprint(digest: SHA256.hash(try document.canonicalBytes())))
    }

    /// One document written many ways that exclusive C14N must not tell apart.
    static let equivalents: [(name: String, bytes: [UInt8])] = {
        let text = "Zoë Müller, Ärger & ß"
        let escaped = "Zoë Müller, Ärger &amp; ß"
        let body = { (declaration: String) in
            declaration + "<doc xmlns=\"urn:example:doc\" xmlns:p=\"urn:example:p\">\n"
                + "  <p:item a=\"1\" b=\"two\">\(escaped)</p:item>\n  <empty></empty>\n</doc>\n"
        }
        let utf8 = body("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        let utf16 = body("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n")
        let latin1 = body("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n")
        return [
            ("utf8.xml", Array(utf8.utf8)),
            ("no-declaration.xml", Array(body("").utf8)),
            ("utf8-bom.xml", [0xEF, 0xBB, 0xBF] + Array(utf8.utf8)),
            ("utf16le.xml", [0xFF, 0xFE] + utf16.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
            ("utf16be.xml", [0xFE, 0xFF] + utf16.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }),
            ("latin1.xml", latin1.unicodeScalars.map { UInt8($0.value) }),
            ("crlf.xml", Array(utf8.replacingOccurrences(of: "\n", with: "\r\n").utf8)),
            (
                "attribute-order-and-quotes.xml",
                Array(utf8.replacingOccurrences(of: "a=\"1\" b=\"two\"", with: "b='two'   a = '1' ").utf8)
            ),
            (
                "namespace-on-use.xml",
                Array(
                    utf8.replacingOccurrences(of: " xmlns:p=\"urn:example:p\"", with: "")
                        .replacingOccurrences(of: "<p:item ", with: "<p:item xmlns:p=\"urn:example:p\" ").utf8
                )
            ),
            ("empty-element.xml", Array(utf8.replacingOccurrences(of: "<empty></empty>", with: "<empty/>").utf8)),
            (
                "comments.xml",
                Array(
                    utf8.replacingOccurrences(of: "<doc ", with: "<!-- before --><doc ")
                        .replacingOccurrences(of: "<empty>", with: "<empty><!-- inside -->")
                        .replacingOccurrences(of: "</doc>\n", with: "</doc>\n<!-- after -->\n").utf8
                )
            ),
            (
                "character-references.xml",
                Array(utf8.replacingOccurrences(of: escaped, with: "Zo&#xEB; M&#252;ller, Ärger &#38; ß").utf8)
            ),
            (
                "cdata.xml",
                Array(utf8.replacingOccurrences(of: escaped, with: "<![CDATA[\(text)]]>").utf8)
            ),
        ]
    }()

    @Test(
        "encodings, line endings, quoting, attribute order, namespace placement, empty elements and comments do not change the fingerprint"
    )
    func equivalentFormsFingerprintEqual() throws {
        let folder = try ScratchFolder()
        var fingerprints: [String: Fingerprint] = [:]
        for (name, bytes) in Self.equivalents {
            let fingerprint = try XMLDocument(bytes: bytes, source: name).fingerprint()
            fingerprints[name] = fingerprint
            let reference = try Corpus.referenceFingerprint(of: try folder.write(bytes, to: name))
            #expect(fingerprint.description == reference, "\(name) differs from xmlstarlet")
        }
        #expect(Set(fingerprints.values).count == 1, "\(fingerprints)")
    }

    @Test(
        "a change of content changes the fingerprint",
        arguments: [
            ("Ärger", "Ärgér"),
            ("a=\"1\"", "a=\"2\""),
            ("urn:example:p", "urn:example:q"),
            ("<empty></empty>", "<empty> </empty>"),
            ("p:item", "item"),
        ]
    )
    func contentChangesFingerprint(original: String, replacement: String) throws {
        let base = try #require(Self.equivalents.first)
        let text = String(decoding: base.bytes, as: UTF8.self)
        #expect(text.contains(original))
        let changed = text.replacingOccurrences(of: original, with: replacement)
        let before = try XMLDocument(bytes: base.bytes, source: "before.xml").fingerprint()
        let after = try XMLDocument(bytes: Array(changed.utf8), source: "after.xml").fingerprint()
        #expect(before != after)
    }

    @Test("a fingerprint prints as sha256:HEX and parses back; malformed text does not parse")
    func fingerprintText() throws {
        let hex = String(repeating: "0123456789abcdef", count: 4)
        let fingerprint = try #require(Fingerprint("sha256:" + hex))
        #expect(fingerprint.description == "sha256:" + hex)
        #expect(fingerprint.digest.hex == hex)
        for bad in [
            "sha256:" + hex.uppercased(), "sha512:" + hex, hex, "sha256:" + hex.dropLast(2), "sha256:" + hex + "00",
        ] {
            #expect(Fingerprint(bad) == nil, "\(bad)")
        }
    }

    @Test("a fingerprint encodes as its string in JSON and refuses a malformed one")
    func fingerprintCodable() throws {
        let fingerprint = try XMLDocument(bytes: Array("<a/>".utf8), source: "a.xml").fingerprint()
        let json = try JSONEncoder().encode(["subject": fingerprint])
        #expect(String(decoding: json, as: UTF8.self) == "{\"subject\":\"\(fingerprint)\"}")
        #expect(try JSONDecoder().decode([String: Fingerprint].self, from: json) == ["subject": fingerprint])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Fingerprint].self, from: Data("[\"sha256:xyz\"]".utf8))
        }
    }
}
