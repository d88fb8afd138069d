import CountersignKit
import Foundation

/// The test's own bookkeeping of a case, entry by entry, kept apart from `CaseState` and
/// `CaseEvaluator`: which parties signed which step, when steps were completed or rejected, and
/// which documents are attached. Skips, conditions and windows are worked out here from the
/// pipeline's compiled XPath alone.
struct CaseWalk {
    let pipeline: Pipeline
    let openedAt: Date
    /// The documents attached so far, parsed from the store, by name (newest version).
    var documents: [String: XMLDocument]
    /// Every party that signed a step (any decision), in log order.
    private var signedBy: [String: [String]] = [:]
    /// Distinct permitted approvals of each step, in log order.
    private var approvals: [String: [String]] = [:]
    /// When each step was completed: its deciding approval, or its automatic entry.
    private(set) var completedAt: [String: Date] = [:]
    private var rejectedAt: [String: Date] = [:]

    init(pipeline: Pipeline, openedAt: Date, documents: [String: XMLDocument]) {
        self.pipeline = pipeline
        self.openedAt = openedAt
        self.documents = documents
    }

    /// Checks an approval, rejection or automatic entry against the case as it stood before it
    /// (`documents`) and after it (`after`: with its attachments), then records it. Returns every
    /// rule it breaks, and whether it ends the case (a rejection of an `on-reject: end` step).
    mutating func sign(
        _ predicate: StepPredicate,
        attaching attached: Set<String>,
        after: [String: XMLDocument]
    ) -> (problems: [String], endsCase: Bool) {
        guard let step = pipeline.step(predicate.step) else { return (["the pipeline has no such step"], false) }
        let before = documents
        var problems: [String] = []
        switch (step.authority, predicate.decision) {
        case (.automatic, .auto):
            if predicate.party != pipeline.orchestrator { problems.append("only the orchestrator completes it") }
        case (.signers(let signers), .approve), (.signers(let signers), .reject):
            if !signers.permits(predicate.party) { problems.append("the party may not sign it (\(signers))") }
        default:
            problems.append("a '\(predicate.decision.rawValue)' entry on a step signed by \(step.authority)")
        }
        if completedAt[step.id] != nil { problems.append("the step was already complete") }
        if rejectedAt[step.id] != nil { problems.append("the step was already rejected") }
        if signedBy[step.id, default: []].contains(predicate.party) { problems.append("the party already signed it") }
        for id in step.after where !isFinished(id, over: before) {
            problems.append("step '\(id)' (in its `after`) was neither complete nor skipped")
        }
        if let condition = step.condition, truth(of: condition, over: before) != true {
            problems.append("its `if` did not hold: \(condition.source)")
        }
        for name in step.needs where before[name] == nil {
            problems.append("document '\(name)' (in its `needs`) was not attached before")
        }
        if predicate.decision != .reject {
            for name in step.produces where !attached.contains(name) {
                problems.append("document '\(name)' (in its `produces`) is not attached by the entry")
            }
            for requirement in step.requirements where truth(of: requirement, over: after) != true {
                problems.append("its `require` does not hold: \(requirement.source)")
            }
        }

        signedBy[step.id, default: []].append(predicate.party)
        switch predicate.decision {
        case .approve:
            if let signers = step.authority.signers, signers.permits(predicate.party),
                !approvals[step.id, default: []].contains(predicate.party)
            {
                approvals[step.id, default: []].append(predicate.party)
                if approvals[step.id]!.count == signers.required, completedAt[step.id] == nil {
                    completedAt[step.id] = predicate.signedAt
                }
            }
        case .auto:
            if completedAt[step.id] == nil { completedAt[step.id] = predicate.signedAt }
        case .reject:
            if rejectedAt[step.id] == nil { rejectedAt[step.id] = predicate.signedAt }
            return (problems, step.onReject == .end)
        case .open, .expire, .attach, .withdraw: break
        }
        return (problems, false)
    }

    /// Whether every step is complete, skipped, or rejected with `on-reject: continue`.
    var isFinished: Bool {
        pipeline.steps.allSatisfy { isFinished($0.id, over: documents) }
    }

    /// Whether later steps may go on after step `id`, over `documents`.
    func isFinished(_ id: String, over documents: [String: XMLDocument]) -> Bool {
        guard let step = pipeline.step(id) else { return false }
        if completedAt[id] != nil { return true }
        if rejectedAt[id] != nil { return step.onReject == .continue }
        return isSkipped(step, over: documents)
    }

    /// Not signed, every step in its `after` finished, and its `if` decidably false.
    private func isSkipped(_ step: Step, over documents: [String: XMLDocument]) -> Bool {
        guard let condition = step.condition, completedAt[step.id] == nil, rejectedAt[step.id] == nil,
            step.after.allSatisfy({ isFinished($0, over: documents) })
        else { return false }
        return truth(of: condition, over: documents) == false
    }

    /// When the case's window ends, over the current documents: `nil` when the pipeline has no
    /// expiry or its window has not started.
    var expiresAt: Date? {
        guard let policy = pipeline.expiry else { return nil }
        let start: Date? =
            switch policy.start {
            case .open: openedAt
            case .step(let id): completedAt[id] ?? rejectedAt[id]
            }
        guard let start else { return nil }
        let keyValue = policy.key.flatMap { key in (try? key.xpath.evaluate(with: documents))?.stringValue }
        return Self.adding(keyValue.flatMap { policy.windows[$0] } ?? policy.defaultWindow, to: start)
    }

    /// An XPath boolean over `documents`; `nil` when a document it names is not attached or it
    /// cannot be evaluated.
    func truth(of expression: PipelineExpression, over documents: [String: XMLDocument]) -> Bool? {
        guard expression.documentNames.allSatisfy({ documents[$0] != nil }) else { return nil }
        return (try? expression.xpath.evaluate(with: documents))?.booleanValue
    }

    /// `date` moved by `duration` with Foundation's UTC calendar: months first (a missing day
    /// becomes the month's last), then whole days of 24 hours, then seconds.
    static func adding(_ duration: PipelineDuration, to date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let moved = calendar.date(byAdding: .month, value: duration.months, to: date)!
        return moved.addingTimeInterval(TimeInterval(duration.days * 86_400 + duration.seconds))
    }
}
