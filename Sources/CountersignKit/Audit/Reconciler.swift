import Foundation

/// The nightly batch: ingest the inbox, re-verify the whole ledger, advance every open case, sign a
/// checkpoint, and say what happened. Every step is safe to interrupt and repeat.
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
    /// How many cases "expiring soon" looks ahead.
    public var lookAhead: TimeInterval = 30 * 86_400

    public init(orchestrator: Orchestrator, batch: BatchAdvance, origin: String, checkpointKey: Ed25519PrivateKey?) {
        self.orchestrator = orchestrator
        self.batch = batch
        self.origin = origin
        self.checkpointKey = checkpointKey
    }

    private var ledger: Ledger { orchestrator.repository.ledger }

    public func run(inbox: Inbox, now: Date) throws -> ReconcileReport {
        var report = ReconcileReport(now: now, origin: origin)
        report.ledgerSizeBefore = try ledger.size()
        var touched: [String] = []

        var clock = DispatchTime.now().uptimeNanoseconds
        func lap(_ phase: String) {
            let now = DispatchTime.now().uptimeNanoseconds
            report.timings[phase] = Double(now - clock) / 1e9
            clock = now
        }
        let files = try inbox.pending()
        for (number, file) in files.enumerated() {
            progress(.ingest, number, files.count)
            let submission = try ingest(file, inbox: inbox, now: now)
            if let caseID = submission.caseID, submission.outcome != "refused", !touched.contains(caseID) {
                touched.append(caseID)
            }
            report.submissions.append(submission)
        }
        progress(.ingest, files.count, files.count)
        lap("ingest")

        var audit = LogAudit(store: ledger.store)
        audit.workers = batch.workers
        let size = try ledger.size()
        let outcome = try audit.run { progress(.verify, $0, size) }
        let verification = outcome.report
        // A governance cache that does not match the entries (edited in the store) is rebuilt from them.
        if try !GovernanceCache.differences(in: ledger.store, from: outcome.governance).isEmpty {
            try GovernanceCache.rebuild(ledger.store, from: outcome.governance)
            try orchestrator.repository.refreshGovernance()
        }
        lap("verify")
        report.governanceHead = outcome.governance.head?.index
        report.versionsInForce = outcome.governance.pipelines.keys.sorted().flatMap { id in
            (outcome.governance.pipelines[id] ?? []).compactMap { outcome.governance.versions[$0]?.name }
        }
        report.entriesVerified = verification.size
        report.problems += verification.problems.prefix(100).map(\.description)
        if verification.problems.count > 100 {
            report.problems.append(
                "… and \(verification.problems.count - 100) more problems: run `countersign log verify`"
            )
        }

        let show = progress
        let advanced = try batch.run(now: now, run: run, lookAhead: lookAhead) { done, total in
            show(.advance, done, total)
        }
        lap("advance")
        report.automaticEntries = advanced.progress.appended
        report.waitingForKey = advanced.progress.waitingForKey
        report.overdue = advanced.overdue
        report.openCases = advanced.openCases
        report.casesEvaluated = advanced.evaluated
        for (caseID, _) in advanced.progress.appended where !touched.contains(caseID) { touched.append(caseID) }
        report.casesAdvanced = touched
        for caseID in touched {
            switch try orchestrator.repository.view(of: caseID, at: now).outcome {
            case .completed: report.casesCompleted.append(caseID)
            case .expired: report.casesExpired.append(caseID)
            case .open, .rejected: break
            }
        }
        report.expiringSoon = advanced.expiringSoon.map { item in
            let days = Int((item.expiresAt.timeIntervalSince(now) / 86_400).rounded(.down))
            return .init(
                caseID: item.caseID,
                pipeline: item.pipeline,
                version: item.version,
                expiresAt: item.expiresAt,
                daysLeft: days
            )
        }
        for (caseID, step, party) in advanced.progress.waitingForKey {
            report.problems.append("\(caseID): \(step) waits for the key of orchestrator '\(party)'")
        }

        if let checkpointKey, signsCheckpoint {
            report.checkpoint = try ledger.signCheckpoint(origin: origin, key: checkpointKey).serialized
        } else if signsCheckpoint {
            report.problems.append("no orchestrator key: the checkpoint was not signed (pass --as PARTY --key FILE)")
        }
        lap("checkpoint")
        let (sizeAfter, root) = try ledger.root()
        report.ledgerSizeAfter = sizeAfter
        report.rootHash = root
        return report
    }

    /// One inbox file: already in the ledger (a re-run), accepted, or refused with its reason.
    private func ingest(_ file: URL, inbox: Inbox, now: Date) throws -> ReconcileReport.Submission {
        var entry: SignedEntry?
        let outcome = try inbox.ingest(file) { submission in
            let decoded = try orchestrator.decodeSubmission(
                envelope: submission.envelope,
                documents: submission.documents
            )
            entry = decoded
            let existing = try ledger.store.entries(ofCase: decoded.caseID)
            if existing.contains(where: { $0.envelope == submission.envelope }) { return .alreadyAccepted }
            return .accepted(entryIndex: try orchestrator.submit(decoded, now: now).index)
        }
        let name = file.lastPathComponent
        switch outcome {
        case .accepted(let index):
            return .init(
                file: name,
                outcome: "accepted",
                caseID: entry?.caseID,
                step: entry?.step,
                entryIndex: index,
                reason: nil
            )
        case .alreadyAccepted:
            return .init(
                file: name,
                outcome: "already accepted",
                caseID: entry?.caseID,
                step: entry?.step,
                entryIndex: nil,
                reason: nil
            )
        case .refused(let reason):
            return .init(
                file: name,
                outcome: "refused",
                caseID: entry?.caseID,
                step: entry?.step,
                entryIndex: nil,
                reason: reason
            )
        }
    }
}
