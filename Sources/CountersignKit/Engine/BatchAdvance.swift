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
        /// Open cases whose window ends within the look-ahead, with when and under which pipeline
        /// (its id, and the version, `ID@sha256:HEX`).
        public var expiringSoon: [(caseID: String, pipeline: String, version: String, expiresAt: Date)] = []
        /// Cases that reached an end in this batch.
        public var ended: [(caseID: String, outcome: CaseOutcome)] = []

        public init() {}

        /// For `--json`.
        public var json: [String: Any] {
            [
                "openCases": openCases,
                "evaluated": evaluated,
                "appended": progress.appended.map { ["case": $0.caseID, "step": $0.step] },
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
                        "expiresAt": Timestamp.format($0.expiresAt),
                    ]
                },
                "ended": ended.map { ["case": $0.caseID, "outcome": $0.outcome.rawValue] },
            ]
        }
    }

    /// Advances the cases at `now`. `run` names the batch: batches started under one name on several
    /// machines share the cases out between them, and a case one of them finished is not taken
    /// again by another (unless it gained an entry since). Without a name the batch is on its own
    /// and looks at every case that may have something to do.
    public func run(
        now: Date,
        run: String? = nil,
        lookAhead: TimeInterval = 30 * 86_400,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) throws -> Report {
        let run = run ?? "solo-" + UUID().uuidString
        let main = try makeOrchestrator()
        let store = main.repository.ledger.store
        let startSize = try store.size()
        var work = try store.casesWithEntries(from: try store.caseSummaryWatermark())
        var seen = Set(work)
        for summary in try store.openCaseSummaries(wakingBy: now, expiringBy: now.addingTimeInterval(lookAhead))
        where seen.insert(summary.caseID).inserted {
            work.append(summary.caseID)
        }
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
                    let claimed = try store.claimCases(chunk, run: run)
                    var summaries: [CaseSummary] = []
                    for caseID in claimed {
                        summaries.append(
                            try Self.advance(caseID, orchestrator, now: now, lookAhead: lookAhead, into: &local)
                        )
                    }
                    try store.finishClaimed(summaries, run: run)
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
        try store.saveCaseSummaries([], watermark: startSize)
        report.openCases = try store.openCaseCount()
        report.overdue.sort { ($0.caseID, $0.step) < ($1.caseID, $1.step) }
        report.expiringSoon.sort { ($0.expiresAt, $0.caseID) < ($1.expiresAt, $1.caseID) }
        report.ended.sort { $0.caseID < $1.caseID }
        return report
    }

    /// Evaluates one case, lets the orchestrator act on it, and returns its new summary.
    private static func advance(
        _ caseID: String,
        _ orchestrator: Orchestrator,
        now: Date,
        lookAhead: TimeInterval,
        into report: inout Report
    ) throws -> CaseSummary {
        var view = try orchestrator.repository.view(of: caseID, at: now)
        if view.outcome == .open {
            let progress = try orchestrator.advance(view, now: now)
            report.progress.appended += progress.appended
            report.progress.waitingForKey += progress.waitingForKey
            if !progress.appended.isEmpty {
                view = try orchestrator.repository.view(of: caseID, at: now)
                if view.outcome != .open { report.ended.append((caseID, view.outcome)) }
            }
        }
        if view.outcome == .open {
            for (step, status) in view.overdueSteps {
                if case .ready(_, let waitingOn, _, let dueAt?, _) = status {
                    report.overdue.append(
                        OverdueStep(caseID: caseID, step: step.id, dueAt: dueAt, waitingOn: waitingOn)
                    )
                }
            }
            if let expiresAt = view.expiresAt, expiresAt.timeIntervalSince(now) <= lookAhead {
                report.expiringSoon.append((caseID, view.pipeline.id, view.pipeline.versionName, expiresAt))
            }
        }
        return view.summary
    }
}

extension BatchAdvance.Report {
    mutating func merge(_ other: Self) {
        evaluated += other.evaluated
        progress.appended += other.progress.appended
        progress.waitingForKey += other.progress.waitingForKey
        overdue += other.overdue
        expiringSoon += other.expiringSoon
        ended += other.ended
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
