import Foundation

/// Where one step of a case stands, derived from the case's entries, documents and the time.
public enum StepStatus: Sendable, Equatable {
    /// Enough parties approved (or the orchestrator completed it).
    case done(at: Date, by: [String])
    /// A party signed a refusal. With `on-reject: continue` the case goes on as if it were done.
    case rejected(at: Date, by: String, reason: String?)
    /// Its `if` condition was false once the steps before it were done.
    case skipped(since: Date)
    /// It may be signed now. `waitingOn` lists who can still sign; `signed` who already did (quorum).
    case ready(since: Date, waitingOn: [String], signed: [String], dueAt: Date?, overdue: Bool)
    /// It cannot be signed yet; `reasons` say why, in words a clerk understands.
    case blocked(reasons: [String])

    /// Whether later steps may treat this step as finished (done, skipped or rejected with continue).
    public var isDone: Bool {
        if case .done = self { return true }
        return false
    }

    /// A one-word label for lists and JSON.
    public var label: String {
        switch self {
        case .done: "done"
        case .rejected: "rejected"
        case .skipped: "skipped"
        case .ready(_, _, _, _, let overdue): overdue ? "overdue" : "ready"
        case .blocked: "blocked"
        }
    }
}

/// How a case stands as a whole.
public enum CaseOutcome: String, Sendable, Equatable {
    case open
    case completed
    case rejected
    case expired
    /// The opener or the orchestrator withdrew it (a `withdraw` entry).
    case withdrawn
}
