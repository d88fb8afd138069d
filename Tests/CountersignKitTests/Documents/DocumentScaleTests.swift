import CountersignKit
import Foundation
import Testing

/// Work per document stays linear in its size: the counts libxml2 handles quadratically are capped
/// (`XMLLimits`), and a document over a cap is refused as soon as the parser reaches it.
@Suite("Documents at scale")
struct DocumentScaleTests {
    /// `count` attributes `a0="0" a1="1" …` (values the last digit of the index), in document order, or in
    /// the order of their names (C14N's).
    private func attributes(_ count: Int, sorted: Bool = false) -> [String] {
        let indices = sorted ? (0..<count).sorted { "a\($0)" < "a\($1)" } : Array(0..<count)
        return indices.map { "a\($0)=\"\($0 % 10)\"" }
    }

    /// Parses `text` as `case.xml`, expecting a `DocumentError`, and returns it.
    private func refusal(_ text: String, limits: XMLLimits = .default) throws -> DocumentError {
        do {
            _ = try XMLDocument(bytes: Array(text.utf8), source: "case.xml", limits: limits)
        } catch {
            return error
        }
        Issue.record("accepted a document of \(text.utf8.count) bytes")
        throw CancellationError()
    }

    @Test("1,000,000 attributes spread over elements fingerprint to the hash of their canonical form")
    func millionAttributesSpread() throws {
        let perElement = 250
        let elements = 4_000
        let names = attributes(perElement)
        let element = "<e " + names.joined(separator: " ") + "/>"
        let text = "<r>" + String(repeating: element, count: elements) + "</r>"
        #expect(text.utf8.count < XMLLimits.default.maxBytes)
        // Exclusive C14N: attributes sorted by name, empty elements written as start and end tags.
        let canonical = "<e " + attributes(perElement, sorted: true).joined(separator: " ") + "></e>"
        let expected = SHA256.hash(Array(("<r>" + String(repeating: canonical, count: elements) + "</r>").utf8))
        let document = try XMLDocument(bytes: Array(text.utf8), source: "spread.xml")
        #expect(try document.fingerprint().digest == expected)
    }

    @Test("1,000,000 attributes on one element are refused within the first kilobytes, naming the limit")
    func millionAttributesOnOneElement() throws {
        let text = "<r " + attributes(1_000_000).joined(separator: " ") + "/>"
        let error = try refusal(text)
        guard case .tooManyAttributes(let location, let limit) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(limit == XMLLimits.defaultMaxAttributes)
        #expect(location.file == "case.xml" && location.line == 1)
        // The work done: libxml2 stopped reading a few kilobytes past the limit, not at the tag's end.
        #expect(location.column < 20_000, "stopped at column \(location.column) of \(text.utf8.count)")
        #expect(error.description.contains("more than 256 attributes"), "\(error)")
        #expect(error.description.hasPrefix("case.xml:1:"), "\(error)")
    }

    @Test("the attribute limit is exact: the limit is accepted, one more refused, from memory and from a file")
    func attributeLimitExact() throws {
        let at = { (count: Int) in "<r><e " + attributes(count).joined(separator: " ") + "/></r>" }
        _ = try XMLDocument(bytes: Array(at(256).utf8), source: "ok.xml")
        guard case .tooManyAttributes(_, 256) = try refusal(at(257)) else {
            Issue.record("257 attributes not refused")
            return
        }
        let limits = XMLLimits(maxBytes: 1 << 20, maxDepth: 8, maxAttributes: 3)
        _ = try XMLDocument(bytes: Array(at(3).utf8), source: "ok.xml", limits: limits)
        guard case .tooManyAttributes(_, 3) = try refusal(at(4), limits: limits) else {
            Issue.record("4 attributes not refused under a limit of 3")
            return
        }
        // Namespace declarations are not attributes.
        let declared = "<r " + (0..<10).map { "xmlns:p\($0)=\"urn:p:\($0)\"" }.joined(separator: " ") + " a=\"1\"/>"
        _ = try XMLDocument(bytes: Array(declared.utf8), source: "ok.xml", limits: limits)
        let folder = try ScratchFolder()
        let file = try folder.write(
            Array(("<r " + attributes(100_000).joined(separator: " ") + "/>").utf8),
            to: "a.xml"
        )
        #expect {
            try XMLDocument(contentsOf: file)
        } throws: { error in
            guard case .tooManyAttributes(let location, 256)? = error as? DocumentError else { return false }
            return location.file == file.path && location.column < 20_000
        }
    }

    @Test("namespace declarations in scope are capped, on one element and nested; siblings do not add up")
    func namespaceLimit() throws {
        let declarations = { (count: Int) in
            (0..<count).map { "xmlns:p\($0)=\"urn:p:\($0)\"" }.joined(separator: " ")
        }
        _ = try XMLDocument(bytes: Array("<r \(declarations(128))/>".utf8), source: "ok.xml")
        guard case .tooManyNamespaces(_, 128) = try refusal("<r \(declarations(129))/>") else {
            Issue.record("129 declarations on one element not refused")
            return
        }
        let many = try refusal("<r \(declarations(1_000_000))/>")
        guard case .tooManyNamespaces(let location, _) = many else {
            Issue.record("unexpected \(many)")
            return
        }
        #expect(location.column < 20_000, "stopped at column \(location.column)")
        #expect(many.description.contains("more than 128 namespace declarations"), "\(many)")
        let nested = { (depth: Int) in
            (0..<depth).map { "<p\($0):e xmlns:p\($0)=\"urn:p:\($0)\">" }.joined()
                + (0..<depth).reversed().map { "</p\($0):e>" }.joined()
        }
        _ = try XMLDocument(bytes: Array(nested(128).utf8), source: "ok.xml")
        guard case .tooManyNamespaces = try refusal(nested(129)) else {
            Issue.record("129 nested declarations not refused")
            return
        }
        let siblings = "<r>" + (0..<100_000).map { "<p:e xmlns:p=\"urn:p:\($0)\" p:a=\"1\"/>" }.joined() + "</r>"
        _ = try XMLDocument(bytes: Array(siblings.utf8), source: "ok.xml").fingerprint()
    }

    @Test("names, text nodes and character data are bounded by libxml2's own limits, with a clear error")
    func libxmlCeilings() throws {
        let longName = String(repeating: "n", count: XMLLimits.nameLengthCeiling)
        _ = try XMLDocument(bytes: Array("<\(longName)/>".utf8), source: "ok.xml").fingerprint()
        let tooLong = try refusal("<\(longName)n/>")
        #expect(tooLong.description.contains("Name too long"), "\(tooLong)")
        let text = String(repeating: "x", count: XMLLimits.textLengthCeiling + 1)
        let huge = try refusal("<r>\(text)</r>")
        #expect(huge.description.contains("huge text node"), "\(huge)")
        guard case .malformed = try refusal("<r a=\"\(text)\"/>") else {
            Issue.record("an attribute value over \(XMLLimits.textLengthCeiling) bytes not refused")
            return
        }
        let nodes = "<r>" + String(repeating: "<t>x</t>y", count: 500_000) + "</r>"
        _ = try XMLDocument(bytes: Array(nodes.utf8), source: "ok.xml").fingerprint()
    }
}
