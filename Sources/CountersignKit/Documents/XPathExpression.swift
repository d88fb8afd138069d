/// An XPath 1.0 expression whose syntax has been checked, evaluated over named documents.
///
/// Each document is bound as the variable `$name` (its document node), so one expression can compare
/// several: `number($valuation/valuation/value) * 0.8 >= number($application/application/loan/amount)`.
/// Names may contain `-` (`$title-deed`): XPath variable names are QNames. There is no context node, so
/// a path that does not start at a `$document` selects nothing; names in a default namespace are reached
/// with `*[local-name()='Invoice']`, as no namespace prefixes are bound.
///
/// Safe to use from any number of threads at once. libxml2 2.9 writes a function-lookup cache into a
/// compiled expression while evaluating it, so no compiled form is shared: `init` compiles once to check
/// the syntax, and every evaluation compiles its own copy (microseconds) in its own XPath context.
public struct XPathExpression: Hashable, Sendable, CustomStringConvertible {
    /// The expression as written.
    public let source: String

    /// Compiles `source`; a syntax error names the 1-based column within `source` where libxml2 stopped.
    public init(_ source: String) throws(DocumentError) {
        self.source = source
        try XPathEvaluation(expression: source, documents: [:]).check()
    }

    /// Evaluates the expression with each of `documents` bound as `$name`.
    ///
    /// Throws `DocumentError.unboundVariable` naming the first variable with no document,
    /// `.unknownFunction` for a function XPath 1.0 does not have, `.xpathEvaluation` for anything else.
    public func evaluate(with documents: [String: XMLDocument]) throws(DocumentError) -> XPathValue {
        try XPathEvaluation(expression: source, documents: documents).evaluate()
    }

    public var description: String { source }
}
