import CountersignKit
import Foundation
import Testing

@Suite("XPath and schema validation")
struct ExpressionValidationTests {
    static let header = """
        pipeline: demo
        title: Demo
        opened-by: [bank]
        orchestrator: bank
        documents: { application: {} }
        steps:
          - id: review
            by: bank

        """

    static let cases: [ValidationCase] = [
        ValidationCase(
            name: "XPath syntax error at its column within a one-line expression",
            yaml: header + """
                    require: ["count($application//loan[amount > 1) = 1"]
                """,
            line: 9,
            column: 51,
            message: "XPath syntax error in 'require' at column 36 of the expression: invalid predicate"
        ),
        ValidationCase(
            name: "XPath syntax error in a block scalar, at the scalar",
            yaml: header + """
                    if: >
                      number($application/a) >
                """,
            line: 9,
            column: 9,
            message: "XPath syntax error in 'if' at column 25 of the expression: invalid expression"
        ),
        ValidationCase(
            name: "unclosed string literal",
            yaml: header + """
                    if: 'string($application/a) = "x'
                """,
            line: 9,
            column: 37,
            message: "XPath syntax error in 'if' at column 28 of the expression: string literal not closed"
        ),
        ValidationCase(
            name: "a function XPath 1.0 does not have, even where evaluation would stop early",
            yaml: header + """
                    require: ["false() and maximum($application/a) > 2"]
                """,
            line: 9,
            column: 28,
            message: "XPath in 'require' calls maximum(), which is not an XPath 1.0 function"
        ),
        ValidationCase(
            name: "a misspelt function, with a suggestion",
            yaml: header + """
                    require: ["cout($application/a) = 1"]
                """,
            line: 9,
            column: 16,
            message: "XPath in 'require' calls cout(), which is not an XPath 1.0 function; did you mean 'count'?"
        ),
        ValidationCase(
            name: "an argument of the wrong type",
            yaml: header + """
                    require: ["count(1) = 1"]
                """,
            line: 9,
            column: 15,
            message: "XPath in 'require' cannot be evaluated: argument of the wrong type"
        ),
        ValidationCase(
            name: "an expiry key naming an undeclared document",
            yaml: """
                pipeline: demo
                title: Demo
                opened-by: [bank]
                orchestrator: bank
                expiry:
                  default: 365d
                  key: "string($claim/claim/territory)"
                  windows: { QLD: P2Y }
                steps: [{id: review, by: bank}]
                """,
            line: 7,
            column: 16,
            message: "XPath in 'key' refers to $claim, but no document 'claim' is declared"
        ),
    ]

    @Test("each XPath mistake is reported once, at its line and column", arguments: cases)
    func mistake(_ validationCase: ValidationCase) {
        validationCase.check()
    }

    @Test("node tests, operators, axes and literals are not mistaken for functions or variables")
    func notFunctions() throws {
        let yaml =
            Self.header + """
                    require:
                      - "count($application/child::node()) >= 0 and (1 div 1) = 1 or 3 mod(2) = 1"
                      - "string($application/a/text()) != 'cout($x)' and not(processing-instruction('p'))"
                      - "count($application/descendant-or-self::comment()) >= 0"
                """
        let pipeline = try Pipeline(bytes: Array(yaml.utf8), path: "p.yaml", parties: ValidationCase.parties)
        #expect(pipeline.step("review")?.requirements.count == 3)
    }

    @Test("schemas load relative to the pipeline file, and one that does not load is reported at its path")
    func schemas() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("schemas-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("schemas"),
            withIntermediateDirectories: true
        )
        let good = #"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a"/></xs:schema>"#
        let bad =
            #"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="nope"/></xs:schema>"#
        try Data(good.utf8).write(to: folder.appendingPathComponent("schemas/good.xsd"))
        try Data(bad.utf8).write(to: folder.appendingPathComponent("schemas/bad.xsd"))
        let yaml = """
            pipeline: demo
            title: Demo
            opened-by: [bank]
            orchestrator: bank
            documents:
              a: { schema: schemas/good.xsd }
              b: { schema: schemas/bad.xsd }
              c: { schema: schemas/missing.xsd }
            steps: [{id: review, by: bank}]
            """
        let file = folder.appendingPathComponent("demo.yaml")
        try Data(yaml.utf8).write(to: file)
        #expect {
            try Pipeline(contentsOf: file, path: "demo.yaml", parties: ["bank"])
        } throws: { error in
            guard case .invalid(let diagnostics) = error as? ConfigurationError else { return false }
            let all = diagnostics.all
            return all.count == 2
                && all[0].location == SourceLocation(file: "demo.yaml", line: 7, column: 16)
                && all[0].message.hasPrefix("schema 'schemas/bad.xsd' does not load: ")
                && all[0].message.contains("'nope' does not resolve to a(n) type definition")
                && all[1].location == SourceLocation(file: "demo.yaml", line: 8, column: 16)
                && all[1].message.hasPrefix("schema 'schemas/missing.xsd' cannot be loaded: ")
                && all[1].message.contains("cannot be read")
        }
        let fixed = yaml.replacingOccurrences(of: "bad.xsd", with: "good.xsd").replacingOccurrences(
            of: "missing.xsd",
            with: "good.xsd"
        )
        let pipeline = try Pipeline(
            bytes: Array(fixed.utf8),
            path: "stored",
            parties: ["bank"],
            schemas: .directory(folder)
        )
        #expect(pipeline.documents.allSatisfy { $0.schema != nil })
    }
}
