/// What went wrong reading, canonicalizing, validating or querying an XML document, in words a user can act on.
///
/// An error about a file describes itself as complete `FILE[:LINE[:COL]]: error: MESSAGE` lines (one per
/// violation); an XPath error is a bare message, for the caller to place within the file the expression
/// came from. Descriptions never quote document content beyond the names libxml2 puts in its messages, so
/// a refused document cannot leak a file it tried to include.
public enum DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The document is larger than `XMLLimits.maxBytes`.
    case tooLarge(source: String, size: Int, limit: Int)
    /// Elements nest deeper than `XMLLimits.maxDepth`.
    case tooDeep(SourceLocation, limit: Int)
    /// An element carries more attributes than `XMLLimits.maxAttributes` (namespace declarations not counted).
    case tooManyAttributes(SourceLocation, limit: Int)
    /// More namespace declarations are in scope at an element than `XMLLimits.maxNamespaces`.
    case tooManyNamespaces(SourceLocation, limit: Int)
    /// Not well-formed XML, or bytes in no encoding libxml2 can read.
    case malformed(XMLProblem)
    /// The DTD declares an entity. Refused before anything is expanded or fetched (XXE, "billion laughs").
    case entityDeclaration(SourceLocation, name: String)
    /// The DOCTYPE refers to an external DTD. Refused; nothing is fetched.
    case externalDTD(SourceLocation, identifier: String)
    /// The DTD gives an attribute a default value, which would silently change the canonical form.
    case attributeDefault(SourceLocation, element: String, attribute: String)
    /// A namespace name that is relative or not a URI; exclusive C14N cannot process it.
    case namespaceNotAbsolute(XMLProblem)
    /// libxml2 failed to canonicalize the document.
    case canonicalization(source: String, message: String)
    /// The schema file, or one it includes or imports, does not load.
    case schemaNotLoaded(path: String, problems: [XMLProblem])
    /// The document does not match the schema: every violation, each with its line.
    case invalid(source: String, violations: [XMLProblem])
    /// The XPath expression does not compile; `column` is 1-based within the expression.
    case xpathSyntax(expression: String, column: Int, message: String)
    /// The XPath expression calls a function XPath 1.0 does not have.
    case unknownFunction(expression: String, name: String)
    /// The XPath expression refers to `$name`, and no document of that name was given.
    case unboundVariable(expression: String, name: String)
    /// The XPath expression failed while being evaluated.
    case xpathEvaluation(expression: String, message: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): error: cannot read: \(reason)"
        case .tooLarge(let source, let size, let limit):
            "\(source): error: document is \(size) bytes, over the limit of \(limit) bytes"
        case .tooDeep(let location, let limit):
            "\(location): error: elements nest deeper than \(limit) levels; document refused"
        case .tooManyAttributes(let location, let limit):
            "\(location): error: an element has more than \(limit) attributes, the limit per element; "
                + "document refused"
        case .tooManyNamespaces(let location, let limit):
            "\(location): error: more than \(limit) namespace declarations are in scope at an element "
                + "(on it and its ancestors), the limit; document refused"
        case .malformed(let problem): "\(problem.place): error: not well-formed XML: \(problem.message)"
        case .entityDeclaration(let location, let name):
            "\(location): error: the DTD declares entity '\(name)'; documents declaring entities are refused "
                + "(external-entity and entity-expansion attacks), nothing was expanded or fetched"
        case .externalDTD(let location, let identifier):
            "\(location): error: the document refers to the external DTD \(identifier); external DTDs are "
                + "refused, nothing was fetched"
        case .attributeDefault(let location, let element, let attribute):
            "\(location): error: the DTD gives attribute '\(attribute)' of <\(element)> a default value; refused "
                + "because DTD defaults would change the document's canonical form"
        case .namespaceNotAbsolute(let problem):
            "\(problem.place): error: \(problem.message); canonical XML needs absolute namespace URIs"
        case .canonicalization(let source, let message):
            "\(source): error: cannot produce the exclusive canonical form: \(message)"
        case .schemaNotLoaded(let path, let problems):
            (["\(path): error: schema does not load"] + problems.map(\.description)).joined(separator: "\n")
        case .invalid(let source, let violations):
            violations.isEmpty
                ? "\(source): error: document does not match its schema"
                : violations.map(\.description).joined(separator: "\n")
        case .xpathSyntax(let expression, let column, let message):
            "XPath syntax error at column \(column) of \"\(expression)\": \(message)"
        case .unknownFunction(let expression, let name):
            "XPath \"\(expression)\" calls \(name)(), which is not an XPath 1.0 function"
        case .unboundVariable(let expression, let name):
            "XPath \"\(expression)\" refers to $\(name), but there is no document named '\(name)'"
        case .xpathEvaluation(let expression, let message): "XPath \"\(expression)\" failed: \(message)"
        }
    }
}
