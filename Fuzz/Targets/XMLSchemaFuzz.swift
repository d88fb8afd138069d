import CountersignKit

/// XSD schemas (`XMLSchema(files:main:)`): loading is deterministic, validating the same document
/// twice gives the same verdict, and no schema, loaded or refused, changes how the next one
/// validates.
enum XMLSchemaFuzz {
    static let target = FuzzTarget(name: "xml-schema", dictionary: "xml") { bytes throws(FuzzFailure) in
        let files = ["fuzz.xsd": bytes]
        let schema = try? XMLSchema(files: files, main: "fuzz.xsd")
        try FuzzFailure.expect(
            ((try? XMLSchema(files: files, main: "fuzz.xsd")) == nil) == (schema == nil),
            "loading the same schema twice gives two outcomes"
        )
        if let schema, let document = try? XMLFixtures.valuation() {
            let first = verdict(schema, document)
            try FuzzFailure.expect(verdict(schema, document) == first, "validating twice gives two verdicts")
        }
        guard let known = try? XMLSchema(files: ["v.xsd": XMLFixtures.valuationSchema], main: "v.xsd"),
            let document = try? XMLFixtures.valuation()
        else {
            throw FuzzFailure("the input changed how the next schema loads")
        }
        try FuzzFailure.expect(verdict(known, document) == nil, "the input changed how the next schema validates")
    }

    /// `nil` when `document` is valid, else the description of why not.
    private static func verdict(_ schema: XMLSchema, _ document: XMLDocument) -> String? {
        do {
            try schema.validate(document)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
