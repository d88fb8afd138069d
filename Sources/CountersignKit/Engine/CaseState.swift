import Foundation

/// What a case's entries say, folded in log order: the facts every other view of the case is
/// derived from. Replaying the same entries always gives the same state.
public struct CaseState: Sendable {
    /// One signature on a step: an approval, a rejection or an automatic completion.
    public struct Signature: Sendable, Equatable {
        public let party: String
        public let decision: StepPredicate.Decision
        public let at: Date
        public let index: Int
        public let note: String?
    }

    /// A document attached to the case: its newest version under that name.
    public struct Attachment: Sendable, Equatable {
        public let name: String
        public let fingerprint: Fingerprint
        public let party: String
        public let at: Date
        public let index: Int
    }

    public let caseID: String
    /// The digest of the pipeline bytes the case was opened under.
    public let pipelineDigest: Digest
    public let pipelineID: String
    public let openedBy: String
    /// When the log received the opening entry (the clocks of the case's windows start there).
    public let openedAt: Date
    /// Every entry of the case, in log order.
    public private(set) var events: [CaseEvent]
    /// Documents by name.
    public private(set) var attachments: [String: Attachment] = [:]
    /// Signatures by step id, in log order.
    public private(set) var signatures: [String: [Signature]] = [:]
    /// When an `expire` entry closed the case.
    public private(set) var expiredAt: Date?

    /// Starts the fold with the entry that opens the case.
    public init(opening event: CaseEvent) throws(EngineError) {
        let predicate = event.predicate
        guard predicate.decision == .open else {
            throw .corruptCase(caseID: predicate.caseID, index: event.index, reason: "its first entry does not open it")
        }
        caseID = predicate.caseID
        pipelineDigest = predicate.pipelineDigest
        pipelineID = predicate.pipeline
        openedBy = predicate.party
        openedAt = event.time
        events = []
        try apply(event)
    }

    /// Folds a whole case from its entries, in log order.
    public init(events: [CaseEvent]) throws(EngineError) {
        guard let first = events.first else { throw .unknownCase("") }
        try self.init(opening: first)
        for event in events.dropFirst() { try apply(event) }
    }

    /// The leaf hash of the newest entry: what the next entry must name as `previous`.
    public var head: Digest { events[events.count - 1].leafHash }

    /// When the newest entry was signed (as its signer says).
    public var lastSignedAt: Date { events[events.count - 1].predicate.signedAt }

    /// When the log received the newest entry (its signing time when that is not known).
    public var lastTime: Date { events[events.count - 1].time }

    /// Adds one entry. Only chain integrity is checked here; whether the entry was allowed is the
    /// sign-off validator's job, before it is appended.
    public mutating func apply(_ event: CaseEvent) throws(EngineError) {
        let predicate = event.predicate
        guard predicate.caseID == caseID, predicate.pipelineDigest == pipelineDigest else {
            throw .corruptCase(
                caseID: caseID,
                index: event.index,
                reason: "the entry belongs to another case or pipeline"
            )
        }
        guard predicate.previous == events.last?.leafHash else {
            throw .corruptCase(
                caseID: caseID,
                index: event.index,
                reason: "its `previous` does not name the case's prior entry"
            )
        }
        events.append(event)
        for subject in event.statement.subjects {
            attachments[subject.name] = Attachment(
                name: subject.name,
                fingerprint: Fingerprint(digest: subject.sha256),
                party: predicate.party,
                at: event.time,
                index: event.index
            )
        }
        switch predicate.decision {
        case .open: break
        case .expire: expiredAt = event.time
        case .approve, .reject, .auto:
            signatures[predicate.step, default: []].append(
                Signature(
                    party: predicate.party,
                    decision: predicate.decision,
                    at: event.time,
                    index: event.index,
                    note: predicate.note
                )
            )
        }
    }
}
