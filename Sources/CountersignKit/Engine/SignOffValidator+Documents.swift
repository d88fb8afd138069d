import Foundation

/// The document rules of a sign-off (docs/ENTRIES.md "Who may attach a document"): what an entry
/// attaches is declared, intact and valid; attached by a party whose step rests on it; not changed
/// once a decision rests on it; and the entry endorses the case's documents exactly as they stand
/// after it.
extension SignOffValidator {
    /// Every attached document is declared, matches the fingerprint the entry signs and, in
    /// revision 2, the SHA-256 of its exact bytes, and passes its schema.
    func documentProblems(_ entry: Content, pipeline: Pipeline) -> [String] {
        let attachments = entry.statement.attachments
        guard attachments.count == entry.documents.count else {
            return ["the entry attaches \(attachments.count) documents but \(entry.documents.count) were given"]
        }
        var problems: [String] = []
        for (attached, stored) in zip(attachments, entry.documents) {
            guard let declaration = pipeline.document(attached.name) else {
                problems.append("pipeline '\(pipeline.id)' declares no document '\(attached.name)'")
                continue
            }
            if let sha256 = attached.sha256, SHA256.hash(stored.bytes) != sha256 {
                problems.append(
                    "document '\(attached.name)': its bytes do not hash to the SHA-256 the entry signs (\(sha256.hex))"
                )
                continue
            }
            do {
                let document = try XMLDocument(bytes: stored.bytes, source: attached.name)
                if try document.fingerprint().digest != attached.fingerprint {
                    problems.append("document '\(attached.name)' does not match the fingerprint the entry signs")
                }
                if let schema = declaration.schema { try schema.validate(document) }
            } catch {
                problems.append("document '\(attached.name)': \(error)")
            }
        }
        return problems
    }

    /// Who may attach what. A document's first version: the opening, for a document no step
    /// produces; or a signer of a step that `needs` or `produces` it (or that its `revised-by`
    /// names), signing that step or attaching (`attach`). A newer version: only a signer of a step
    /// that produces it or that `revised-by` names — and never once a finished step rests on it
    /// (done, skipped or rejected: `Step.reads`), nor once the case's window started when the
    /// expiry `key` reads it. `view` is the case before the entry (`nil` for an opening).
    func ownershipProblems(_ entry: Content, state: CaseState?, view: CaseView?, pipeline: Pipeline) -> [String] {
        let predicate = entry.statement.predicate
        var problems: [String] = []
        for attached in entry.statement.attachments {
            guard let declaration = pipeline.document(attached.name) else { continue }
            let name = attached.name
            let existing = state?.attachments[name]
            let producers = pipeline.steps.filter { $0.produces.contains(name) }.map(\.id)
            let revisers = producers + declaration.revisedBy
            let owners =
                existing == nil ? revisers + pipeline.steps.filter { $0.needs.contains(name) }.map(\.id) : revisers
            let allowed: Bool
            switch predicate.decision {
            case .open: allowed = producers.isEmpty
            case .approve, .reject: allowed = owners.contains(predicate.step)
            case .attach:
                allowed =
                    pipeline.steps.contains {
                        owners.contains($0.id) && $0.authority.signers?.permits(predicate.party) == true
                    }
                    || (existing == nil && producers.isEmpty && predicate.party == state?.openedBy)
            case .auto, .expire, .withdraw: allowed = false
            }
            if !allowed {
                problems.append(
                    Self.ownershipRule(name, existing: existing != nil, producers: producers, owners: owners, predicate)
                )
                continue
            }
            guard let existing, existing.fingerprint.digest != attached.fingerprint, let view else { continue }
            for item in view.steps where item.step.reads.contains(name) {
                switch item.status {
                case .done, .skipped, .rejected:
                    problems.append(
                        "document '\(name)' cannot change: step '\(item.step.id)' was decided (\(item.status.label)) "
                            + "on its current version (entry \(existing.index)); a new version would undo that"
                    )
                case .ready, .blocked: break
                }
            }
            if let key = pipeline.expiry?.key, key.documentNames.contains(name), view.expiresAt != nil {
                problems.append(
                    "document '\(name)' cannot change: the case's window was set from it (\(key.source)) when it began"
                )
            }
        }
        return problems
    }

    /// What was decided on documents the case did not hold as they are now stays decided.
    ///
    /// A step's `if` is decided once its `after` steps are finished: skipped then, or not. A
    /// finished step's documents are frozen outright (`ownershipProblems`); for a step still to be
    /// signed whose `if` held, a change to what it reads that would make it false — skipping the
    /// step, and the approvals it may already have — is refused, naming the step. Likewise the
    /// expiry window, once it runs: a newer version of what its `key` reads is refused outright
    /// (`ownershipProblems`), and a first version that would move the window is refused too.
    /// `before` and `after` are the case's documents without and with the entry's attachments.
    func conditionProblems(
        _ entry: Content,
        view: CaseView,
        pipeline: Pipeline,
        before: [String: XMLDocument],
        after: [String: XMLDocument]
    ) -> [String] {
        let changed = Set(
            entry.statement.attachments.filter { view.state.attachments[$0.name]?.fingerprint.digest != $0.fingerprint }
                .map(\.name)
        )
        guard !changed.isEmpty else { return [] }
        func isFinished(_ id: String) -> Bool {
            switch view.status(of: id) {
            case .done?, .skipped?: true
            case .rejected?: pipeline.step(id)?.onReject == .continue
            case .ready?, .blocked?, nil: false
            }
        }
        var problems: [String] = []
        for item in view.steps {
            guard let condition = item.step.condition, !changed.isDisjoint(with: condition.documentNames),
                item.step.after.allSatisfy(isFinished), !isFinished(item.step.id),
                case .success(true) = CaseEvaluator(pipeline: pipeline, documents: before).evaluate(condition),
                case .success(false) = CaseEvaluator(pipeline: pipeline, documents: after).evaluate(condition)
            else { continue }
            let names = changed.intersection(condition.documentNames).sorted().map { "'\($0)'" }
            problems.append(
                "document \(names.joined(separator: ", ")) cannot change so: step '\(item.step.id)' would be skipped, "
                    + "though its condition `\(condition.source)` held when it became ready"
            )
        }
        let firstVersions = changed.filter { view.state.attachments[$0] == nil }
        if let key = pipeline.expiry?.key, let expiresAt = view.expiresAt,
            !firstVersions.isDisjoint(with: key.documentNames),
            let moved = CaseEvaluator(pipeline: pipeline, documents: after).evaluate(view.state, at: view.now)
                .expiresAt,
            moved != expiresAt
        {
            let names = firstVersions.intersection(key.documentNames).sorted().map { "'\($0)'" }
            problems.append(
                "document \(names.joined(separator: ", ")) cannot be attached now: the case's window was set without it "
                    + "(\(key.source)) when it began, and would move from \(Timestamp.format(expiresAt)) to "
                    + Timestamp.format(moved)
            )
        }
        return problems
    }

    /// Why `predicate` may not attach `name`, saying who may.
    private static func ownershipRule(
        _ name: String,
        existing: Bool,
        producers: [String],
        owners: [String],
        _ predicate: StepPredicate
    ) -> String {
        let who =
            owners.isEmpty
            ? (producers.isEmpty ? "only the opening attaches it" : "no step may attach it")
            : "only a signer of step \(owners.map { "'\($0)'" }.joined(separator: " or ")) may"
        switch predicate.decision {
        case .open:
            return
                "the opening may not attach document '\(name)': step \(producers.map { "'\($0)'" }.joined(separator: ", ")) produces it"
        case .auto, .expire, .withdraw:
            return "a '\(predicate.decision.rawValue)' entry attaches no documents"
        case .approve, .reject, .attach:
            let what = existing ? "a newer version of document '\(name)'" : "document '\(name)'"
            let how =
                predicate.decision == .attach
                ? "'\(predicate.party)' may not attach" : "step '\(predicate.step)' may not attach"
            return "\(how) \(what): \(who)"
        }
    }

    /// A revision-2 entry endorses the case's documents exactly as they stand after it: its
    /// subjects are every document of the case (this entry's attachments included) with its
    /// current fingerprint, or the pipeline version alone when the case has none.
    func endorsementProblems(_ entry: Content, state: CaseState?) -> [String] {
        guard let endorsed = entry.statement.endorsedDocuments else { return [] }
        var expected = state?.attachments.mapValues(\.fingerprint.digest) ?? [:]
        for attached in entry.statement.attachments { expected[attached.name] = attached.fingerprint }
        guard endorsed != expected else { return [] }
        var differences: [String] = []
        for name in Set(endorsed.keys).union(expected.keys).sorted() {
            switch (endorsed[name], expected[name]) {
            case (nil, _?): differences.append("it does not list '\(name)'")
            case (_?, nil): differences.append("it lists '\(name)', which the case does not hold")
            case (let signed?, let held?) where signed != held:
                differences.append("it lists another version of '\(name)' than the case holds")
            default: break
            }
        }
        return [
            "the entry does not endorse the case's documents as they stand (" + differences.joined(separator: "; ")
                + "): a document changed since it was signed; sign again"
        ]
    }
}
