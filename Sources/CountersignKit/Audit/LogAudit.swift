import Foundation

/// `log verify` and the verification step of `reconcile`: the Merkle checks of `LogVerifier`, and for
/// every entry its signature by a key the party files register (valid when it signed), its place in
/// its case's chain, its signer's authority for the step under the pipeline the case was opened
/// with, and the stored documents it attaches (each fingerprint recomputed once); and the
/// signatures of every stored checkpoint.
///
/// Whether each step was *ready* when signed (order, conditions, quorum) is replayed case by case
/// by `verify-bundle`; here authority means "this party may sign this step".
public struct LogAudit {
    public let store: any LedgerStore
    public let parties: PartyRegistry
    /// Where schemas of stored pipelines are resolved.
    public let pipelineDirectory: URL
    /// Threads for signature checks.
    public var workers = 1

    public init(store: any LedgerStore, parties: PartyRegistry, pipelineDirectory: URL) {
        self.store = store
        self.parties = parties
        self.pipelineDirectory = pipelineDirectory
    }

    /// Runs every check in one pass over the log.
    public func run(progress: ((Int) -> Void)? = nil) throws -> LogVerifier.Report {
        var verifier = LogVerifier(store: store)
        verifier.workers = workers
        verifier.progress = progress
        let parties = self.parties
        verifier.checkEntry = { entry in Self.checkSignature(entry, parties: parties) }
        var cases = CaseChecks(store: store, parties: parties, pipelineDirectory: pipelineDirectory)
        verifier.checkInOrder = { entry, statement in cases.check(entry, statement) }
        verifier.checkNoteSignatures = { note in noteSignatureProblem(note) }
        return try verifier.verify()
    }

    /// The envelope parses, its key belongs to the party the statement names and was valid when it
    /// signed, and the signature verifies.
    private static func checkSignature(
        _ entry: LedgerEntry,
        parties: PartyRegistry
    ) -> (problems: [LogVerifier.Problem], statement: Statement?) {
        let envelope: Envelope
        do {
            envelope = try Envelope(bytes: entry.envelope)
        } catch {
            return ([.init(index: entry.index, message: "not a DSSE envelope: \(error)")], nil)
        }
        guard let (party, key) = parties.key(withID: envelope.keyID) else {
            return ([.init(index: entry.index, message: "signed by key \(envelope.keyID.prefix(16))…, which no party file holds")], nil)
        }
        guard envelope.verify(with: key.publicKey) else {
            return ([.init(index: entry.index, message: "the signature of '\(party.id)' does not verify")], nil)
        }
        guard envelope.payloadType == Envelope.inTotoPayloadType else { return ([], nil) }
        let statement: Statement
        do {
            statement = try Statement(json: envelope.payload)
        } catch {
            return ([.init(index: entry.index, message: "not a Countersign statement: \(error)")], nil)
        }
        var problems: [LogVerifier.Problem] = []
        let predicate = statement.predicate
        if predicate.party != party.id {
            problems.append(.init(index: entry.index, message: "signed with a key of '\(party.id)' but claims party '\(predicate.party)'"))
        }
        if !key.isValid(at: predicate.signedAt) {
            problems.append(
                .init(index: entry.index, message: "\(parties.key(for: key.keyID, at: predicate.signedAt)) (signed at \(Timestamp.format(predicate.signedAt)))")
            )
        }
        return (problems, statement)
    }

    /// A checkpoint is acceptable when its signature lines verify under keys the party files hold
    /// (at least one), and none that claims such a key fails.
    private func noteSignatureProblem(_ note: SignedNote) -> String? {
        let names = Set(note.signatures.map(\.name))
        let verifiers = names.flatMap { name in
            parties.parties.flatMap { party in
                party.keys.flatMap { key in
                    [NoteVerifier.SignatureType.ed25519, .cosignatureV1].compactMap {
                        try? NoteVerifier(name: name, publicKey: key.publicKey, type: $0)
                    }
                }
            }
        }
        do {
            _ = try note.verify(with: verifiers)
            return nil
        } catch {
            return "\(error)"
        }
    }
}

/// The in-order part of the audit: case chains, signer authority, stored documents.
private struct CaseChecks {
    let store: any LedgerStore
    let parties: PartyRegistry
    let pipelineDirectory: URL
    /// Each case's newest leaf hash and the pipeline it was opened under.
    var cases: [String: (head: Digest, pipeline: Pipeline?)] = [:]
    var pipelines: [Digest: Pipeline] = [:]
    var checkedDocuments: Set<String> = []

    init(store: any LedgerStore, parties: PartyRegistry, pipelineDirectory: URL) {
        self.store = store
        self.parties = parties
        self.pipelineDirectory = pipelineDirectory
    }

    mutating func check(_ entry: LedgerEntry, _ statement: Statement?) -> [LogVerifier.Problem] {
        guard let statement else { return [] }
        let predicate = statement.predicate
        var problems: [String] = []
        if entry.caseID != predicate.caseID {
            problems.append("stored under case '\(entry.caseID ?? "")' but signed for case '\(predicate.caseID)'")
        }
        let known = cases[predicate.caseID]
        if predicate.previous != known?.head {
            problems.append("breaks the chain of case '\(predicate.caseID)': its `previous` is not the case's prior entry")
        }
        var pipeline = known?.pipeline
        if predicate.decision == .open {
            pipeline = self.pipeline(predicate.pipelineDigest, problems: &problems)
        }
        if let pipeline { problems += authorityProblems(predicate, pipeline: pipeline) }
        for subject in statement.subjects { problems += documentProblems(subject) }
        cases[predicate.caseID] = (entry.leafHash, pipeline)
        return problems.map { LogVerifier.Problem(index: entry.index, message: $0) }
    }

    private mutating func pipeline(_ digest: Digest, problems: inout [String]) -> Pipeline? {
        if let cached = pipelines[digest] { return cached }
        let key = "sha256:" + digest.hex
        do {
            guard let bytes = try store.document(fingerprint: key) else {
                problems.append("the pipeline it opens the case under (\(key)) is not in the store")
                return nil
            }
            guard SHA256.hash(bytes) == digest else {
                problems.append("the stored pipeline bytes do not match their digest \(key)")
                return nil
            }
            let pipeline = try Pipeline(bytes: bytes, path: key, parties: parties.partyIDs, schemaDirectory: pipelineDirectory)
            pipelines[digest] = pipeline
            return pipeline
        } catch {
            problems.append("the stored pipeline \(key) does not load: \(error)")
            return nil
        }
    }

    private func authorityProblems(_ predicate: StepPredicate, pipeline: Pipeline) -> [String] {
        switch predicate.decision {
        case .open:
            return pipeline.openedBy.contains(predicate.party) ? [] : ["'\(predicate.party)' may not open a '\(pipeline.id)' case"]
        case .expire:
            return predicate.party == pipeline.orchestrator ? [] : ["only the orchestrator may expire a case"]
        case .auto:
            guard let step = pipeline.step(predicate.step), step.isAutomatic else {
                return ["'\(predicate.step)' is not an automatic step of '\(pipeline.id)'"]
            }
            return predicate.party == pipeline.orchestrator ? [] : ["only the orchestrator signs automatic steps"]
        case .approve, .reject:
            guard let step = pipeline.step(predicate.step) else { return ["'\(pipeline.id)' has no step '\(predicate.step)'"] }
            guard let signers = step.authority.signers, signers.permits(predicate.party) else {
                return ["'\(predicate.party)' may not sign step '\(step.id)' (signed by: \(step.authority))"]
            }
            return []
        }
    }

    /// The document is stored and its bytes still have the fingerprint the entry signed.
    private mutating func documentProblems(_ subject: Statement.Subject) -> [String] {
        let fingerprint = Fingerprint(digest: subject.sha256).description
        guard checkedDocuments.insert(fingerprint).inserted else { return [] }
        do {
            guard let bytes = try store.document(fingerprint: fingerprint) else {
                return ["document '\(subject.name)' (\(fingerprint)) is not in the store"]
            }
            let actual = try XMLDocument(bytes: bytes, source: subject.name).fingerprint()
            return actual.digest == subject.sha256
                ? [] : ["the stored bytes of document '\(subject.name)' no longer have fingerprint \(fingerprint)"]
        } catch {
            return ["document '\(subject.name)' (\(fingerprint)): \(error)"]
        }
    }
}
