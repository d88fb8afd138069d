import CountersignKit

/// XML documents (`XMLDocument(bytes:source:)`, the libxml2 wrapper): the canonical form of an
/// accepted document parses to a document with the same canonical form and fingerprint, and no
/// input, accepted or refused, changes how the next document is read.
enum XMLDocumentFuzz {
    static let target = FuzzTarget(name: "xml-document", dictionary: "xml") { bytes throws(FuzzFailure) in
        if let document = try? XMLDocument(bytes: bytes, source: "fuzz.xml") {
            guard let canonical = try? document.canonicalBytes() else {
                throw FuzzFailure("an accepted document has no canonical form")
            }
            guard let again = try? XMLDocument(bytes: canonical, source: "canonical.xml") else {
                throw FuzzFailure("the canonical form of an accepted document is refused")
            }
            try FuzzFailure.expect((try? again.canonicalBytes()) == canonical, "canonicalising twice changes the bytes")
            try FuzzFailure.expect(
                (try? again.fingerprint()) == (try? document.fingerprint()),
                "the canonical form has another fingerprint"
            )
        }
        try FuzzFailure.expect(
            (try? XMLFixtures.valuation().fingerprint()) == XMLFixtures.valuationFingerprint,
            "the input changed how the next document is read"
        )
    }
}
