/// One step of a pipeline, as declared under `steps:`.
public struct Step: Hashable, Sendable, Identifiable {
    /// What a signed rejection of this step does to the case (`on-reject`).
    public enum RejectPolicy: String, Hashable, Sendable {
        /// The case ends as rejected (the default).
        case end
        /// The rejection is recorded and the case goes on; steps after this one treat it as done.
        case `continue`
        /// A rejection is one vote against: the step is rejected (and the case ends) only once the
        /// parties who have not rejected it can no longer make up its quorum.
        case quorum
    }

    public let id: String
    /// Where the step is declared (its mapping under `steps:`).
    public let location: SourceLocation
    /// Who completes the step.
    public let authority: StepAuthority
    /// Steps that must be done (or skipped) before this one is ready, in file order.
    public let after: [String]
    /// Documents the case must already carry before this step is ready.
    public let needs: [String]
    /// Documents the signer must attach when signing this step.
    public let produces: [String]
    /// XPath booleans that must all hold (over the case's documents, including those attached by
    /// this signature) for the step to be signed.
    public let requirements: [PipelineExpression]
    /// When present and false once the step's `after` steps are done, the step is skipped.
    public let condition: PipelineExpression?
    /// The step is overdue when not done this long after it became ready.
    public let due: PipelineDuration?
    public let onReject: RejectPolicy

    /// Whether the orchestrator completes this step automatically.
    public var isAutomatic: Bool { authority == .automatic }

    /// The documents the step rests on: its `needs` and `produces`, and those its `if` and
    /// `require` read. An approval counts only while these are as it endorsed them, and once the
    /// step is finished they no longer change.
    public var reads: Set<String> {
        Set(needs + produces + requirements.flatMap(\.documentNames) + (condition?.documentNames ?? []))
    }
}
