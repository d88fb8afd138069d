/// Who completes a step: the listed signers, or the pipeline's orchestrator automatically.
public enum StepAuthority: Hashable, Sendable, CustomStringConvertible {
    /// `auto: true`: done by the orchestrator (signed with its key) as soon as the step is ready.
    case automatic
    /// `by: ...`: done when enough of these parties have approved.
    case signers(Signers)

    /// The signers of a step signed by parties; `nil` for an automatic step.
    public var signers: Signers? {
        if case .signers(let signers) = self { return signers }
        return nil
    }

    public var description: String {
        switch self {
        case .automatic: "automatic"
        case .signers(let signers): signers.description
        }
    }
}
