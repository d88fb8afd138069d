import Foundation

/// Reads cases back from the ledger: entries folded into a `CaseState`, the pipeline version the
/// case was opened under (its files as the ledger stores them), its documents parsed from their
/// stored bytes, and the consortium's governance state every check takes keys and rights from.
///
/// The store is not trusted with any of it: every entry is checked as it is read (its leaf hash
/// recomputed from its bytes, its statement naming the case, its signature made by a key the
/// consortium held for the party it names at that point of the log), and every document's bytes
/// against the hash the entry signs. A database administrator who re-encodes a rejection as an
/// approval gets a damaged case (`EngineError.corruptCase`), which the engine refuses to act on,
/// not a case that moves on.
public final class CaseRepository {
    public let ledger: Ledger
    /// The consortium as the ledger holds it: keys, members, pipeline versions in force.
    public private(set) var governance: any GovernanceView
    private var pipelines: [String: Pipeline] = [:]
    private var documentCache: [String: XMLDocument] = [:]
    /// Whether the ledger's entry indexes are the log's own, so a key's history (the entry that
    /// brought it into force, the one that revoked it) can be judged by them when an entry is read.
    /// `false` for a replay that re-appends a bundle's entries to a ledger of its own (whose
    /// verifier judges each key against the real log indexes itself).
    public var indexesAreLogIndexes = true
    /// Leaf hashes of entries whose signature this repository checked, so reading a case again
    /// (the orchestrator reads one several times per sign-off) checks each signature once.
    private var verifiedLeaves: Set<Digest> = []

    /// A repository over `ledger`, its governance state read from the ledger's own cache.
    public convenience init(ledger: Ledger) throws {
        self.init(ledger: ledger, governance: try GovernanceCache(store: ledger.store))
    }

    /// A repository asking `governance` (a replay moving through a bundle, say).
    public init(ledger: Ledger, governance: any GovernanceView) {
        self.ledger = ledger
        self.governance = governance
    }

    /// Reads the governance state again (after another process changed the consortium).
    public func refreshGovernance() throws {
        guard governance is GovernanceCache else { return }
        governance = try GovernanceCache(store: ledger.store)
    }

    /// The folded case, from entries checked as they were read (`verifiedEvent`); `nil` when the
    /// ledger has no entry for it.
    public func state(of caseID: String) throws -> CaseState? {
        let entries = try ledger.store.entries(ofCase: caseID)
        guard !entries.isEmpty else { return nil }
        return try CaseState(events: try entries.map { try verifiedEvent($0, of: caseID) })
    }

    /// The case folded from its entries as the store holds them, signatures unchecked: for writing
    /// evidence of it (`bundle`), whose reader checks every signature itself, so a damaged case can
    /// still be handed to an auditor, who then sees the damage. Never for deciding anything.
    public func recordedState(of caseID: String) throws -> CaseState? {
        let entries = try ledger.store.entries(ofCase: caseID)
        guard !entries.isEmpty else { return nil }
        return try recordedState(of: caseID, from: entries)
    }

    /// `entries` of `caseID` folded as the store holds them, signatures unchecked.
    func recordedState(of caseID: String, from entries: some Sequence<LedgerEntry>) throws -> CaseState {
        try CaseState(
            events: try entries.map { entry in
                do {
                    return try CaseEvent(entry)
                } catch {
                    throw EngineError.corruptCase(caseID: caseID, index: entry.index, reason: "\(error)")
                }
            }
        )
    }

    /// One stored entry of `caseID`, decoded after the checks the store cannot be trusted with:
    /// its leaf hash is that of its bytes, its statement names the case, and its one signature
    /// verifies with a key the consortium holds for the party the statement names, in force at the
    /// entry's point of the log (brought in by an earlier entry, not revoked by then, inside its
    /// window at the entry's log time). Whether the entry was *allowed* was judged when it was
    /// appended, and is judged again by `log verify`; this is what makes the bytes the engine acts
    /// on the bytes that were signed.
    public func verifiedEvent(_ entry: LedgerEntry, of caseID: String) throws -> CaseEvent {
        func damaged(_ reason: String) -> EngineError {
            .corruptCase(caseID: caseID, index: entry.index, reason: reason)
        }
        let leaf = MerkleHash.leaf(entry.envelope)
        guard leaf == entry.leafHash else {
            throw damaged("its stored leaf hash is not the hash of its bytes (the row was edited)")
        }
        let event: CaseEvent
        do {
            event = try CaseEvent(entry)
        } catch {
            throw damaged("\(error)")
        }
        guard event.predicate.caseID == caseID, entry.caseID == caseID else {
            throw damaged("its statement belongs to case '\(event.predicate.caseID)'")
        }
        guard !verifiedLeaves.contains(leaf) else { return event }
        if let problem = try signerProblem(event) { throw damaged(problem) }
        if verifiedLeaves.count >= 4_096 { verifiedLeaves.removeAll(keepingCapacity: true) }
        verifiedLeaves.insert(leaf)
        return event
    }

    /// Why the entry's signature is not one the consortium held for its party at that point of the
    /// log, or `nil` when it is.
    private func signerProblem(_ event: CaseEvent) throws -> String? {
        let party = event.predicate.party
        guard event.envelope.signatures.count == 1 else {
            return "a case entry carries one signature, this one \(event.envelope.signatures.count)"
        }
        guard let key = try governance.caseSigner(of: event.envelope, party: party).verified else {
            return "its signature does not verify with any key the consortium holds for '\(party)' "
                + "(the entry was altered after signing)"
        }
        if key.party != party {
            return "it is signed with the key of '\(key.party)', but names '\(party)'"
        }
        guard indexesAreLogIndexes else { return nil }
        if key.addedAt >= event.index {
            return "it is signed with key \(key.keyID.prefix(16))…, which came into force only at entry \(key.addedAt)"
        }
        if let revocation = key.revocation, revocation.index < event.index {
            return "it is signed with key \(key.keyID.prefix(16))…, revoked at entry \(revocation.index)"
        }
        if let time = event.logTime, !key.window.isValid(at: time) {
            return "it is signed with key \(key.keyID.prefix(16))… outside the key's window"
        }
        return nil
    }

    /// The pipeline version a case is bound to, loaded from the files the ledger stores with it.
    public func pipeline(for state: CaseState) throws -> Pipeline {
        let key = "sha256:" + state.pipelineDigest.hex
        if let cached = pipelines[key] { return cached }
        guard let version = try governance.version(state.pipelineDigest) else {
            throw EngineError.missingPipeline(caseID: state.caseID, digest: key)
        }
        return try pipeline(version)
    }

    /// A version in force, loaded from its stored files (each checked against its SHA-256).
    public func pipeline(_ version: PipelineVersion) throws -> Pipeline {
        if let cached = pipelines[version.digestText] { return cached }
        let pipeline = try Pipeline(
            files: try PipelineVersionFiles.load(version, from: ledger.store),
            path: "\(version.pipeline)@\(version.digestText.prefix(19))…"
        )
        guard pipeline.id == version.pipeline, pipeline.digest == version.digestText else {
            throw PipelineVersionFiles.Problem(
                version: version.name,
                reason: "its files hold pipeline '\(pipeline.id)'"
            )
        }
        remember(pipeline)
        return pipeline
    }

    /// The latest moment a case can expire by and still be within its notice period at `now`: the
    /// longest `expiry.notice` of every pipeline version in force, added to `now` (at least the
    /// default 30 days). The batch looks at every open case expiring by then.
    public func noticeHorizon(at now: Date) throws -> Date {
        var horizon = ExpiryPolicy.defaultNotice.added(to: now)
        for id in try governance.pipelineIDs() {
            for digest in try governance.versions(of: id) {
                guard let version = try governance.version(digest),
                    let notice = try pipeline(version).expiry?.notice
                else { continue }
                horizon = max(horizon, notice.added(to: now))
            }
        }
        return horizon
    }

    /// Makes a pipeline known by digest, so it is not loaded again (a bundle's copy of the version).
    public func remember(_ pipeline: Pipeline) {
        pipelines[pipeline.digest] = pipeline
    }

    /// The case's current documents by name, parsed from their stored bytes.
    public func documents(for state: CaseState) throws -> [String: XMLDocument] {
        var result: [String: XMLDocument] = [:]
        for (name, attachment) in state.attachments {
            result[name] = try document(attachment, of: state.caseID)
        }
        return result
    }

    /// The stored bytes of an attachment, checked against what its entry signs: the SHA-256 of the
    /// exact bytes (revision 2) or, for a revision-1 entry, the fingerprint. `nil` when the store
    /// does not hold them; a store whose bytes no longer match makes the case damaged.
    public func bytes(of attachment: CaseState.Attachment, caseID: String) throws -> [UInt8]? {
        let key = attachment.key
        guard let bytes = try ledger.store.document(key: key) else { return nil }
        let matches =
            try attachment.sha256.map { SHA256.hash(bytes) == $0 }
            ?? (XMLDocument(bytes: bytes, source: attachment.name).fingerprint() == attachment.fingerprint)
        guard matches else {
            throw EngineError.corruptCase(
                caseID: caseID,
                index: attachment.index,
                reason: "the stored bytes of document '\(attachment.name)' are not the bytes the entry signs"
            )
        }
        return bytes
    }

    /// One attached document, its bytes checked (`bytes(of:)`) and parsed once per repository.
    public func document(_ attachment: CaseState.Attachment, of caseID: String) throws -> XMLDocument {
        let key = attachment.key
        if let cached = documentCache[key] { return cached }
        guard let bytes = try bytes(of: attachment, caseID: caseID) else {
            throw EngineError.badDocument(
                name: attachment.name,
                reason: "\(attachment.fingerprint) is not in the ledger store"
            )
        }
        let document = try XMLDocument(bytes: bytes, source: "\(attachment.name) (\(attachment.fingerprint))")
        // Bounded: a batch walks every case once, and must not keep every document it read.
        if documentCache.count >= 256 { documentCache.removeAll(keepingCapacity: true) }
        documentCache[key] = document
        return document
    }

    /// The case evaluated at `now`.
    public func view(of caseID: String, at now: Date) throws -> CaseView {
        guard let state = try state(of: caseID) else { throw EngineError.unknownCase(caseID) }
        return try view(of: state, at: now)
    }

    /// Every case of the ledger evaluated at `now`, in the order they were opened (`status`,
    /// `notices`, `reconcile --notify`).
    public func views(at now: Date) throws -> [CaseView] {
        try ledger.store.caseIDs().map { try view(of: $0, at: now) }
    }

    public func view(of state: CaseState, at now: Date) throws -> CaseView {
        let evaluator = CaseEvaluator(pipeline: try pipeline(for: state), documents: try documents(for: state))
        return evaluator.evaluate(state, at: now)
    }

    /// A case folded by `recordedState`, evaluated over its documents' stored bytes unchecked (those
    /// missing or not XML left out): for describing evidence (`bundle`), never for deciding.
    public func recordedView(of state: CaseState, at now: Date) throws -> CaseView {
        var documents: [String: XMLDocument] = [:]
        for (name, attachment) in state.attachments {
            guard let bytes = try ledger.store.document(key: attachment.key) else { continue }
            documents[name] = try? XMLDocument(bytes: bytes, source: "\(name) (\(attachment.fingerprint))")
        }
        return CaseEvaluator(pipeline: try pipeline(for: state), documents: documents).evaluate(state, at: now)
    }
}
