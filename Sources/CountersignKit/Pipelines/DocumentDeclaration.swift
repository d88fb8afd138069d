/// A named document a case of a pipeline may carry (`documents:` in the pipeline file).
public struct DocumentDeclaration: Sendable {
    /// The name: the key under `documents`, the XPath variable `$name`, the `NAME` of `--doc NAME=FILE`.
    public let name: String
    /// The XML Schema path as written, relative to the pipeline file; `nil` when none is declared.
    public let schemaPath: String?
    /// The schema, loaded when the pipeline loaded; every document attached under `name` must be valid.
    public let schema: XMLSchema?
    /// Steps whose signers may attach a newer version besides the steps that produce it
    /// (`revised-by`; docs/ENTRIES.md "Who may attach a document").
    public let revisedBy: [String]

    public init(name: String, schemaPath: String?, schema: XMLSchema?, revisedBy: [String] = []) {
        self.name = name
        self.schemaPath = schemaPath
        self.schema = schema
        self.revisedBy = revisedBy
    }
}
