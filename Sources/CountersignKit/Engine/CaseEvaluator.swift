import Foundation

/// Derives a `CaseView` from a case's facts, its documents and the time — no I/O.
///
/// Steps are taken in dependency order. A step is *finished* when done, skipped, or rejected with
/// `on-reject: continue`; a step whose `after` steps are all finished is *eligible*; an eligible
/// step whose `if` is false is skipped; otherwise it is ready once its `needs` are attached and its
/// `require` criteria hold (criteria over documents the step itself `produces` are checked when it
/// is signed).
///
/// An approval counts only while the documents the step rests on (`Step.reads`) are as the
/// approval endorsed them: a newer version of one restarts the count (`CaseView.staleApprovals`
/// says whose approvals were on an older one).
public struct CaseEvaluator {
    public let pipeline: Pipeline
    /// The case's documents by name, parsed.
    public let documents: [String: XMLDocument]

    public init(pipeline: Pipeline, documents: [String: XMLDocument]) {
        self.pipeline = pipeline
        self.documents = documents
    }

    public func evaluate(_ state: CaseState, at now: Date) -> CaseView {
        var finished: [String: Date] = [:]
        var statuses: [String: StepStatus] = [:]
        var stale: [String: [String]] = [:]
        var endedByRejection = false
        for step in pipeline.dependencyOrder {
            let outdated = Self.staleApprovals(of: step, in: state)
            if !outdated.isEmpty { stale[step.id] = outdated }
            let status = self.status(of: step, in: state, finished: finished, now: now)
            statuses[step.id] = status
            switch status {
            case .done(let at, _), .skipped(let at): finished[step.id] = at
            case .rejected(let at, _, _):
                if step.onReject == .continue { finished[step.id] = at } else { endedByRejection = true }
            case .ready, .blocked: break
            }
        }
        let outcome: CaseOutcome =
            if state.expiredAt != nil { .expired } else if state.withdrawal != nil {
                .withdrawn
            } else if endedByRejection {
                .rejected
            } else if finished.count == pipeline.steps.count { .completed } else { .open }
        return CaseView(
            state: state,
            pipeline: pipeline,
            now: now,
            steps: pipeline.steps.map { ($0, statuses[$0.id]!) },
            outcome: outcome,
            expiresAt: expiry(state, finished: finished),
            staleApprovals: stale
        )
    }

    /// Whether `signature` endorses the documents `step` rests on as the case holds them now.
    static func isCurrent(_ signature: CaseState.Signature, for step: Step, in state: CaseState) -> Bool {
        step.reads.allSatisfy { signature.endorses[$0] == state.attachments[$0]?.fingerprint }
    }

    /// The parties whose approvals of `step` were given on an older version of a document it
    /// rests on, and who have not approved the current one.
    static func staleApprovals(of step: Step, in state: CaseState) -> [String] {
        let signatures = (state.signatures[step.id] ?? []).filter { $0.decision == .approve }
        let current = Set(signatures.filter { isCurrent($0, for: step, in: state) }.map(\.party))
        var stale: [String] = []
        for signature in signatures where !current.contains(signature.party) && !stale.contains(signature.party) {
            stale.append(signature.party)
        }
        return stale
    }

    private func status(of step: Step, in state: CaseState, finished: [String: Date], now: Date) -> StepStatus {
        let all = state.signatures[step.id] ?? []
        if let rejection = rejection(of: step, all) { return rejection }
        // Approvals count while the documents the step rests on are as they endorsed them.
        let signatures = all.filter { $0.decision == .reject || Self.isCurrent($0, for: step, in: state) }
        if let completion = completion(of: step, signatures) { return completion }

        let unfinished = step.after.filter { finished[$0] == nil }
        guard unfinished.isEmpty else {
            return .blocked(reasons: unfinished.map { "waiting for step '\($0)'" })
        }
        let eligibleSince = ([state.openedAt] + step.after.compactMap { finished[$0] }).max()!
        if let condition = step.condition {
            switch evaluate(condition) {
            case .success(false): return .skipped(since: eligibleSince)
            case .success(true): break
            case .failure(let reason): return .blocked(reasons: [reason.description])
            }
        }
        var reasons = step.needs.filter { state.attachments[$0] == nil }.map {
            "needs document '\($0)', which is not attached yet"
        }
        for requirement in step.requirements
        where Set(requirement.documentNames).isDisjoint(with: step.produces) {
            switch evaluate(requirement) {
            case .success(true): break
            case .success(false): reasons.append("criterion not met: \(requirement.source)")
            case .failure(let reason): reasons.append(reason.description)
            }
        }
        guard reasons.isEmpty else { return .blocked(reasons: reasons) }
        let readySince = ([eligibleSince] + step.needs.compactMap { state.attachments[$0]?.at }).max()!
        let dueAt = step.due?.added(to: readySince)
        let signed = signatures.map(\.party).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let waitingOn =
            step.authority.signers.map { signers in signers.parties.filter { !signed.contains($0) } }
            ?? [pipeline.orchestrator]
        return .ready(
            since: readySince,
            waitingOn: waitingOn,
            signed: signed,
            dueAt: dueAt,
            overdue: dueAt.map { now > $0 } ?? false
        )
    }

    /// `.rejected` when the rejections decide the step: the first one, or (`on-reject: quorum`) the
    /// one after which the parties who have not rejected can no longer make up the quorum.
    private func rejection(of step: Step, _ signatures: [CaseState.Signature]) -> StepStatus? {
        let rejections = signatures.filter { $0.decision == .reject }
        guard let first = rejections.first else { return nil }
        guard step.onReject == .quorum, let signers = step.authority.signers else {
            return .rejected(at: first.at, by: first.party, reason: first.note)
        }
        var against: [String] = []
        for rejection in rejections where signers.permits(rejection.party) && !against.contains(rejection.party) {
            against.append(rejection.party)
            if signers.parties.count - against.count < signers.required {
                return .rejected(at: rejection.at, by: against.joined(separator: ", "), reason: rejection.note)
            }
        }
        return nil
    }

    /// `.done` when the signatures complete the step: the orchestrator's automatic entry, or
    /// approvals by enough distinct permitted parties (the time is that of the deciding approval).
    private func completion(of step: Step, _ signatures: [CaseState.Signature]) -> StepStatus? {
        guard let signers = step.authority.signers else {
            return signatures.first { $0.decision == .auto }.map { .done(at: $0.at, by: [$0.party]) }
        }
        var parties: [String] = []
        for signature in signatures where signature.decision == .approve && signers.permits(signature.party) {
            guard !parties.contains(signature.party) else { continue }
            parties.append(signature.party)
            if parties.count == signers.required { return .done(at: signature.at, by: parties) }
        }
        return nil
    }

    private func expiry(_ state: CaseState, finished: [String: Date]) -> Date? {
        guard let policy = pipeline.expiry else { return nil }
        let start: Date? =
            switch policy.start {
            case .open: state.openedAt
            case .step(let id): finished[id]
            }
        guard let start else { return nil }
        let keyValue = policy.key.flatMap { key -> String? in
            guard let value = try? key.xpath.evaluate(with: documents) else { return nil }
            return value.stringValue
        }
        return policy.window(for: keyValue).added(to: start)
    }

    /// A criterion's truth over the case's documents, or why it cannot be decided yet.
    func evaluate(_ expression: PipelineExpression) -> Result<Bool, EvaluationFailure> {
        let missing = expression.documentNames.filter { documents[$0] == nil }
        guard missing.isEmpty else {
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            return .failure(EvaluationFailure("\(expression.source) needs document \(list), not attached yet"))
        }
        do {
            return .success(try expression.xpath.evaluate(with: documents).booleanValue)
        } catch {
            return .failure(EvaluationFailure("\(expression.source) cannot be evaluated: \(error)"))
        }
    }
}

/// Why a criterion could not be decided.
struct EvaluationFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
