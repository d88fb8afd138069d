/// Why the orchestrator refused or could not do something, in words a clerk can act on.
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No case with this id is in the ledger.
    case unknownCase(String)
    /// No pipeline with this id or path in the workspace.
    case unknownPipeline(String)
    /// The signature was not accepted; every unmet criterion is listed.
    case refused(caseID: String, step: String, reasons: [String])
    /// The ledger holds entries of a case that do not chain or decode: it was tampered with.
    case corruptCase(caseID: String, index: Int, reason: String)
    /// A document given on the command line cannot be used.
    case badDocument(name: String, reason: String)
    /// A submitted file that is not a DSSE envelope of a Countersign step statement.
    case notAnEntry(String)
    /// An offline submission file that cannot be read.
    case unreadableSubmission(path: String)
    /// An offline envelope file larger than `Envelope.maximumSubmittedSize`, refused before it is
    /// read.
    case oversizedSubmission(path: String, size: Int)
    /// A file the command must write cannot be written.
    case unwritable(path: String, reason: String)
    /// The pipeline bytes a case was opened under are not in the store.
    case missingPipeline(caseID: String, digest: String)
    /// A case may be opened only under a pipeline version in force; `name` is what the user gave,
    /// `version` the digest it stands for (when known), `file` the workspace file to propose.
    case pipelineNotInForce(name: String, version: String?, file: String?)

    /// Whether the error is the ledger's damage, not the fault of what was submitted.
    public var isDamage: Bool {
        if case .corruptCase = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .unknownCase(let id): "no case '\(id)' in the ledger"
        case .unknownPipeline(let name):
            "no pipeline '\(name)' (give its `pipeline:` id or the path of its file under pipelines/)"
        case .refused(let caseID, let step, let reasons):
            (["signature for step '\(step)' of case '\(caseID)' refused:"] + reasons.map { "  - \($0)" })
                .joined(separator: "\n")
        case .corruptCase(let caseID, let index, let reason):
            "case '\(caseID)' is damaged at entry \(index): \(reason); run `countersign log verify`"
        case .badDocument(let name, let reason): "document '\(name)': \(reason)"
        case .notAnEntry(let reason): "not a Countersign entry: \(reason)"
        case .unreadableSubmission(let path): "cannot read \(path)"
        case .oversizedSubmission(let path, let size):
            "\(path) is \(size) bytes, more than the \(Envelope.maximumSubmittedSize) bytes an envelope file may have "
                + "(documents travel beside it, in \(OfflineSubmission.documentFolder(for: path))/): it is no sign-off"
        case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
        case .missingPipeline(let caseID, let digest):
            "the pipeline version case '\(caseID)' was opened under (\(digest)) is not in force in the ledger"
        case .pipelineNotInForce(let name, let version, let file):
            "pipeline \(name)\(version.map { " (\($0))" } ?? "") is no version in force: "
                + "propose it with `countersign propose \(file ?? "pipelines/FILE.yaml") --as ADMIN --key FILE` "
                + "and have the consortium's admins approve it (`countersign consortium show` lists what is in force)"
        }
    }
}
