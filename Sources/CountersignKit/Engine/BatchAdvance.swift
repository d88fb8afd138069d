import Foundation
import Synchronization

/// `advance` over every case that can have something to do, on several workers.
///
/// Case summaries (`CaseSummary`) say which cases those are: the cases with entries since the last
/// batch (the summaries' watermark), and open cases whose expiry or a due time has come, or whose
/// automatic step waited for a key. Every other open case is untouched since it was last summarised
/// and cannot change with time before its `wakeAt`, so it is skipped. Each worker has its own
/// orchestrator and store connection; appends from several workers still go through the store's
/// one total order.
///
/// In `.plan` mode (a dry run: `advance --dry-run`, `reconcile --dry-run`) the same cases are
/// looked at by the same loop, each through the orchestrator's plan (`Orchestrator.Mode.plan`:
/// the whole chain of automatic steps simulated in memory), and nothing is written: no entry, no
/// claim, no summary, no watermark. Its workers should read stores opened without writing caches.
public struct BatchAdvance {
    /// Makes one orchestrator per worker (each with its own store connection).
    public let makeOrchestrator: () throws -> Orchestrator
    public let workers: Int

    public init(workers: Int, makeOrchestrator: @escaping () throws -> Orchestrator) {
        self.workers = max(1, workers)
        self.makeOrchestrator = makeOrchestrator
    }

    /// A ready step past its due time, and who it waits on.
    public struct OverdueStep: Sendable {
        public let caseID: String
        public let step: String
        public let dueAt: Date
        public let waitingOn: [String]
    }

    /// What one batch did and found.
    public struct Report: Sendable {
        public var progress = Orchestrator.Progress()
        public var openCases = 0
        /// Cases this batch evaluated in full (the rest were skipped by their summaries, or taken by
        /// another batch of the same run).
        public var evaluated = 0
        public var overdue: [OverdueStep] = []
        /// Open cases whose window ends within their pipeline's notice period (`expiry.notice`),
        /// with when, under which pipeline (its id, and the version, `ID@sha256:HEX`) and the
        /// notice period as written.
        public var expiringSoon:
            [(caseID: String, pipeline: String, version: String, expiresAt: Date, notice: String)] =
                []
        /// Cases that reached an end in this batch.
        public var ended: [(caseID: String, outcome: CaseOutcome)] = []
        /// The outcome of every case this batch evaluated, after its work (in a plan: as it would
        /// stand).
        public var outcomes: [String: CaseOutcome] = [:]
        /// Whether this was a plan: nothing was written, and `progress` is what the batch would do.
        public var planned = false
        /// Cases whose entries failed the checks made as they are read (`CaseRepository`), or do not
        /// have the head their summary names: damaged in the store. Nothing was signed on them.
        public var damaged: [(caseID: String, reason: String)] = []
        /// Cases whose stored summary did not say what their entries say (`CaseSummaryCheck`): the
        /// summary was repaired from the entries, which the batch acted on.
        public var summaryMismatches: [(caseID: String, reason: String)] = []

        public init() {}

        /// For `--json`. A plan names its entries `wouldFire` (automatic steps) and `wouldExpire`
        /// (expiries, with the end of the case's window), besides `dryRun: true`.
        public var json: [String: Any] {
            var json: [String: Any] = [
                "openCases": openCases,
                "evaluated": evaluated,
                "waitingForKey": progress.waitingForKey.map {
                    ["case": $0.caseID, "step": $0.step, "party": $0.party]
                },
                "overdue": overdue.map {
                    [
                        "case": $0.caseID, "step": $0.step, "dueAt": Timestamp.format($0.dueAt),
                        "waitingOn": $0.waitingOn,
                    ]
                        as [String: Any]
                },
                "expiringSoon": expiringSoon.map {
                    [
                        "case": $0.caseID, "pipeline": $0.pipeline, "pipelineVersion": $0.version,
                        "expiresAt": Timestamp.format($0.expiresAt), "notice": $0.notice,
                    ]
                },
                "ended": ended.map { ["case": $0.caseID, "outcome": $0.outcome.rawValue] },
                "damaged": damaged.map { ["case": $0.caseID, "reason": $0.reason] },
                "summaryMismatches": summaryMismatches.map { ["case": $0.caseID, "reason": $0.reason] },
            ]
            let appended = progress.appended.map { ["case": $0.caseID, "step": $0.step] }
            if planned {
                json["dryRun"] = true
                json["wouldFire"] = appended.filter { $0["step"] != StepPredicate.expireStep }
                json["wouldExpire"] = progress.expired.map {
                    ["case": $0.caseID, "windowEnded": Timestamp.format($0.windowEnded)]
                }
            } else {
                json["appended"] = appended
            }
            return json
        }
    }

    /// Advances the cases at `now`. `run` names the batch: batches started under one name on several
    /// machines share the cases out between them, and a case one of them finished is not taken
    /// again by another (unless it gained an entry since). Without a name the batch is on its own
    /// and looks at every case that may have something to do.
    ///
    /// With `mode: .plan` nothing is written and the batch takes no cases from a shared run: it
    /// looks at every case that may have something to do, as a batch on its own would, and says
    /// what it would do. `unappended` (plan only) are entries, by case, to take as appended before
    /// the batch looks — a dry run's inbox envelopes that would be accepted.
    ///
    /// Every case the batch looks at is read from verified entries and its stored summary checked
    /// against them (`CaseSummaryCheck`); `checking` names cases to look at for that alone, besides
    /// those with something to do (`reconcile`'s sample). A damaged case is reported in
    /// `Report.damaged` and left alone; the batch goes on with the others.
    public func run(
        now: Date,
        run: String? = nil,
        mode: Orchestrator.Mode = .act,
        unappended: [String: [SignedEntry]] = [:],
        checking: [String] = [],
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) throws -> Report {
        precondition(mode == .plan || unappended.isEmpty, "only a plan takes entries as appended")
        let run = run ?? "solo-" + UUID().uuidString
        let main = try makeOrchestrator()
        let store = main.repository.ledger.store
        let startSize = try store.size()
        let watermark = try store.caseSummaryWatermark()
        var work = try store.casesWithEntries(in: watermark..<Swift.max(watermark, startSize))
        var seen = Set(work)
        for summary in try store.openCaseSummaries(
            wakingBy: now,
            expiringBy: try main.repository.noticeHorizon(at: now)
        )
        where seen.insert(summary.caseID).inserted {
            work.append(summary.caseID)
        }
        for caseID in unappended.keys.sorted() where seen.insert(caseID).inserted { work.append(caseID) }
        for caseID in checking where seen.insert(caseID).inserted { work.append(caseID) }
        // Workers take chunks of cases in turn and claim each chunk in the store first: on a store
        // shared by several machines, cases another batch of the same run holds or has finished are
        // skipped, so adding a machine shortens the night.
        let shared = Mutex((report: Report(), next: 0, done: 0, error: (any Error)?.none))
        let cases = work
        let chunkSize = 200
        let chunks = Swift.min(workers, Swift.max(1, cases.count))
        let factory = UncheckedSendable(makeOrchestrator)
        let first = UncheckedSendable(main)
        DispatchQueue.concurrentPerform(iterations: chunks) { worker in
            do {
                let orchestrator = worker == 0 ? first.value : try factory.value()
                let store = orchestrator.repository.ledger.store
                var local = Report()
                while true {
                    let start = shared.withLock { state -> Int in
                        defer { state.next += chunkSize }
                        return state.error == nil ? state.next : cases.count
                    }
                    guard start < cases.count else { break }
                    let chunk = Array(cases[start..<Swift.min(start + chunkSize, cases.count)])
                    let claimed = mode == .plan ? chunk : try store.claimCases(chunk, run: run)
                    var summaries: [CaseSummary] = []
                    var stored: [String: CaseSummary] = [:]
                    for summary in try store.caseSummaries(of: claimed) { stored[summary.caseID] = summary }
                    for caseID in claimed {
                        do {
                            let summary = try Self.advance(
                                caseID,
                                orchestrator,
                                stored: (stored[caseID], watermark),
                                now: now,
                                mode: mode,
                                unappended: unappended[caseID] ?? [],
                                into: &local
                            )
                            if let summary { summaries.append(summary) }
                        } catch EngineError.corruptCase(_, let index, let reason) {
                            local.damaged.append((caseID, "entry \(index): \(reason)"))
                        }
                    }
                    if mode == .act { try store.finishClaimed(summaries, run: run) }
                    local.evaluated += claimed.count
                    let done = shared.withLock { state in
                        state.done += chunk.count
                        return state.done
                    }
                    progress(done, cases.count)
                }
                shared.withLock { state in state.report.merge(local) }
            } catch {
                shared.withLock { state in state.error = state.error ?? error }
            }
        }
        var (report, _, _, failure) = shared.withLock { $0 }
        if let failure { throw failure }
        progress(cases.count, cases.count)
        switch mode {
        case .act:
            try store.saveCaseSummaries([], watermark: startSize)
            report.openCases = try store.openCaseCount()
        case .plan:
            // The open cases the summaries would then count: those of the cases not looked at,
            // whose summaries are current, and the cases looked at as the plan leaves them.
            report.planned = true
            let looked = Set(cases)
            report.openCases =
                try store.allCaseSummaries().filter { $0.outcome == "open" && !looked.contains($0.caseID) }.count
                + report.outcomes.values.filter { $0 == .open }.count
        }
        report.overdue.sort { ($0.caseID, $0.step) < ($1.caseID, $1.step) }
        report.expiringSoon.sort { ($0.expiresAt, $0.caseID) < ($1.expiresAt, $1.caseID) }
        report.ended.sort { $0.caseID < $1.caseID }
        report.damaged.sort { $0.caseID < $1.caseID }
        report.summaryMismatches.sort { $0.caseID < $1.caseID }
        return report
    }

    /// Evaluates one case from its verified entries, checks its stored summary against them, lets
    /// the orchestrator act on it (or plan, after taking `unappended` as appended), and returns its
    /// new summary; `nil` when the case is damaged (its entries lack the head its summary names).
    private static func advance(
        _ caseID: String,
        _ orchestrator: Orchestrator,
        stored: (summary: CaseSummary?, watermark: Int),
        now: Date,
        mode: Orchestrator.Mode,
        unappended: [SignedEntry],
        into report: inout Report
    ) throws -> CaseSummary? {
        let repository = orchestrator.repository
        // The case as its entries in the ledger say, without a plan's unappended entries.
        let recorded = try repository.state(of: caseID).map { try repository.view(of: $0, at: now) }
        if let recorded {
            switch CaseSummaryCheck.compare(
                stored: stored.summary,
                replayed: recorded.summary,
                watermark: stored.watermark
            ) {
            case .consistent, .stale: break
            case .mismatch(let reason): report.summaryMismatches.append((caseID, reason))
            case .entriesChanged(let reason):
                report.damaged.append((caseID, reason))
                return nil
            }
        }
        var view =
            if let recorded, unappended.isEmpty {
                recorded
            } else {
                try orchestrator.plannedView(of: caseID, adding: unappended, at: now)
            }
        if view.outcome == .open {
            let (progress, after) = try orchestrator.advanced(view, unappended: unappended, now: now, mode: mode)
            report.progress.add(progress)
            view = after
            if !progress.appended.isEmpty, view.outcome != .open { report.ended.append((caseID, view.outcome)) }
        }
        report.outcomes[caseID] = view.outcome
        if view.outcome == .open {
            for (step, status) in view.overdueSteps {
                if case .ready(_, let waitingOn, _, let dueAt?, _) = status {
                    report.overdue.append(
                        OverdueStep(caseID: caseID, step: step.id, dueAt: dueAt, waitingOn: waitingOn)
                    )
                }
            }
            if view.isWithinExpiryNotice, let expiresAt = view.expiresAt, let policy = view.pipeline.expiry {
                report.expiringSoon.append(
                    (caseID, view.pipeline.id, view.pipeline.versionName, expiresAt, policy.notice.description)
                )
            }
        }
        return view.summary
    }
}

extension BatchAdvance.Report {
    mutating func merge(_ other: Self) {
        evaluated += other.evaluated
        progress.add(other.progress)
        outcomes.merge(other.outcomes) { $1 }
        overdue += other.overdue
        expiringSoon += other.expiringSoon
        ended += other.ended
        damaged += other.damaged
        summaryMismatches += other.summaryMismatches
    }
}

extension CaseView {
    /// What the batch needs to know about this case until it next changes.
    public var summary: CaseSummary {
        let open = outcome == .open
        let dueTimes = steps.compactMap { item -> Date? in
            if case .ready(_, _, _, let dueAt?, _) = item.status { return dueAt }
            return nil
        }
        let times = (open ? [expiresAt].compactMap { $0 } + dueTimes : [])
        return CaseSummary(
            caseID: state.caseID,
            headIndex: state.events[state.events.count - 1].index,
            headLeaf: state.head,
            outcome: outcome.rawValue,
            wakeAt: times.min(),
            expiresAt: open ? expiresAt : nil,
            needsOrchestrator: open && !readyAutomaticSteps.isEmpty
        )
    }
}

/// Carries a value into `concurrentPerform`'s closure.
struct UncheckedSendable<Value>: @unchecked Sendable {
    // @unchecked: each wrapped value is used by exactly one worker (the first orchestrator by
    // worker 0 only), or is a factory closure that only creates new, unshared objects.
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
