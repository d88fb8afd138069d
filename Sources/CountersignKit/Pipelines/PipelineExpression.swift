/// An XPath 1.0 expression from a pipeline (`require`, `if`, `expiry.key`), compiled when the
/// pipeline loaded, with where it was written.
///
/// Every document of a case is bound as the variable `$name` (its document node) when the
/// expression is evaluated: `expression.xpath.evaluate(with: documents)`.
public struct PipelineExpression: Hashable, Sendable, CustomStringConvertible {
    /// The compiled expression.
    public let xpath: XPathExpression
    /// Where the expression starts in the pipeline file.
    public let location: SourceLocation
    /// The documents the expression refers to (`$name`), in order of first use: it can be decided
    /// only once all of them are attached to the case.
    public let documentNames: [String]

    init(xpath: XPathExpression, location: SourceLocation) {
        self.xpath = xpath
        self.location = location
        var names: [String] = []
        for variable in XPathScanner.variables(in: xpath.source) where !names.contains(variable.name) {
            names.append(variable.name)
        }
        self.documentNames = names
    }

    /// The expression as written.
    public var source: String { xpath.source }

    public var description: String { source }
}
