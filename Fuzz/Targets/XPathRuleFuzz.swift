import CountersignKit

/// XPath rules (`XPathExpression`, what a pipeline's `require`, `if` and `expiry.key` hold):
/// evaluating a compiled rule twice gives the same value or the same error, and evaluation leaves
/// the documents it read unchanged.
enum XPathRuleFuzz {
    static let target = FuzzTarget(name: "xpath-rule", dictionary: "text") { bytes throws(FuzzFailure) in
        guard let source = String(validating: bytes, as: UTF8.self), let rule = try? XPathExpression(source) else {
            return
        }
        guard let valuation = try? XMLFixtures.valuation(), let application = try? XMLFixtures.application() else {
            throw FuzzFailure("the fixture documents are refused")
        }
        let documents = ["valuation": valuation, "application": application]
        let first = outcome(rule, documents)
        try FuzzFailure.expect(outcome(rule, documents) == first, "evaluating twice gives two outcomes")
        try FuzzFailure.expect(
            (try? valuation.fingerprint()) == XMLFixtures.valuationFingerprint,
            "evaluation changed a document it read"
        )
    }

    /// The value, or the error's description.
    private static func outcome(_ rule: XPathExpression, _ documents: [String: XMLDocument]) -> String {
        do {
            return "value " + String(reflecting: try rule.evaluate(with: documents))
        } catch {
            return "error \(error)"
        }
    }
}
