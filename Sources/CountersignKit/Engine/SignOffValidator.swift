import Foundation

/// Checks one signed entry against the ledger before it may be appended. Every unmet criterion is
/// collected, so a refusal tells the signer everything that is wrong at once.
///
/// Time is the log's: `now` is the log time the entry would get (CONSORTIUM.md "Time the log
/// vouches for"). The key's window and revocation, the case's expiry, are judged then — not at
/// the `signedAt` the signer chose, which may be earlier (signed offline) but never later than log
/// time + 5 minutes. The checks hold for a window of log times (`Verdict.window`), which the store
/// enforces on the time it actually records.
struct SignOffValidator {
    let repository: CaseRepository
    let now: Date

    /// How far in the future a signature time may lie (clock skew between machines).
    static let allowedClockSkew: TimeInterval = 300

    /// What an accepted entry extends and the log times its checks hold in.
    struct Verdict {
        /// The case state the entry extends; `nil` for an opening entry.
        var state: CaseState?
        var window = LogTimeWindow()
    }

    /// What an entry says and carries, signed or not yet: its statement, the documents it attaches
    /// (in the order of `statement.attachments`), and its leaf hash once it is signed.
    struct Content {
        let statement: Statement
        let documents: [StoredDocument]
        /// `nil` for a statement not yet signed (a signing request).
        let leaf: Digest?

        init(_ entry: SignedEntry) {
            statement = entry.statement
            documents = entry.documents
            leaf = MerkleHash.leaf(entry.envelope.bytes)
        }

        init(unsigned statement: Statement, documents: [StoredDocument]) {
            self.statement = statement
            self.documents = documents
            leaf = nil
        }
    }

    /// Returns the verdict or throws `EngineError.refused` listing every reason.
    func validate(_ entry: SignedEntry, pipelineForOpening: Pipeline?) throws -> Verdict {
        var window = LogTimeWindow()
        let reasons = try signerProblems(entry, window: &window)
        return try validate(
            Content(entry),
            signerProblems: reasons,
            window: window,
            pipelineForOpening: pipelineForOpening
        )
    }

    /// Checks a statement not yet signed as `validate` would check it once signed, but for the
    /// signature itself: its party must hold a key the consortium keeps in force at `now`. What a
    /// signing request is checked by before it is written.
    func validateUnsigned(_ statement: Statement, documents: [StoredDocument]) throws -> Verdict {
        let predicate = statement.predicate
        let keys = try repository.governance.keys(of: predicate.party)
        var reasons: [String] = []
        if keys.isEmpty {
            reasons.append(
                "party '\(predicate.party)' holds no key in the consortium: it is no member, or has no key yet"
            )
        } else if !keys.contains(where: { $0.problem(at: now) == nil }) {
            reasons.append(
                "party '\(predicate.party)' holds no key in force at log time \(Timestamp.format(now)): "
                    + keys.compactMap { $0.problem(at: now) }.joined(separator: "; ")
            )
        }
        return try validate(
            Content(unsigned: statement, documents: documents),
            signerProblems: reasons,
            window: LogTimeWindow(),
            pipelineForOpening: nil
        )
    }

    private func validate(
        _ content: Content,
        signerProblems: [String],
        window: LogTimeWindow,
        pipelineForOpening: Pipeline?
    ) throws -> Verdict {
        let predicate = content.statement.predicate
        var verdict = Verdict(window: window)
        var reasons = signerProblems
        if !predicate.isRevision2 {
            // Revision 1 is read in old ledgers, never appended: its subjects name only what the
            // entry attaches (often nothing, which in-toto refuses), so it endorses no document.
            reasons.append(
                "it is a \(Statement.predicateTypeRevision1) entry: a new entry is \(Statement.predicateType), "
                    + "whose subjects endorse every document of the case (sign it again)"
            )
        }
        if predicate.signedAt.timeIntervalSince(now) > Self.allowedClockSkew {
            reasons.append(
                "it is signed at \(Timestamp.format(predicate.signedAt)), later than log time "
                    + "\(Timestamp.format(now)) + 5 minutes"
            )
        }
        verdict.window = verdict.window.intersected(
            with: LogTimeWindow(notBefore: predicate.signedAt.addingTimeInterval(-Self.allowedClockSkew))
        )
        let state = try repository.state(of: predicate.caseID)
        verdict.state = state
        if predicate.decision == .open {
            reasons += openingProblems(content, existing: state, pipeline: pipelineForOpening)
        } else if let state {
            reasons += try stepProblems(content, state: state, window: &verdict.window)
        } else {
            throw EngineError.unknownCase(predicate.caseID)
        }
        guard reasons.isEmpty else {
            throw EngineError.refused(caseID: predicate.caseID, step: predicate.step, reasons: reasons)
        }
        return verdict
    }

    /// The entry carries one signature, by a key the consortium holds in force for the party the
    /// entry names, inside the key's window when it signed, and the signature holds. The key is the
    /// one that verifies among the party's (`GovernanceView.caseSigner`): an entry need not name it.
    private func signerProblems(_ entry: SignedEntry, window: inout LogTimeWindow) throws -> [String] {
        let predicate = entry.statement.predicate
        let envelope = entry.envelope
        guard envelope.signatures.count == 1 else {
            return ["a case entry carries exactly one signature, this one \(envelope.signatures.count)"]
        }
        let key: MemberKey
        var verifies = true
        switch try repository.governance.caseSigner(of: envelope, party: predicate.party) {
        case .verified(let found):
            key = found
        case .failed(let named):
            key = named
            verifies = false
        case .unknown(let keyID):
            return [
                "the signing key \(keyID.prefix(16))… is no key of any member of the consortium "
                    + "(a new key comes into force by `countersign propose parties/\(predicate.party).yaml`)"
            ]
        case .unverified:
            return [
                "the signature names no key (no keyid) and verifies with none of the keys the consortium holds for "
                    + "'\(predicate.party)': the entry was altered or signed with another key"
            ]
        case .misnamed(let keyID, let found):
            return [Envelope.Signature.misnamedReason(keyID: keyID, verifying: found.keyID)]
        }
        var problems: [String] = []
        if key.party != predicate.party {
            problems.append(
                "the signing key belongs to '\(key.party)', but the entry claims to be signed by '\(predicate.party)'"
            )
        }
        if let problem = key.problem(at: now) {
            problems.append(
                "\(problem): judged at log time \(Timestamp.format(now)) (signed at \(Timestamp.format(predicate.signedAt)))"
            )
        }
        if let problem = key.backdatingProblem(signedAt: predicate.signedAt) { problems.append(problem) }
        window = window.intersected(with: LogTimeWindow(notBefore: key.since, before: key.until))
        if !verifies {
            problems.append("the signature does not verify: the entry was altered or signed with another key")
        }
        return problems
    }

    private func openingProblems(_ entry: Content, existing: CaseState?, pipeline: Pipeline?) -> [String] {
        let predicate = entry.statement.predicate
        var problems: [String] = []
        if existing != nil { problems.append("case '\(predicate.caseID)' is already open") }
        if !CaseID.isValid(predicate.caseID) { problems.append(CaseID.rule) }
        guard let pipeline else {
            return problems + [
                "pipeline \(predicate.pipeline)@sha256:\(predicate.pipelineDigest.hex) is no version in force "
                    + "(propose it: `countersign propose pipelines/\(predicate.pipeline).yaml`)"
            ]
        }
        if pipeline.digest != "sha256:" + predicate.pipelineDigest.hex || pipeline.id != predicate.pipeline {
            problems.append(
                "the entry names pipeline '\(predicate.pipeline)', but version \(pipeline.versionName) is another"
            )
        }
        if !pipeline.openedBy.contains(predicate.party) {
            problems.append(
                "party '\(predicate.party)' may not open a '\(pipeline.id)' case (opened by: \(pipeline.openedBy.joined(separator: ", ")))"
            )
        }
        problems += documentProblems(entry, pipeline: pipeline)
        problems += ownershipProblems(entry, state: nil, view: nil, pipeline: pipeline)
        problems += endorsementProblems(entry, state: nil)
        return problems
    }

    private func stepProblems(_ entry: Content, state: CaseState, window: inout LogTimeWindow) throws -> [String] {
        let predicate = entry.statement.predicate
        let pipeline = try repository.pipeline(for: state)
        var problems: [String] = []
        if predicate.pipelineDigest != state.pipelineDigest || predicate.pipeline != state.pipelineID {
            problems.append("the entry is for another pipeline than the one case '\(state.caseID)' was opened under")
        }
        problems += chainProblems(entry, state: state)
        problems += documentProblems(entry, pipeline: pipeline)

        // Whether the case is open and the step ready is decided on the case as it stands, before this
        // entry: documents it attaches cannot skip a step or reopen a case. Its `require` rules are
        // then checked over the documents as they will be with the entry.
        let before = try repository.documents(for: state)
        var after = before
        for (attached, stored) in zip(entry.statement.attachments, entry.documents) {
            after[attached.name] = try? XMLDocument(bytes: stored.bytes, source: attached.name)
        }
        let view = CaseEvaluator(pipeline: pipeline, documents: before).evaluate(state, at: now)
        guard view.outcome == .open else {
            return problems + ["the case is \(view.outcome.rawValue)"]
        }
        problems += ownershipProblems(entry, state: state, view: view, pipeline: pipeline)
        problems += conditionProblems(entry, view: view, pipeline: pipeline, before: before, after: after)
        problems += endorsementProblems(entry, state: state)
        if predicate.decision != .expire, view.shouldExpire, let expiresAt = view.expiresAt {
            return problems + [
                "the case's window ended at \(Timestamp.format(expiresAt)), before log time \(Timestamp.format(now)) "
                    + "(signed at \(Timestamp.format(predicate.signedAt))): it takes no more sign-offs and is closed as expired"
            ]
        }
        if let expiresAt = view.expiresAt {
            window = window.intersected(
                with: predicate.decision == .expire
                    ? LogTimeWindow(notBefore: expiresAt) : LogTimeWindow(before: expiresAt)
            )
        }
        switch predicate.decision {
        case .open: return problems + ["the case is already open"]
        case .expire:
            if predicate.party != pipeline.orchestrator {
                problems.append(
                    "party '\(predicate.party)' may not expire the case: only the orchestrator '\(pipeline.orchestrator)' may"
                )
            }
            if !view.shouldExpire {
                let when = view.expiresAt.map { "it runs until \(Timestamp.format($0))" } ?? "it has no expiry window"
                problems.append("the case's window has not passed at log time \(Timestamp.format(now)): \(when)")
            }
            return problems
        case .withdraw:
            if predicate.party != state.openedBy && predicate.party != pipeline.orchestrator {
                problems.append(
                    "party '\(predicate.party)' may not withdraw the case: only its opener '\(state.openedBy)' or the orchestrator '\(pipeline.orchestrator)' may"
                )
            }
            if (predicate.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append("a withdrawal states its reason (--reason TEXT)")
            }
            return problems
        case .attach:
            if entry.statement.attachments.isEmpty {
                problems.append("an attach entry attaches at least one document")
            }
            return problems
        case .approve, .reject, .auto:
            guard let step = pipeline.step(predicate.step) else {
                let known = pipeline.steps.map(\.id).joined(separator: ", ")
                return problems + ["pipeline '\(pipeline.id)' has no step '\(predicate.step)' (steps: \(known))"]
            }
            problems += authorityProblems(predicate, step: step, pipeline: pipeline)
            problems += readinessProblems(
                entry,
                step: step,
                view: view,
                state: state,
                evaluator: CaseEvaluator(pipeline: pipeline, documents: after)
            )
            return problems
        }
    }

    /// The entry extends this case: its `previous` is an entry of the case — the newest, or an
    /// older one when it was signed beside other signatures (its subjects say which documents it
    /// endorsed) — it is not already in the case, and it is not dated before the entry it extends.
    private func chainProblems(_ entry: Content, state: CaseState) -> [String] {
        let predicate = entry.statement.predicate
        if let leaf = entry.leaf, state.event(withLeaf: leaf) != nil {
            return ["this very entry is already in the case: an entry is appended once"]
        }
        guard let previous = predicate.previous.flatMap(state.event(withLeaf:)) else {
            return ["its `previous` names no entry of case '\(state.caseID)'"]
        }
        guard predicate.signedAt >= previous.predicate.signedAt else {
            return [
                "it is dated before the entry it extends (entry \(previous.index), "
                    + "signed \(Timestamp.format(previous.predicate.signedAt)))"
            ]
        }
        return []
    }

    private func authorityProblems(_ predicate: StepPredicate, step: Step, pipeline: Pipeline) -> [String] {
        switch (step.authority, predicate.decision) {
        case (.automatic, .auto):
            return predicate.party == pipeline.orchestrator
                ? [] : ["only the orchestrator '\(pipeline.orchestrator)' signs automatic step '\(step.id)'"]
        case (.automatic, _):
            return ["step '\(step.id)' is automatic: the orchestrator '\(pipeline.orchestrator)' completes it"]
        case (.signers, .auto):
            return ["step '\(step.id)' is not automatic: it is signed by \(step.authority)"]
        case (.signers(let signers), _):
            return signers.permits(predicate.party)
                ? [] : ["party '\(predicate.party)' may not sign step '\(step.id)' (signed by: \(signers))"]
        }
    }

    private func readinessProblems(
        _ entry: Content,
        step: Step,
        view: CaseView,
        state: CaseState,
        evaluator: CaseEvaluator
    ) -> [String] {
        let predicate = entry.statement.predicate
        switch view.status(of: step.id) {
        case .done(_, let by)?: return ["step '\(step.id)' is already done (by \(by.joined(separator: ", ")))"]
        case .rejected(_, let by, _)?: return ["step '\(step.id)' was already rejected by \(by)"]
        case .skipped?:
            return ["step '\(step.id)' was skipped: its condition `\(step.condition?.source ?? "")` is false"]
        case .blocked(let reasons)?: return reasons
        case nil: return ["pipeline has no step '\(step.id)'"]
        case .ready(_, _, let signed, _, _)?:
            var problems: [String] = []
            if signed.contains(predicate.party) {
                problems.append("party '\(predicate.party)' already signed step '\(step.id)'; another party must")
            }
            guard predicate.decision != .reject else { return problems }
            // A produced document is attached by this entry or already by a co-signer's.
            let attached = Set(entry.statement.attachments.map(\.name))
            let missing = step.produces.filter { !attached.contains($0) && state.attachments[$0] == nil }
            for name in missing {
                problems.append("step '\(step.id)' produces document '\(name)': attach it with --doc \(name)=FILE")
            }
            guard missing.isEmpty else { return problems }
            for requirement in step.requirements {
                switch evaluator.evaluate(requirement) {
                case .success(true): break
                case .success(false): problems.append("criterion not met: \(requirement.source)")
                case .failure(let reason): problems.append(reason.description)
                }
            }
            return problems
        }
    }
}
