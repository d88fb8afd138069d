/// A multi-party process loaded from a pipeline file (FORMATS.md §2), always valid: every id is
/// unique and well formed, every party, step and document it names exists, `after` has no cycle,
/// every expression compiles and every schema loads.
///
/// It keeps the exact file bytes and their digest: a case is bound to the bytes it was opened
/// under, and can reload them later with `init(bytes:path:parties:schemaDirectory:)`.
public struct Pipeline: Sendable {
    /// `pipeline:`, the id cases and commands name it by.
    public let id: String
    public let title: String
    /// `version:`, free text shown in reports.
    public let version: String?
    /// Parties that may open a case, in file order.
    public let openedBy: [String]
    /// The party whose key signs automatic steps and expiries.
    public let orchestrator: String
    /// Declared documents, in file order.
    public let documents: [DocumentDeclaration]
    public let expiry: ExpiryPolicy?
    /// Steps in file order.
    public let steps: [Step]

    /// The file as the user named it, for messages.
    public let path: String
    /// The exact bytes of the pipeline file.
    public let bytes: [UInt8]
    /// `sha256:` + hex SHA-256 of `bytes`: the `pipelineDigest` of every entry of its cases.
    public let digest: String

    /// The step with this id, if any.
    public func step(_ id: String) -> Step? {
        steps.first { $0.id == id }
    }

    /// The document declared with this name, if any.
    public func document(_ name: String) -> DocumentDeclaration? {
        documents.first { $0.name == name }
    }

    /// Steps so that each comes after every step it names in `after`; among steps free to go in
    /// any order, file order.
    public var dependencyOrder: [Step] {
        var placed: Set<String> = []
        var order: [Step] = []
        while order.count < steps.count {
            for step in steps where !placed.contains(step.id) && step.after.allSatisfy(placed.contains) {
                placed.insert(step.id)
                order.append(step)
            }
        }
        return order
    }

    /// The steps that name `id` in their `after`, in file order.
    public func steps(after id: String) -> [Step] {
        steps.filter { $0.after.contains(id) }
    }

    /// `sha256:HEX` of `bytes`, the form `digest` takes.
    public static func digest(of bytes: [UInt8]) -> String {
        "sha256:" + SHA256.hash(bytes).hex
    }
}
