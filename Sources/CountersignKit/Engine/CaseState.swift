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
        /// The case's documents as this signature endorses them: each document's fingerprint just
        /// after the entry (what a revision-2 statement's subjects list).
        public let endorses: [String: Fingerprint]
    }

    /// A document attached to the case: its newest version under that name.
    public struct Attachment: Sendable, Equatable {
        public let name: String
        public let fingerprint: Fingerprint
        /// SHA-256 of the exact bytes, when the entry signs it (revision 2).
        public let sha256: Digest?
        public let party: String
        public let at: Date
        public let index: Int

        /// Where the store files its bytes (`DocumentKey`).
        public var key: String { DocumentKey.of(sha256: sha256, fingerprint: fingerprint) }
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
    /// The `withdraw` entry that ended the case.
    public private(set) var withdrawal: Signature?

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

    /// The entry of this case with leaf hash `leaf`, if any.
    public func event(withLeaf leaf: Digest) -> CaseEvent? {
        events.last { $0.leafHash == leaf }
    }

    /// Adds one entry. Only chain integrity is checked here: the entry names this case and
    /// pipeline, and its `previous` an entry of the case already folded (the newest, or an older
    /// one for an entry signed in parallel). Whether the entry was allowed is the sign-off
    /// validator's job, before it is appended.
    public mutating func apply(_ event: CaseEvent) throws(EngineError) {
        let predicate = event.predicate
        guard predicate.caseID == caseID, predicate.pipelineDigest == pipelineDigest else {
            throw .corruptCase(
                caseID: caseID,
                index: event.index,
                reason: "the entry belongs to another case or pipeline"
            )
        }
        let chained =
            events.isEmpty
            ? predicate.previous == nil : predicate.previous.map { self.event(withLeaf: $0) != nil } ?? false
        guard chained else {
            throw .corruptCase(
                caseID: caseID,
                index: event.index,
                reason: "its `previous` names no earlier entry of the case"
            )
        }
        events.append(event)
        for attached in event.statement.attachments {
            attachments[attached.name] = Attachment(
                name: attached.name,
                fingerprint: Fingerprint(digest: attached.fingerprint),
                sha256: attached.sha256,
                party: predicate.party,
                at: event.time,
                index: event.index
            )
        }
        let signature = Signature(
            party: predicate.party,
            decision: predicate.decision,
            at: event.time,
            index: event.index,
            note: predicate.note,
            endorses: attachments.mapValues(\.fingerprint)
        )
        switch predicate.decision {
        case .open, .attach: break
        case .expire: expiredAt = event.time
        case .withdraw: withdrawal = signature
        case .approve, .reject, .auto: signatures[predicate.step, default: []].append(signature)
        }
    }
}
