import Foundation

/// What a case entry will say before it is dated and signed: the one place a step/v2 statement is
/// made, both for the entries the orchestrator signs at once and for a `SigningRequest` signed on a
/// machine with no ledger — so the two can never say different things about the same sign-off.
///
/// The statement's predicate names what the entry attaches with the SHA-256 of their exact bytes;
/// its subjects are every document of the case after the entry (the case's documents with this
/// entry's attachments in place), sorted by name, or the pipeline version alone when the case has
/// none (docs/ENTRIES.md).
public struct EntryDraft: Sendable, Equatable {
    /// A document the entry attaches: its name, fingerprint and the SHA-256 of its exact bytes.
    public struct Attachment: Sendable, Equatable {
        public let name: String
        public let fingerprint: Fingerprint
        public let sha256: Digest

        public init(name: String, fingerprint: Fingerprint, sha256: Digest) {
            self.name = name
            self.fingerprint = fingerprint
            self.sha256 = sha256
        }
    }

    /// The pipeline id.
    public let pipeline: String
    /// The digest of the pipeline version the case was opened under (or is being opened under).
    public let pipelineDigest: Digest
    public let caseID: String
    public let step: String
    public let party: String
    public let decision: StepPredicate.Decision
    /// The leaf hash of the case entry this one extends; `nil` for the entry that opens the case.
    public let previous: Digest?
    /// The case's documents before this entry, by name.
    public let documents: [String: Fingerprint]
    /// What this entry attaches, sorted by name.
    public let attaching: [Attachment]

    public init(
        pipeline: String,
        pipelineDigest: Digest,
        caseID: String,
        step: String,
        party: String,
        decision: StepPredicate.Decision,
        previous: Digest?,
        documents: [String: Fingerprint],
        attaching: [Attachment]
    ) {
        self.pipeline = pipeline
        self.pipelineDigest = pipelineDigest
        self.caseID = caseID
        self.step = step
        self.party = party
        self.decision = decision
        self.previous = previous
        self.documents = documents
        self.attaching = attaching.sorted { $0.name < $1.name }
    }

    /// The case's documents as they stand after this entry: what its statement endorses.
    public var documentsAfter: [String: Fingerprint] {
        var after = documents
        for attached in attaching { after[attached.name] = attached.fingerprint }
        return after
    }

    /// The same draft for another decision (a rejection of what a request asked to approve).
    public func deciding(_ decision: StepPredicate.Decision) -> EntryDraft {
        EntryDraft(
            pipeline: pipeline,
            pipelineDigest: pipelineDigest,
            caseID: caseID,
            step: step,
            party: party,
            decision: decision,
            previous: previous,
            documents: documents,
            attaching: attaching
        )
    }

    /// The statement this entry makes when signed at `signedAt` with `note`. Throws when a field
    /// breaks the predicate's rules (`StepPredicate.init`).
    public func statement(signedAt: Date, note: String?) throws(LedgerFormatError) -> Statement {
        let predicate = try StepPredicate(
            pipeline: pipeline,
            pipelineDigest: pipelineDigest,
            caseID: caseID,
            step: step,
            party: party,
            decision: decision,
            signedAt: signedAt,
            previous: previous,
            attaches: attaching.map { StepPredicate.AttachedDocument(name: $0.name, sha256: $0.sha256) },
            note: note
        )
        let after = documentsAfter
        var subjects: [Statement.Subject] = []
        for (name, fingerprint) in after.sorted(by: { $0.key < $1.key }) {
            subjects.append(try Statement.Subject(name: name, sha256: fingerprint.digest))
        }
        if subjects.isEmpty {
            subjects = [try Statement.Subject(name: Statement.pipelineSubjectName(pipeline), sha256: pipelineDigest)]
        }
        return Statement(subjects: subjects, predicate: predicate)
    }
}
