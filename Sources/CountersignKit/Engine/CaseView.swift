import Foundation

/// A case evaluated at one moment: every step's status, the outcome, the expiry.
/// Built by `CaseEvaluator`; a pure function of entries, documents and time.
public struct CaseView: Sendable {
    public let state: CaseState
    public let pipeline: Pipeline
    public let now: Date
    /// Status of every step, in pipeline order.
    public let steps: [(step: Step, status: StepStatus)]
    public let outcome: CaseOutcome
    /// When the case ends unless it completes first; `nil` when the pipeline has no expiry or its
    /// window has not started.
    public let expiresAt: Date?
    /// By step id: the parties whose approvals were given on an older version of a document the
    /// step rests on, and no longer count (they may approve the current version).
    public let staleApprovals: [String: [String]]

    /// The status of one step.
    public func status(of stepID: String) -> StepStatus? {
        steps.first { $0.step.id == stepID }?.status
    }

    /// Automatic steps that are ready: the orchestrator should sign them now.
    public var readyAutomaticSteps: [Step] {
        guard outcome == .open else { return [] }
        return steps.compactMap { item in
            if case .ready = item.status, item.step.isAutomatic { return item.step }
            return nil
        }
    }

    /// Whether the case is open with a ready step `party` may sign: the cases `status --party`
    /// lists, and those `Notices` shows as waiting on the party.
    public func isWaiting(on party: String) -> Bool {
        outcome == .open
            && steps.contains { item in
                if case .ready(_, let waitingOn, _, _, _) = item.status { return waitingOn.contains(party) }
                return false
            }
    }

    /// Ready steps past their due time.
    public var overdueSteps: [(step: Step, status: StepStatus)] {
        steps.filter { if case .ready(_, _, _, _, true) = $0.status { true } else { false } }
    }

    /// Whether the case is open and its window ends within its pipeline's notice period
    /// (`expiry.notice`): the case to announce as expiring (`notices`, the nightly report).
    public var isWithinExpiryNotice: Bool {
        guard outcome == .open, let expiresAt, let policy = pipeline.expiry else { return false }
        return expiresAt <= policy.notice.added(to: now)
    }

    /// Whether the case's window has passed and it should be closed by an `expire` entry.
    public var shouldExpire: Bool {
        guard outcome == .open, let expiresAt else { return false }
        return now >= expiresAt
    }
}
