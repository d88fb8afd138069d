import CountersignKit
import Foundation
import Testing

@Suite("XPath over case documents")
struct XPathTests {
    static func document(_ text: String, _ source: String) -> XMLDocument {
        try! XMLDocument(bytes: Array(text.utf8), source: source)
    }

    static let documents: [String: XMLDocument] = [
        "application": document(
            "<application id=\"M-42\"><applicant>Zoë</applicant><loan><amount>350000</amount></loan></application>",
            "application.xml"
        ),
        "valuation": document("<valuation><value>500000</value></valuation>", "valuation.xml"),
        "title-deed": document("<deed><parcel>12</parcel><parcel>13</parcel></deed>", "title-deed.xml"),
    ]

    private func evaluate(_ source: String) throws -> XPathValue {
        try XPathExpression(source).evaluate(with: Self.documents)
    }

    @Test("one criterion compares two documents")
    func multiDocument() throws {
        let criterion = "number($valuation/valuation/value) * 0.8 >= number($application/application/loan/amount)"
        #expect(try evaluate(criterion) == .boolean(true))
        let cheaper = ["valuation": Self.document("<valuation><value>400000</value></valuation>", "v.xml")]
        let value = try XPathExpression(criterion).evaluate(with: Self.documents.merging(cheaper) { $1 })
        #expect(value == .boolean(false))
        #expect(!value.booleanValue)
    }

    @Test(
        "numbers, with XPath's string and boolean views",
        arguments: [
            ("number($application/application/loan/amount) div 1000", 350.0, "350"),
            ("count($title-deed/deed/parcel)", 2, "2"),
            ("sum($title-deed//parcel) + 0.5", 25.5, "25.5"),
            ("0 div 0", .nan, "NaN"),
            ("-1 div 0", -.infinity, "-Infinity"),
        ]
    )
    func numbers(source: String, expected: Double, text: String) throws {
        let value = try evaluate(source)
        guard case .number(let number) = value else {
            Issue.record("\(source) gave \(value)")
            return
        }
        #expect(number == expected || (number.isNaN && expected.isNaN))
        #expect(value.stringValue == text)
        #expect(value.booleanValue == !(number == 0 || number.isNaN))
    }

    @Test("strings, including a document whose name has a hyphen")
    func strings() throws {
        #expect(try evaluate("string($application/application/@id)") == .string("M-42"))
        #expect(
            try evaluate("concat($application//applicant, ' / ', $title-deed/deed/parcel[2])") == .string("Zoë / 13")
        )
        #expect(try evaluate("string($application/application/missing)").booleanValue == false)
        #expect(try evaluate("normalize-space('  a  b ')").stringValue == "a b")
    }

    @Test("booleans")
    func booleans() throws {
        #expect(try evaluate("boolean($title-deed/deed/parcel)") == .boolean(true))
        #expect(try evaluate("not($application/application/loan/amount > 1000000)") == .boolean(true))
        #expect(try evaluate("$application/application/@id = 'M-43'") == .boolean(false))
        #expect(try evaluate("true()").stringValue == "true")
    }

    @Test("node-sets give their size and first string-value; an empty one is false")
    func nodeSets() throws {
        let parcels = try evaluate("$title-deed/deed/parcel")
        #expect(parcels == .nodeSet(count: 2, stringValue: "12"))
        #expect(parcels.booleanValue)
        #expect(parcels.stringValue == "12")
        let none = try evaluate("$title-deed/deed/building")
        #expect(none == .nodeSet(count: 0, stringValue: ""))
        #expect(!none.booleanValue)
        #expect(try evaluate("$valuation") == .nodeSet(count: 1, stringValue: "500000"))
        // No context node: a path that does not start at a document selects nothing.
        #expect(try evaluate("/valuation/value") == .nodeSet(count: 0, stringValue: ""))
        #expect(try evaluate("valuation") == .nodeSet(count: 0, stringValue: ""))
    }

    @Test("namespaced documents are reached through local-name()")
    func namespacedCorpus() throws {
        let file = Corpus.root.appendingPathComponent("ubl/UBL-Invoice-2.1-Example.xml")
        let invoice = try XMLDocument(contentsOf: file)
        let value = try XPathExpression("string($invoice/*[local-name()='Invoice']/*[local-name()='ID'])")
            .evaluate(with: ["invoice": invoice])
        #expect(value == .string("TOSL108"))
    }

    @Test(
        "a syntax error carries its 1-based column within the expression",
        arguments: [
            ("1 + + 2", 5),
            ("count($a/b) > )", 15),
            ("concat('a', 'b'", 16),
            ("'ü' = $a/", 10),
            ("$", 2),
            ("'unclosed", 10),
            ("$ns:name = 1", 1),
            ("1 = 1\u{0} or 2", 6),
        ]
    )
    func syntaxError(source: String, column: Int) {
        #expect {
            try XPathExpression(source)
        } throws: { error in
            guard case DocumentError.xpathSyntax(let expression, let reported, let message) = error else {
                return false
            }
            return expression == source && reported == column && !message.isEmpty
        }
    }

    @Test("an unbound variable is an error naming it")
    func unboundVariable() throws {
        let expression = try XPathExpression("number($insurance/policy/cover) > 0")
        #expect(throws: DocumentError.unboundVariable(expression: expression.source, name: "insurance")) {
            try expression.evaluate(with: Self.documents)
        }
        #expect(throws: DocumentError.unboundVariable(expression: "$title", name: "title")) {
            try XPathExpression("$title").evaluate(with: Self.documents)
        }
    }

    @Test("an unknown function is an error naming it; other evaluation errors say what went wrong")
    func evaluationErrors() throws {
        #expect(throws: DocumentError.unknownFunction(expression: "amount(1)", name: "amount")) {
            try evaluate("amount(1)")
        }
        #expect(throws: DocumentError.xpathEvaluation(expression: "count(1)", message: "argument of the wrong type")) {
            try evaluate("count(1)")
        }
        #expect(
            throws: DocumentError.xpathEvaluation(
                expression: "$valuation/p:value",
                message: "undefined namespace prefix"
            )
        ) {
            try evaluate("$valuation/p:value")
        }
    }

    @Test("one expression over shared documents evaluates on many threads at once")
    func concurrentEvaluation() async throws {
        let expression = try XPathExpression(
            "sum($title-deed//parcel) + count($application//*) + string-length(name($valuation/*))"
        )
        let expected = try expression.evaluate(with: Self.documents)
        #expect(expected == .number(25 + 4 + 9))
        let results = await withTaskGroup(of: [XPathValue?].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<200).map { _ in try? expression.evaluate(with: Self.documents) } }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(results.count == 1600)
        #expect(results.allSatisfy { $0 == expected })
    }
}
