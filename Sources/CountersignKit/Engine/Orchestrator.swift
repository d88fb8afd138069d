import Foundation

/// Opens cases, checks and appends sign-offs, and moves cases forward by themselves.
///
/// Every entry is checked by `SignOffValidator` before it is appended, and appended with the case
/// head it was signed against, so the store refuses it if another signer got there first.
public final class Orchestrator {
    public let repository: CaseRepository
    /// The private key this command holds for an orchestrator party, if any (CLI.md: `--as/--key`
    /// of that party, `--orchestrator-key`, or `out/keys/PARTY.pem`), given the repository whose
    /// governance state says which keys are that party's.
    public let orchestratorKey: (String, CaseRepository) throws -> Ed25519PrivateKey?

    /// Where an appended entry's log time comes from.
    public enum LogTimes: Sendable {
        /// As the ledger's clock says: the `now` of each call on a `simulated`-clock ledger, the
        /// store's clock on a `system` one.
        case ledgerClock
        /// Always the `now` of each call (a replay of entries whose times are known).
        case given
    }

    /// Where appended entries' log times come from.
    public var logTimes = LogTimes.ledgerClock

    public init(
        repository: CaseRepository,
        orchestratorKey: @escaping (String, CaseRepository) throws -> Ed25519PrivateKey?
    ) {
        self.repository = repository
        self.orchestratorKey = orchestratorKey
    }

    /// The log time to request for an entry appended at `now` (`nil`: the store's clock).
    private func requestedLogTime(_ now: Date) throws -> Date? {
        switch logTimes {
        case .given: now
        case .ledgerClock: try repository.governance.settings?.clock == .simulated ? now : nil
        }
    }

    var ledger: Ledger { repository.ledger }

    /// Signs the entry that opens `caseID` under `pipeline`.
    public func openEntry(
        pipeline: Pipeline,
        caseID: String,
        party: String,
        key: Ed25519PrivateKey,
        documents: [DocumentUpload],
        now: Date
    ) throws -> SignedEntry {
        guard CaseID.isValid(caseID) else {
            throw EngineError.refused(caseID: caseID, step: StepPredicate.openStep, reasons: [CaseID.rule])
        }
        let prepared = try prepareDocuments(documents, pipeline: pipeline, caseID: caseID, step: StepPredicate.openStep)
        return try sign(
            pipeline: pipeline,
            over: nil,
            caseID: caseID,
            step: StepPredicate.openStep,
            party: party,
            decision: .open,
            signedAt: now,
            note: nil,
            attaching: prepared,
            key: key
        )
    }

    /// Signs a step of an open case (an approval, or a rejection when `rejectReason` is set).
    public func stepEntry(
        caseID: String,
        step: String,
        party: String,
        key: Ed25519PrivateKey,
        documents: [DocumentUpload],
        note: String?,
        rejectReason: String?,
        now: Date
    ) throws -> SignedEntry {
        guard let state = try repository.state(of: caseID) else { throw EngineError.unknownCase(caseID) }
        let pipeline = try repository.pipeline(for: state)
        let prepared = try prepareDocuments(documents, pipeline: pipeline, caseID: caseID, step: step)
        return try sign(
            pipeline: pipeline,
            over: state,
            caseID: caseID,
            step: step,
            party: party,
            decision: rejectReason == nil ? .approve : .reject,
            signedAt: now,
            note: rejectReason ?? note,
            attaching: prepared,
            key: key
        )
    }

    /// Signs an entry that attaches documents to an open case and decides no step (`attach`).
    public func attachEntry(
        caseID: String,
        party: String,
        key: Ed25519PrivateKey,
        documents: [DocumentUpload],
        note: String?,
        now: Date
    ) throws -> SignedEntry {
        guard let state = try repository.state(of: caseID) else { throw EngineError.unknownCase(caseID) }
        let pipeline = try repository.pipeline(for: state)
        let prepared = try prepareDocuments(
            documents,
            pipeline: pipeline,
            caseID: caseID,
            step: StepPredicate.attachStep
        )
        return try sign(
            pipeline: pipeline,
            over: state,
            caseID: caseID,
            step: StepPredicate.attachStep,
            party: party,
            decision: .attach,
            signedAt: now,
            note: note,
            attaching: prepared,
            key: key
        )
    }

    /// Signs the entry that withdraws an open case, giving `reason`.
    public func withdrawEntry(
        caseID: String,
        party: String,
        key: Ed25519PrivateKey,
        reason: String,
        now: Date
    ) throws -> SignedEntry {
        guard let state = try repository.state(of: caseID) else { throw EngineError.unknownCase(caseID) }
        return try sign(
            pipeline: try repository.pipeline(for: state),
            over: state,
            caseID: caseID,
            step: StepPredicate.withdrawStep,
            party: party,
            decision: .withdraw,
            signedAt: now,
            note: reason,
            attaching: [],
            key: key
        )
    }

    /// Checks a signed entry as `submit` would, without appending it (for offline signing).
    public func check(_ entry: SignedEntry, now: Date) throws {
        _ = try SignOffValidator(repository: repository, now: try logTime(at: now)).validate(
            entry,
            pipelineForOpening: try openingPipeline(for: entry)
        )
    }

    /// Submits entries of distinct cases in one transaction (`reconcile`'s inbox): each is checked
    /// as `submit` checks it, those that hold are appended together — one durable commit for all —
    /// and each gets its own result, in order. When the batch cannot be appended as checked (a case
    /// or the consortium moved on meanwhile, a log time outside a window), every entry of it is
    /// submitted again on its own, so the outcome is exactly that of one `submit` each.
    public func submit(batch entries: [SignedEntry], now: Date) -> [Result<LedgerEntry, any Error>] {
        precondition(Set(entries.map(\.caseID)).count == entries.count, "a batch holds one entry per case")
        var results = [Result<LedgerEntry, any Error>?](repeating: nil, count: entries.count)
        var prepared: [(position: Int, entry: NewEntry)] = []
        do {
            let logTime = try self.logTime(at: now)
            let governanceHead = try repository.governance.head?.leaf
            let validator = SignOffValidator(repository: repository, now: logTime)
            for (position, entry) in entries.enumerated() {
                do {
                    let verdict = try validator.validate(entry, pipelineForOpening: try openingPipeline(for: entry))
                    prepared.append(
                        (
                            position,
                            NewEntry(
                                envelope: entry.envelope.bytes,
                                caseID: entry.caseID,
                                expectedPrevious: verdict.state?.head,
                                requiredHeads: [LedgerChain.consortium: governanceHead],
                                documents: entry.documents,
                                logTime: try requestedLogTime(logTime),
                                acceptedLogTimes: verdict.window
                            )
                        )
                    )
                } catch {
                    // Refused here, it may hold on its own (a consortium view to refresh): one
                    // `submit` decides it, below.
                    results[position] = .failure(error)
                }
            }
            let appended = try ledger.append(prepared.map(\.entry))
            for (item, entry) in zip(prepared, appended) { results[item.position] = .success(entry) }
        } catch {
            prepared = []
        }
        return entries.enumerated().map { position, entry in
            if let result = results[position], case .success = result { return result }
            return Result { try submit(entry, now: now) }
        }
    }

    /// Checks a signed entry against everything the ledger knows, then appends it atomically with
    /// its documents. Nothing is appended when any check fails. When the case or the consortium
    /// moved on between the checks and the append (another entry landed), the entry is checked
    /// again against the ledger as it is now — the signature stays the same — and appended if it
    /// still holds.
    @discardableResult
    public func submit(_ entry: SignedEntry, now: Date) throws -> LedgerEntry {
        var attempts = 0
        var logTime = try self.logTime(at: now)
        while true {
            let pipelineForOpening: Pipeline?
            let verdict: SignOffValidator.Verdict
            do {
                pipelineForOpening = try openingPipeline(for: entry)
                verdict = try SignOffValidator(repository: repository, now: logTime)
                    .validate(entry, pipelineForOpening: pipelineForOpening)
            } catch let refusal as EngineError {
                // Judged by a view of the consortium older than the log's (a long-lived repository):
                // judge it again by the consortium as it is now.
                guard case .refused = refusal, attempts < 3, repository.governance is GovernanceCache,
                    try ledger.store.chainHead(LedgerChain.consortium) != repository.governance.head
                else { throw refusal }
                attempts += 1
                try repository.refreshGovernance()
                continue
            }
            let governanceHead = try repository.governance.head?.leaf
            do {
                return try ledger.append([
                    NewEntry(
                        envelope: entry.envelope.bytes,
                        caseID: entry.caseID,
                        expectedPrevious: verdict.state?.head,
                        requiredHeads: [LedgerChain.consortium: governanceHead],
                        documents: entry.documents,
                        logTime: try requestedLogTime(logTime),
                        acceptedLogTimes: verdict.window
                    )
                ])[0]
            } catch StorageError.caseMovedOn(let chain, _, _) where attempts < 3 {
                // Another entry landed first. The signature stays the same: an entry may extend an
                // older entry of its case (parallel signing), so judge it again on the case as it
                // is now, which either takes it or says why not (the step is done, say).
                attempts += 1
                if chain == LedgerChain.consortium { try repository.refreshGovernance() }
            } catch StorageError.caseMovedOn(let chain, _, _) {
                let reason =
                    chain == LedgerChain.consortium
                    ? "the consortium kept changing while this was being checked: re-run"
                    : "the case moved on while this was being signed (another signature landed first): re-run"
                throw EngineError.refused(caseID: entry.caseID, step: entry.step, reasons: [reason])
            } catch StorageError.logTimeOutsideWindow(let recorded) where attempts < 3 {
                // The log's clock gave a time at which the checks no longer hold: judge the entry
                // at that time, which says which window closed.
                attempts += 1
                logTime = recorded
            }
        }
    }

    /// The log time an entry appended now would get, as far as this process can tell before the
    /// store records it: the ledger's newest log time at least, and `now` (the simulated clock, or
    /// this machine's).
    public func logTime(at now: Date) throws -> Date {
        let truncated = Timestamp.truncated(now)
        guard let newest = try ledger.store.newestLogTime() else { return truncated }
        return max(truncated, newest)
    }

    /// For an entry that opens a case, the pipeline version it names, if one of that digest is in
    /// force (the validator refuses the entry otherwise).
    private func openingPipeline(for entry: SignedEntry) throws -> Pipeline? {
        let predicate = entry.statement.predicate
        guard predicate.decision == .open else { return nil }
        guard let version = try repository.governance.version(predicate.pipelineDigest) else { return nil }
        return try repository.pipeline(version)
    }

    /// Decodes an offline-signed envelope and the documents sent with it into an entry to submit.
    public func decodeSubmission(envelope bytes: [UInt8], documents: [DocumentUpload]) throws -> SignedEntry {
        let envelope: Envelope
        let statement: Statement
        do {
            envelope = try Envelope(bytes: bytes)
            statement = try envelope.statement()
        } catch {
            throw EngineError.notAnEntry("\(error)")
        }
        // Each attached document travels with the envelope, or is the very version this case
        // already holds under that name (never another case's document, named by fingerprint alone).
        // A document sent that the entry does not attach was never signed: it is refused, not
        // filed beside the envelope as if it were part of it.
        let attachedNames = Set(statement.attachments.map(\.name))
        if let unsigned = documents.first(where: { !attachedNames.contains($0.name) }) {
            throw EngineError.badDocument(
                name: unsigned.name,
                reason: "it was sent with the envelope, but the entry attaches no document of that name"
            )
        }
        let held = try repository.state(of: statement.predicate.caseID)?.attachments ?? [:]
        let stored = try statement.attachments.map { attached in
            let fingerprint = Fingerprint(digest: attached.fingerprint)
            if let upload = documents.first(where: { $0.name == attached.name }) {
                return StoredDocument(attached, bytes: upload.bytes)
            }
            guard let current = held[attached.name], current.fingerprint == fingerprint,
                current.sha256 == nil || current.sha256 == attached.sha256 || attached.sha256 == nil,
                let bytes = try repository.bytes(of: current, caseID: statement.predicate.caseID)
            else {
                throw EngineError.badDocument(
                    name: attached.name,
                    reason: "the entry attaches it but it was not sent with the envelope"
                )
            }
            return StoredDocument(attached, bytes: bytes)
        }
        return SignedEntry(envelope: envelope, statement: statement, documents: stored)
    }

    /// What automatic work did — or, in a plan, would do — for reports.
    public struct Progress: Sendable {
        /// Entries appended (in a plan: that it would append), as `(case, step)`, in order.
        public var appended: [(caseID: String, step: String)] = []
        /// The cases among them that were (would be) expired, with when their window ended.
        public var expired: [(caseID: String, windowEnded: Date)] = []
        /// Work that waited because this command holds no key of the orchestrator party.
        public var waitingForKey: [(caseID: String, step: String, party: String)] = []

        public init() {}

        /// Adds what `other` did after this.
        public mutating func add(_ other: Progress) {
            appended += other.appended
            expired += other.expired
            waitingForKey += other.waitingForKey
        }
    }

    /// Whether `advance` acts on what it finds to do, or only says what it would do.
    public enum Mode: Sendable {
        /// Signs each automatic step and expiry and appends it (checked as `submit` checks it).
        case act
        /// A dry run: writes nothing. Each entry the act would append is made the same way — the
        /// same predicate, signed in memory with the key the act would use — and the first one of
        /// a case is checked as `submit` would check it (`check`, which does not append). It is
        /// then folded into the case in memory, at the log time it would get, and the case is
        /// evaluated again, so the whole chain is planned: an automatic step that a planned one
        /// makes ready is planned too, and so is the case's end. (The later entries of a chain
        /// extend the case only in memory, where the validator cannot see them; every check of
        /// theirs that depends on the case holds by how they are made from its view.)
        case plan
    }

    /// Fires ready automatic steps and expires the case if its window has passed, repeatedly,
    /// until nothing more can happen at `now` (in `.plan` mode: says what that would append).
    public func advance(caseID: String, now: Date, mode: Mode = .act) throws -> Progress {
        try advance(try repository.view(of: caseID, at: now), now: now, mode: mode)
    }

    /// `advance(caseID:now:mode:)` starting from a view already evaluated at `now`.
    public func advance(_ evaluated: CaseView, now: Date, mode: Mode = .act) throws -> Progress {
        try advanced(evaluated, now: now, mode: mode).progress
    }

    /// The advance loop. Returns what it did (planned) and the case as it then stands (would
    /// stand). `unappended` (plan mode only) are entries taken as appended after the ledger's
    /// entries of the case without being appended — a dry run's inbox envelopes that would be
    /// accepted — and `evaluated` must be the case with them folded (`plannedView`).
    func advanced(
        _ evaluated: CaseView,
        unappended: [SignedEntry] = [],
        now: Date,
        mode: Mode
    ) throws -> (progress: Progress, view: CaseView) {
        precondition(mode == .plan || unappended.isEmpty, "only a plan takes entries as appended")
        let caseID = evaluated.state.caseID
        var progress = Progress()
        var planned = unappended
        var next: CaseView? = evaluated
        while true {
            let view =
                try next
                ?? (mode == .plan
                    ? plannedView(of: caseID, adding: planned, at: now) : repository.view(of: caseID, at: now))
            next = nil
            guard view.outcome == .open else { return (progress, view) }
            let orchestrator = view.pipeline.orchestrator
            let governanceHead = try repository.governance.head
            let work: [(step: String, decision: StepPredicate.Decision)] =
                view.shouldExpire
                ? [(StepPredicate.expireStep, .expire)]
                : view.readyAutomaticSteps.map { ($0.id, .auto) }
            guard let next = work.first else { return (progress, view) }
            guard let key = try orchestratorKey(orchestrator, repository) else {
                progress.waitingForKey += work.map { (caseID, $0.step, orchestrator) }
                return (progress, view)
            }
            let entry = try sign(
                pipeline: view.pipeline,
                over: view.state,
                caseID: caseID,
                step: next.step,
                party: orchestrator,
                decision: next.decision,
                signedAt: max(now, view.state.lastSignedAt),
                note: next.decision == .expire ? "window ended \(Timestamp.format(view.expiresAt ?? now))" : nil,
                attaching: [],
                key: key
            )
            switch mode {
            case .plan:
                // Checked as `submit` checks it while it extends the ledger's own head; then taken
                // as appended, in memory only.
                if planned.isEmpty { try check(entry, now: now) }
                planned.append(entry)
            case .act:
                do {
                    try submit(entry, now: now)
                } catch let refusal as EngineError {
                    guard case .refused = refusal else { throw refusal }
                    // Another process (a second reconcile, a signer) may have moved the case or the
                    // consortium on first: then look again; otherwise the refusal stands.
                    let governanceMoved = try repository.governance.head != governanceHead
                    guard try repository.state(of: caseID)?.head != view.state.head || governanceMoved else {
                        throw refusal
                    }
                    continue
                }
            }
            progress.appended.append((caseID, next.step))
            if next.decision == .expire { progress.expired.append((caseID, view.expiresAt ?? now)) }
        }
    }

    /// The case `caseID` as it would stand with `entries` appended after its entries in the ledger
    /// (the first of them may open it), evaluated at `now` — folded in memory, nothing written.
    /// Each gets the log time an append now would get and an index past the ledger's end; the
    /// documents they carry are read from them.
    public func plannedView(of caseID: String, adding entries: [SignedEntry], at now: Date) throws -> CaseView {
        guard !entries.isEmpty else { return try repository.view(of: caseID, at: now) }
        var state = try repository.state(of: caseID)
        let logTime = try self.logTime(at: now)
        var index = try ledger.size()
        var carried: [String: [UInt8]] = [:]
        for entry in entries {
            let event = CaseEvent(
                index: index,
                leafHash: MerkleHash.leaf(entry.envelope.bytes),
                envelope: entry.envelope,
                statement: entry.statement,
                logTime: logTime
            )
            if state == nil { state = try CaseState(opening: event) } else { try state?.apply(event) }
            for document in entry.documents { carried[document.key] = document.bytes }
            index += 1
        }
        guard let state else { throw EngineError.unknownCase(caseID) }
        var documents: [String: XMLDocument] = [:]
        for (name, attachment) in state.attachments {
            let key = attachment.key
            if let bytes = carried[key] {
                documents[name] = try XMLDocument(bytes: bytes, source: "\(name) (\(attachment.fingerprint))")
            } else {
                documents[name] = try repository.document(attachment, of: caseID)
            }
        }
        return CaseEvaluator(pipeline: try repository.pipeline(for: state), documents: documents).evaluate(
            state,
            at: now
        )
    }

    /// Every case id in the ledger, in the order they were opened.
    public func caseIDs() throws -> [String] {
        try ledger.store.caseIDs()
    }

    /// Signs a revision-2 entry extending `state` (`nil`: opening the case) that attaches
    /// `attaching`, as its `EntryDraft` says (the statement a signing request would make too).
    private func sign(
        pipeline: Pipeline,
        over state: CaseState?,
        caseID: String,
        step: String,
        party: String,
        decision: StepPredicate.Decision,
        signedAt: Date,
        note: String?,
        attaching: [(EntryDraft.Attachment, StoredDocument)],
        key: Ed25519PrivateKey
    ) throws -> SignedEntry {
        let draft = try self.draft(
            pipeline: pipeline,
            over: state,
            caseID: caseID,
            step: step,
            party: party,
            decision: decision,
            attaching: attaching.map(\.0)
        )
        let statement = try draft.statement(signedAt: signedAt, note: note)
        let envelope = try Envelope.sign(statement: statement, key: key)
        let documents = attaching.sorted { $0.0.name < $1.0.name }.map(\.1)
        return SignedEntry(envelope: envelope, statement: statement, documents: documents)
    }

    /// What an entry extending `state` (`nil`: opening the case) would say, before it is signed.
    func draft(
        pipeline: Pipeline,
        over state: CaseState?,
        caseID: String,
        step: String,
        party: String,
        decision: StepPredicate.Decision,
        attaching: [EntryDraft.Attachment]
    ) throws -> EntryDraft {
        EntryDraft(
            pipeline: pipeline.id,
            pipelineDigest: try state?.pipelineDigest ?? Self.digest(of: pipeline),
            caseID: caseID,
            step: step,
            party: party,
            decision: decision,
            previous: state?.head,
            documents: state?.attachments.mapValues(\.fingerprint) ?? [:],
            attaching: attaching
        )
    }

    /// The digest a pipeline's version is named by, as predicates carry it.
    private static func digest(of pipeline: Pipeline) throws -> Digest {
        guard let digest = Digest(hex: pipeline.digest.dropFirst("sha256:".count)) else {
            throw EngineError.missingPipeline(caseID: "", digest: pipeline.digest)
        }
        return digest
    }

    /// Parses, schema-validates and fingerprints uploaded documents.
    func prepareDocuments(
        _ uploads: [DocumentUpload],
        pipeline: Pipeline,
        caseID: String,
        step: String
    ) throws
        -> [(EntryDraft.Attachment, StoredDocument)]
    {
        var seen: Set<String> = []
        return try uploads.map { upload in
            guard seen.insert(upload.name).inserted else {
                throw EngineError.badDocument(name: upload.name, reason: "given twice")
            }
            guard pipeline.document(upload.name) != nil else {
                let known = pipeline.documents.map(\.name).joined(separator: ", ")
                throw EngineError.badDocument(
                    name: upload.name,
                    reason: "pipeline '\(pipeline.id)' declares no such document (it has: \(known))"
                )
            }
            let fingerprint = try fingerprint(upload)
            return (
                EntryDraft.Attachment(name: upload.name, fingerprint: fingerprint, sha256: SHA256.hash(upload.bytes)),
                StoredDocument(exactBytes: upload.bytes)
            )
        }
    }

    private func fingerprint(_ upload: DocumentUpload) throws -> Fingerprint {
        do {
            return try XMLDocument(bytes: upload.bytes, source: upload.source).fingerprint()
        } catch {
            throw EngineError.badDocument(name: upload.name, reason: "\(error)")
        }
    }
}

/// Case ids: `[A-Za-z0-9._-]{1,128}` (CLI.md).
public enum CaseID {
    public static let rule = "a case id is 1 to 128 of the characters A-Z a-z 0-9 . _ -"

    public static func isValid(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }
}
