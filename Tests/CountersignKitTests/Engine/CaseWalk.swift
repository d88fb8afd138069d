import CountersignKit
import Foundation

/// The test's own bookkeeping of a case, entry by entry, kept apart from `CaseState` and
/// `CaseEvaluator`: which parties signed which step on which documents, when steps were completed
/// or rejected, and which documents are attached. Skips, conditions and windows are worked out
/// here from the pipeline's compiled XPath alone; who may attach what from the pipeline's
/// declarations.
struct CaseWalk {
    let pipeline: Pipeline
    let openedAt: Date
    let openedBy: String
    /// The documents attached so far, parsed from the store, by name (newest version).
    var documents: [String: XMLDocument]
    /// Their fingerprints, by name.
    var fingerprints: [String: Digest]
    /// Parties that rejected each step, in log order.
    private var rejectedBy: [String: [String]] = [:]
    /// Every approval of each step, with the case's documents as it endorsed them (after its entry).
    private var approvals: [String: [(party: String, endorsed: [String: Digest])]] = [:]
    /// When each step was completed: its deciding approval, or its automatic entry.
    private(set) var completedAt: [String: Date] = [:]
    private var rejectedAt: [String: Date] = [:]

    init(
        pipeline: Pipeline,
        openedAt: Date,
        openedBy: String,
        documents: [String: XMLDocument],
        fingerprints: [String: Digest]
    ) {
        self.pipeline = pipeline
        self.openedAt = openedAt
        self.openedBy = openedBy
        self.documents = documents
        self.fingerprints = fingerprints
    }

    /// The documents a step rests on: its `needs`, `produces`, and those its `if` and `require` read.
    static func reads(_ step: Step) -> Set<String> {
        var names = Set(step.needs + step.produces)
        for expression in step.requirements + [step.condition].compactMap({ $0 }) {
            names.formUnion(expression.documentNames)
        }
        return names
    }

    /// The parties whose approvals of `step` endorse the documents it rests on as `fingerprints` say.
    private func currentApprovers(of step: Step, fingerprints: [String: Digest]) -> [String] {
        let reads = Self.reads(step)
        var parties: [String] = []
        for approval in approvals[step.id, default: []]
        where reads.allSatisfy({ approval.endorsed[$0] == fingerprints[$0] }) && !parties.contains(approval.party) {
            parties.append(approval.party)
        }
        return parties
    }

    /// Whether `party` may attach document `name` by an entry deciding `decision` of step `stepID`,
    /// and whether the version it brings may replace the case's: the pipeline's ownership rules.
    func attachmentProblems(
        _ name: String,
        fingerprint: Digest,
        decision: StepPredicate.Decision,
        step stepID: String,
        party: String
    ) -> [String] {
        guard let declaration = pipeline.document(name) else { return [] }
        let existing = fingerprints[name]
        let producers = pipeline.steps.filter { $0.produces.contains(name) }.map(\.id)
        let needers = pipeline.steps.filter { $0.needs.contains(name) }.map(\.id)
        let revisers = producers + declaration.revisedBy
        let owners = existing == nil ? revisers + needers : revisers
        let allowed: Bool
        switch decision {
        case .approve, .reject: allowed = owners.contains(stepID)
        case .attach:
            allowed =
                owners.contains { id in pipeline.step(id)?.authority.signers?.permits(party) == true }
                || (existing == nil && producers.isEmpty && party == openedBy)
        case .open, .auto, .expire, .withdraw: allowed = false
        }
        guard allowed else { return ["'\(party)' may not attach document '\(name)' by a '\(decision.rawValue)' entry"] }
        guard let existing, existing != fingerprint else { return [] }
        var problems: [String] = []
        for step in pipeline.steps where Self.reads(step).contains(name) {
            if completedAt[step.id] != nil || rejectedAt[step.id] != nil || isSkipped(step, over: documents) {
                problems.append("document '\(name)' changed after step '\(step.id)' was decided on it")
            }
        }
        if let key = pipeline.expiry?.key, key.documentNames.contains(name), expiresAt != nil {
            problems.append("document '\(name)' changed after the case's window was set from it")
        }
        return problems
    }

    /// Checks an approval, rejection or automatic entry against the case as it stood before it
    /// (`documents`) and after it (`after`: with its attachments), then records it. Returns every
    /// rule it breaks, and whether it ends the case (a rejection of an `on-reject: end` step).
    mutating func sign(
        _ predicate: StepPredicate,
        attaching attached: Set<String>,
        after: [String: XMLDocument],
        fingerprintsAfter: [String: Digest]
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
        // An approval on an older version of the step's documents no longer counts: its party
        // may sign again.
        if rejectedBy[step.id, default: []].contains(predicate.party)
            || currentApprovers(of: step, fingerprints: fingerprints).contains(predicate.party)
        {
            problems.append("the party already signed it")
        }
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
            // A co-signer's attachment of a produced document serves the step's other signers.
            for name in step.produces where !attached.contains(name) && before[name] == nil {
                problems.append("document '\(name)' (in its `produces`) is not attached")
            }
            for requirement in step.requirements where truth(of: requirement, over: after) != true {
                problems.append("its `require` does not hold: \(requirement.source)")
            }
        }

        switch predicate.decision {
        case .approve:
            if let signers = step.authority.signers, signers.permits(predicate.party) {
                approvals[step.id, default: []].append((predicate.party, fingerprintsAfter))
                if currentApprovers(of: step, fingerprints: fingerprintsAfter).count >= signers.required,
                    completedAt[step.id] == nil
                {
                    completedAt[step.id] = predicate.signedAt
                }
            }
        case .auto:
            if completedAt[step.id] == nil { completedAt[step.id] = predicate.signedAt }
        case .reject:
            rejectedBy[step.id, default: []].append(predicate.party)
            let against = Set(rejectedBy[step.id]!.filter { step.authority.signers?.permits($0) == true })
            let decides =
                step.onReject != .quorum
                || (step.authority.signers.map { $0.parties.count - against.count < $0.required } ?? true)
            guard decides else { return (problems, false) }
            if rejectedAt[step.id] == nil { rejectedAt[step.id] = predicate.signedAt }
            return (problems, step.onReject != .continue)
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
