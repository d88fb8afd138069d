/// An XPath 1.0 expression from a pipeline (`require`, `if`, `expiry.key`), with where it was written.
///
/// Every document of a case is bound as the variable `$name` (its document node) when the
/// expression is evaluated.
public struct PipelineExpression: Hashable, Sendable, CustomStringConvertible {
    /// The expression as written.
    public let source: String
    /// Where the expression starts in the pipeline file.
    public let location: SourceLocation

    public var description: String { source }
}
