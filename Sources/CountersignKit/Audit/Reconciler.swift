import Foundation

/// The nightly batch: ingest the inbox, verify the ledger (what is new since the tree this machine
/// verified last, or all of it), advance every open case, sign a checkpoint, and say what happened. Every step is safe to interrupt and repeat.
///
/// In `.plan` mode (`reconcile --dry-run`) the same run writes nothing and says what it would do:
/// each inbox file is decided as ingesting would decide it — already in the ledger, or checked as
/// `submit` checks it (`Orchestrator.check`, which does not append) — and left where it is; the
/// ledger is verified; the batch plans (`BatchAdvance` in `.plan` mode) with the envelopes that
/// would be accepted taken as appended, in memory, so what they make ready is planned too; no
/// checkpoint is signed and no report written (the caller shows the report, `dryRun` set). An
/// envelope of a case that an earlier envelope of the same inbox would already extend cannot be
/// checked against the ledger as it stands: it is reported `unchecked`, and left out of the plan.
public struct Reconciler {
    /// The phases, for progress display.
    public enum Phase: String, Sendable {
        case ingest = "ingesting inbox"
        case verify = "verifying ledger"
        case advance = "advancing cases"
    }

    public let orchestrator: Orchestrator
    /// Advances the cases, on as many workers as it was given.
    public let batch: BatchAdvance
    public let origin: String
    /// The key the checkpoint is signed with (the orchestrator's), if this run holds one.
    public let checkpointKey: Ed25519PrivateKey?
    /// Called with the phase, the work done and the work in all (0 when unknown).
    public var progress: @Sendable (Phase, Int, Int) -> Void = { _, _, _ in }
    /// Whether this run signs the checkpoint (one machine of a consortium does; the others do not).
    public var signsCheckpoint = true
    /// The name several machines' batches share to split the cases (see `BatchAdvance.run`).
    public var run: String?
    /// `.plan` for a dry run: nothing written, the report says what would happen.
    public var mode = Orchestrator.Mode.act
    /// Whether the whole log is verified and every case's summary checked against a replay of its
    /// entries (`reconcile --full`), rather than what is new since the tree this machine verified
    /// last (`verifiedState`) and a rotating sample of summaries (`CaseSummaryCheck.sampleWindow`).
    public var full = false
    /// Where this machine keeps the trees it verified; `nil`: every run verifies the whole log.
    public var verifiedState: VerifiedTreeState?

    public init(orchestrator: Orchestrator, batch: BatchAdvance, origin: String, checkpointKey: Ed25519PrivateKey?) {
        self.orchestrator = orchestrator
        self.batch = batch
        self.origin = origin
        self.checkpointKey = checkpointKey
    }

    private var ledger: Ledger { orchestrator.repository.ledger }

    public func run(inbox: Inbox, now: Date) throws -> ReconcileReport {
        var report = ReconcileReport(now: now, origin: origin)
        report.dryRun = mode == .plan
        report.clock = try orchestrator.repository.governance.settings?.clock
        report.ledgerSizeBefore = try ledger.size()
        // In the order the night touched them; the set answers "already there?" for 100,000 files.
        var touched: [String] = []
        var isTouched: Set<String> = []
        var pending = Pending()

        var clock = DispatchTime.now().uptimeNanoseconds
        func lap(_ phase: String) {
            let now = DispatchTime.now().uptimeNanoseconds
            report.timings[phase] = Double(now - clock) / 1e9
            clock = now
        }
        // Every file of the inbox is decided, or deferred, on its own: nothing one file does stops
        // the night, and everything at the inbox's top is in the report.
        var files: [URL] = []
        do {
            let contents = try inbox.contents()
            files = contents.pending
            report.submissions += contents.leftAlone.map {
                .init(file: $0.name, outcome: "deferred", caseID: nil, step: nil, entryIndex: nil, reason: $0.reason)
            }
        } catch {
            report.problems.append("inbox \(inbox.folder.path) cannot be read: \(error); no file was ingested")
        }
        let decided: [ReconcileReport.Submission]
        if mode == .act {
            decided = ingestInBatches(files, inbox: inbox, now: now)
        } else {
            decided = files.enumerated().map { number, file in
                progress(.ingest, number, files.count)
                return ingest(file, inbox: inbox, now: now, pending: &pending)
            }
        }
        for submission in decided {
            if let caseID = submission.caseID, submission.isAccepted, isTouched.insert(caseID).inserted {
                touched.append(caseID)
            }
        }
        report.submissions += decided
        for submission in report.submissions {
            // A file decided but not moved says so too, whatever it was decided as.
            let unfiled = submission.filingProblem.map { " — \($0)" } ?? ""
            switch submission.outcome {
            case "refused", "deferred":
                report.problems.append(
                    "inbox: \(submission.file) \(submission.outcome): \(submission.reason ?? "")\(unfiled)"
                )
            default:
                if let problem = submission.filingProblem {
                    report.problems.append("inbox: \(submission.file) \(problem)")
                }
            }
        }
        progress(.ingest, files.count, files.count)
        lap("ingest")

        // Besides the cases with something to do, the batch replays a sample of the others to check
        // their summaries — a summary edited or deleted is found — (all of them with --full); the
        // audit proves their entries too. The sample is found by a range query over the entries,
        // so a night does not read every case id of the log.
        let store = ledger.store
        let size = try ledger.size()
        let sample =
            try full
            ? store.caseIDs() : store.casesWithEntries(in: CaseSummaryCheck.sampleWindow(logSize: size, at: now))

        var audit = LogAudit(store: ledger.store)
        audit.workers = batch.workers
        audit.cases = Set(sample)
        if full {
            report.verification.reason = "--full"
        } else if let state = verifiedState {
            audit.from = state.newest()
            if audit.from == nil { report.verification.reason = "no tree verified before on this machine" }
        } else {
            report.verification.reason = "no state directory for the trees this machine verified"
        }
        report.verification.from = audit.from
        let outcome = try audit.run { progress(.verify, $0 - (audit.from?.size ?? 0), size - (audit.from?.size ?? 0)) }
        let verification = outcome.report
        report.verification.consistencyProofHashes = verification.consistencyProofHashes
        // A governance cache that does not match the entries (edited in the store) is rebuilt from
        // them (a dry run leaves it: the audit's problems name it).
        if mode == .act, try !GovernanceCache.differences(in: ledger.store, from: outcome.governance).isEmpty {
            try GovernanceCache.rebuild(ledger.store, from: outcome.governance)
            try orchestrator.repository.refreshGovernance()
        }
        lap("verify")
        report.governanceHead = outcome.governance.head?.index
        report.versionsInForce = outcome.governance.pipelines.keys.sorted().flatMap { id in
            (outcome.governance.pipelines[id] ?? []).compactMap { outcome.governance.versions[$0]?.name }
        }
        report.entriesVerified = verification.size - verification.from
        if verification.problems.isEmpty, mode == .act, let state = verifiedState {
            do {
                let last = verification.size > 0 ? try store.entry(at: verification.size - 1) : nil
                try state.record(
                    .init(size: verification.size, root: verification.root, logTime: last?.logTime, verifiedAt: now),
                    replacingLarger: audit.from == nil
                )
            } catch {
                report.problems.append(
                    "the tree verified tonight could not be recorded in \(state.folder.path): \(error); "
                        + "the next run verifies the whole log again"
                )
            }
        }
        report.problems += verification.problems.prefix(100).map(\.description)
        if verification.problems.count > 100 {
            report.problems.append(
                "… and \(verification.problems.count - 100) more problems: run `countersign log verify`"
            )
        }

        let show = progress
        let advanced = try batch.run(
            now: now,
            run: run,
            mode: mode,
            unappended: pending.entries,
            checking: sample
        ) { done, total in
            show(.advance, done, total)
        }
        lap("advance")
        for (caseID, reason) in advanced.damaged {
            report.problems.append("\(caseID): damaged in the store, nothing was signed on it: \(reason)")
        }
        for (caseID, reason) in advanced.summaryMismatches {
            report.problems.append(
                "\(caseID): \(reason); the summary was\(mode == .act ? "" : " to be") rebuilt from its entries"
            )
        }
        report.automaticEntries = advanced.progress.appended
        report.expiries = advanced.progress.expired
        report.waitingForKey = advanced.progress.waitingForKey
        report.overdue = advanced.overdue
        report.openCases = advanced.openCases
        report.casesEvaluated = advanced.evaluated
        for (caseID, _) in advanced.progress.appended where isTouched.insert(caseID).inserted { touched.append(caseID) }
        report.casesAdvanced = touched
        for caseID in touched {
            // As the batch left it (in a plan, as it would), unless another batch of the run took it.
            switch try advanced.outcomes[caseID] ?? orchestrator.repository.view(of: caseID, at: now).outcome {
            case .completed: report.casesCompleted.append(caseID)
            case .expired: report.casesExpired.append(caseID)
            case .open, .rejected, .withdrawn: break
            }
        }
        report.expiringSoon = advanced.expiringSoon.map { item in
            let days = Int((item.expiresAt.timeIntervalSince(now) / 86_400).rounded(.down))
            return .init(
                caseID: item.caseID,
                pipeline: item.pipeline,
                version: item.version,
                expiresAt: item.expiresAt,
                daysLeft: days,
                notice: item.notice
            )
        }
        for (caseID, step, party) in advanced.progress.waitingForKey {
            report.problems.append("\(caseID): \(step) waits for the key of orchestrator '\(party)'")
        }

        let damaged = !verification.problems.isEmpty || !advanced.damaged.isEmpty
        if signsCheckpoint, damaged {
            report.problems.append(
                "the checkpoint \(mode == .act ? "was" : "would be") not signed: a checkpoint vouches for a log that "
                    + "verified, and this one has problems (above)"
            )
        } else if let checkpointKey, signsCheckpoint, mode == .act {
            report.checkpoint = try orchestrator.repository.signCheckpoint(origin: origin, key: checkpointKey)
                .serialized
        } else if signsCheckpoint, checkpointKey == nil {
            report.problems.append(
                "no orchestrator key: the checkpoint \(mode == .act ? "was" : "would be") not signed "
                    + "(pass --as PARTY --key FILE)"
            )
        }
        lap("checkpoint")
        let (sizeAfter, root) = try ledger.root()
        report.ledgerSizeAfter = sizeAfter
        report.rootHash = root
        return report
    }

    /// A dry run's envelopes that would be accepted, by case, and the file of each case's first.
    private struct Pending {
        var entries: [String: [SignedEntry]] = [:]
        var files: [String: String] = [:]
    }

    /// Envelopes decided together and appended in one transaction (`Orchestrator.submit(batch:)`).
    static let ingestBatch = 512

    /// The inbox in order, each file decided on its own but appended in batches of envelopes of
    /// distinct cases: a file whose case is already in the batch closes it first, so each is
    /// checked against the ledger with every earlier envelope in it. A file is filed only once
    /// its entry is durable; killed in between, the next run finds the envelope in the ledger and
    /// files it as already accepted.
    private func ingestInBatches(_ files: [URL], inbox: Inbox, now: Date) -> [ReconcileReport.Submission] {
        // In inbox order, whenever each is filed.
        var submissions = [ReconcileReport.Submission?](repeating: nil, count: files.count)
        var filed = 0
        var batch: [(position: Int, file: URL, entry: SignedEntry)] = []
        var cases: Set<String> = []
        func record(_ position: Int, _ result: Inbox.Filed, entry: SignedEntry?) {
            var submission = Self.submission(
                files[position].lastPathComponent,
                result.outcome,
                entry: entry,
                mode: .act
            )
            submission.filedAs = result.filedAs
            submission.filingProblem = result.filingProblem
            submissions[position] = submission
            filed += 1
        }
        func flush() {
            let results = orchestrator.submit(batch: batch.map(\.entry), now: now)
            for (item, result) in zip(batch, results) {
                let outcome: Inbox.Outcome =
                    switch result {
                    case .success(let appended): .accepted(entryIndex: appended.index)
                    case .failure(let error): Inbox.outcome(of: error)
                    }
                record(item.position, inbox.file(item.file, as: outcome), entry: item.entry)
            }
            batch = []
            cases = []
            progress(.ingest, filed, files.count)
        }
        for (position, file) in files.enumerated() {
            var decoded: SignedEntry?
            let outcome = inbox.decision(for: file) { submission in
                let entry = try orchestrator.decodeSubmission(
                    envelope: submission.envelope,
                    documents: submission.documents
                )
                decoded = entry
                if cases.contains(entry.caseID) { flush() }
                if try ledger.store.entries(ofCase: entry.caseID).contains(where: { $0.envelope == submission.envelope }
                ) {
                    try sameDocuments(submission.documents, as: entry)
                    return .alreadyAccepted
                }
                return .accepted(entryIndex: -1)  // appended with its batch, below
            }
            if case .accepted = outcome, let entry = decoded {
                batch.append((position, file, entry))
                cases.insert(entry.caseID)
                if batch.count == Self.ingestBatch { flush() }
            } else {
                record(position, inbox.file(file, as: outcome), entry: decoded)
            }
        }
        if !batch.isEmpty { flush() }
        return submissions.map { $0! }
    }

    /// One inbox file: already in the ledger (a re-run), accepted, or refused with its reason. In a
    /// plan, what it would be — left in the inbox — or `unchecked`, behind another of its case.
    private func ingest(
        _ file: URL,
        inbox: Inbox,
        now: Date,
        pending: inout Pending
    ) -> ReconcileReport.Submission {
        let name = file.lastPathComponent
        var entry: SignedEntry?
        var behind: String?
        var planned = pending
        let decide = { (submission: OfflineSubmission) throws -> Inbox.Outcome in
            let decoded = try orchestrator.decodeSubmission(
                envelope: submission.envelope,
                documents: submission.documents
            )
            entry = decoded
            let existing = try ledger.store.entries(ofCase: decoded.caseID)
            if existing.contains(where: { $0.envelope == submission.envelope }) {
                try sameDocuments(submission.documents, as: decoded)
                return .alreadyAccepted
            }
            switch mode {
            case .act:
                return .accepted(entryIndex: try orchestrator.submit(decoded, now: now).index)
            case .plan:
                if let earlier = planned.files[decoded.caseID] {
                    behind = earlier
                    return .refused(reason: "")  // reported as `unchecked` below
                }
                try orchestrator.check(decoded, now: now)
                planned.entries[decoded.caseID, default: []].append(decoded)
                planned.files[decoded.caseID] = name
                return .accepted(entryIndex: -1)  // appended by no one: it has no index
            }
        }
        let filed =
            mode == .act
            ? inbox.ingest(file, decide: decide) : Inbox.Filed(outcome: inbox.decision(for: file, decide: decide))
        pending = planned
        var submission = Self.submission(name, filed.outcome, entry: entry, mode: mode)
        submission.filedAs = filed.filedAs
        submission.filingProblem = filed.filingProblem
        if let behind {
            submission.outcome = "unchecked"
            submission.reason =
                "it follows \(behind), which would be accepted first: a dry run checks each envelope "
                + "against the ledger as it stands, so this one is checked, and planned, only once that one is "
                + "appended"
        }
        return submission
    }

    /// The report's line for one decided file.
    private static func submission(
        _ name: String,
        _ outcome: Inbox.Outcome,
        entry: SignedEntry?,
        mode: Orchestrator.Mode
    ) -> ReconcileReport.Submission {
        var submission = ReconcileReport.Submission(
            file: name,
            outcome: "accepted",
            caseID: entry?.caseID,
            step: entry?.step,
            entryIndex: nil,
            reason: nil
        )
        switch outcome {
        case .accepted(let index): submission.entryIndex = mode == .act ? index : nil
        case .alreadyAccepted: submission.outcome = "already accepted"
        case .refused(let reason): (submission.outcome, submission.reason) = ("refused", reason)
        case .deferred(let reason): (submission.outcome, submission.reason) = ("deferred", reason)
        }
        return submission
    }

    /// An envelope already in the ledger comes with no document but the ones the ledger holds for
    /// it: another version sent beside it is refused, never filed as if accepted with it.
    private func sameDocuments(_ uploads: [DocumentUpload], as entry: SignedEntry) throws {
        for upload in uploads {
            guard let attached = entry.statement.attachments.first(where: { $0.name == upload.name }),
                let held = try ledger.store.document(key: DocumentKey.of(attached))
            else { continue }
            guard held == upload.bytes else {
                throw EngineError.badDocument(
                    name: upload.name,
                    reason: "the envelope is already in the ledger, with another version of this document "
                        + "(\(Fingerprint(digest: attached.fingerprint))); the one sent beside it is not the one it signs"
                )
            }
        }
    }
}
