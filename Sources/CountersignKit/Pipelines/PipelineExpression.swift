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
    /// Where the expression's first character is, when the expression sits verbatim on one line of the
    /// file (so each character's column follows from it); `nil` otherwise.
    private let verbatimStart: SourceLocation?

    /// `node` is the YAML scalar the expression was read from.
    init(xpath: XPathExpression, node: YAMLNode) {
        self.xpath = xpath
        self.location = node.location
        let length = xpath.source.unicodeScalars.count
        let end = node.location(ofCharacter: length)
        self.verbatimStart = end != node.location ? node.location(ofCharacter: 0) : nil
        var names: [String] = []
        for variable in XPathScanner.variables(in: xpath.source) where !names.contains(variable.name) {
            names.append(variable.name)
        }
        self.documentNames = names
    }

    /// Where the character (Unicode scalar) `offset` into the expression is, when the expression sits
    /// verbatim on one line; otherwise where the expression starts.
    public func location(ofCharacter offset: Int) -> SourceLocation {
        guard var shifted = verbatimStart else { return location }
        shifted.column += offset
        return shifted
    }

    /// The expression as written.
    public var source: String { xpath.source }

    public var description: String { source }
}
