/// A multi-party process loaded from a pipeline file (FORMATS.md §2), always valid: every id is
/// unique and well formed, every party, step and document it names exists, `after` has no cycle,
/// every expression compiles and every schema loads.
///
/// It keeps its exact files (the pipeline file and its schemas) and their version digest: a case is
/// bound to the version it was opened under, and reloads it from the ledger's copy of those files.
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
    /// The pipeline file and every schema file it loads, exactly as read.
    public let files: PipelineFiles
    /// The version digest, `sha256:HEX` of the files' manifest (`PipelineFiles.digest`): the
    /// `pipelineDigest` of every entry of its cases.
    public let digest: String

    /// The exact bytes of the pipeline file.
    public var bytes: [UInt8] { files.pipeline }

    /// `ID@sha256:HEX`, how commands and reports name this version.
    public var versionName: String { id + "@" + digest }

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
}
