import Foundation

/// A document given with a signature: its name in the pipeline and its exact bytes.
public struct DocumentUpload: Sendable {
    public let name: String
    public let bytes: [UInt8]
    /// Where it came from, for messages (a file path).
    public let source: String

    public init(name: String, bytes: [UInt8], source: String) {
        self.name = name
        self.bytes = bytes
        self.source = source
    }
}

/// A signed entry ready to append: the envelope, its decoded statement and the documents it attaches.
public struct SignedEntry: Sendable {
    public let envelope: Envelope
    public let statement: Statement
    public let documents: [StoredDocument]

    public var caseID: String { statement.predicate.caseID }
    public var step: String { statement.predicate.step }
}
