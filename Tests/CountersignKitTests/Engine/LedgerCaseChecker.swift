import CountersignKit
import Foundation

/// Checks a case's ledger entries against its pipeline without the engine's fold or evaluator:
/// reads the entries from the store in log order, decodes them, and walks them with `CaseWalk`,
/// listing every entry that breaks the pipeline (order, authority, quorum, conditions, documents,
/// chain, expiry) and saying how the case stands after its last entry.
struct LedgerCaseChecker {
    let pipeline: Pipeline
    /// The parties' files, whose keys the consortium holds in force (none is rotated or revoked here).
    let parties: [Party]
    let store: any LedgerStore

    /// What the walk found.
    struct Verdict {
        var violations: [String] = []
        var outcome: CaseOutcome = .open
        var entries = 0
    }

    func check(caseID: String) throws -> Verdict {
        var verdict = Verdict()
        var walk: CaseWalk?
        var earlier: [CaseEvent] = []
        var ended: CaseOutcome?
        var openedBy: String?
        for entry in try store.entries(ofCase: caseID) {
            let event = try CaseEvent(entry)
            let predicate = event.predicate
            var problems: [String] = []
            if let ended { problems.append("appended after the case ended (\(ended.rawValue))") }
            problems += chainProblems(event, bytes: entry.envelope, earlier: earlier)
            var after = walk?.documents ?? [:]
            for subject in event.statement.attachments {
                if let document = try attachment(subject, problems: &problems) { after[subject.name] = document }
            }
            problems += endorsementProblems(event, after: after)
            if var current = walk {
                switch predicate.decision {
                case .open: problems.append("it opens the case a second time")
                case .expire:
                    if predicate.party != pipeline.orchestrator { problems.append("only the orchestrator expires") }
                    if let expiresAt = current.expiresAt {
                        if predicate.signedAt < expiresAt {
                            problems.append("the window runs until \(Timestamp.format(expiresAt))")
                        }
                    } else {
                        problems.append("no window is running")
                    }
                    ended = .expired
                case .attach: break
                case .withdraw:
                    if predicate.party != openedBy && predicate.party != pipeline.orchestrator {
                        problems.append("only the opener or the orchestrator withdraws")
                    }
                    ended = .withdrawn
                case .approve, .reject, .auto:
                    let (stepProblems, endsCase) = current.sign(
                        predicate,
                        attaching: Set(event.statement.attachments.map(\.name)),
                        after: after
                    )
                    problems += stepProblems
                    if endsCase { ended = .rejected }
                }
                current.documents = after
                if ended == nil, current.isFinished { ended = .completed }
                walk = current
            } else {
                if predicate.decision != .open { problems.append("the case's first entry does not open it") }
                if !pipeline.openedBy.contains(predicate.party) { problems.append("the party may not open a case") }
                walk = CaseWalk(pipeline: pipeline, openedAt: predicate.signedAt, documents: after)
                openedBy = predicate.party
            }
            verdict.violations += problems.map {
                "\(caseID) entry \(event.index) (\(predicate.decision.rawValue) '\(predicate.step)' by "
                    + "\(predicate.party) at \(Timestamp.format(predicate.signedAt))): \($0)"
            }
            verdict.entries += 1
            earlier.append(event)
        }
        verdict.outcome = ended ?? .open
        return verdict
    }

    /// The case's entries, one line each, for a failure message; documents are named by `label`.
    func history(caseID: String, label: (Digest) -> String) throws -> String {
        try store.entries(ofCase: caseID).map { entry in
            let event = try CaseEvent(entry)
            let predicate = event.predicate
            let documents = event.statement.attachments.map { "\($0.name)=\(label($0.fingerprint))" }
            return "  \(entry.index) \(Timestamp.format(predicate.signedAt)) \(predicate.decision.rawValue) "
                + "'\(predicate.step)' by \(predicate.party) \(documents.joined(separator: " "))"
        }.joined(separator: "\n")
    }

    /// The chain (a step/v2 entry extends an earlier entry of the case: the prior one, or an older
    /// one when signed in parallel), the leaf hash, the signer's key and signature, the pipeline
    /// and the time order.
    private func chainProblems(_ event: CaseEvent, bytes: [UInt8], earlier: [CaseEvent]) -> [String] {
        let predicate = event.predicate
        var problems: [String] = []
        let extended = earlier.last { $0.leafHash == predicate.previous }
        if predicate.previous != earlier.last?.leafHash && (extended == nil || !predicate.isRevision2) {
            problems.append("`previous` names no earlier entry of the case")
        }
        if event.leafHash != SHA256.hash([0] + bytes) { problems.append("its leaf hash is not SHA-256(0x00 || bytes)") }
        if let extended, predicate.signedAt < extended.predicate.signedAt {
            problems.append("it is dated before the entry it extends")
        }
        // Countersign names every key it signs with.
        let keyID = event.envelope.signatures[0].keyID ?? ""
        if let party = parties.first(where: { $0.key(withID: keyID) != nil }), let key = party.key(withID: keyID) {
            if party.id != predicate.party { problems.append("it is signed with the key of '\(party.id)'") }
            if !event.envelope.verify(with: key.publicKey) { problems.append("its signature does not verify") }
        } else {
            problems.append("it is signed with a key no party holds")
        }
        if predicate.pipeline != pipeline.id || "sha256:" + predicate.pipelineDigest.hex != pipeline.digest {
            problems.append("it names another pipeline or digest")
        }
        return problems
    }

    /// A step/v2 entry's subjects are the case's documents after it, by fingerprint (the pipeline
    /// version alone when there are none).
    private func endorsementProblems(_ event: CaseEvent, after: [String: XMLDocument]) -> [String] {
        guard event.predicate.isRevision2 else { return [] }
        let subjects = event.statement.subjects.map { "\($0.name)=\($0.sha256.hex)" }
        let documents =
            after.isEmpty
            ? ["@pipeline/\(pipeline.id)=\(event.predicate.pipelineDigest.hex)"]
            : after.keys.sorted().map { "\($0)=\((try? after[$0]!.fingerprint().digest.hex) ?? "")" }
        return subjects == documents ? [] : ["its subjects are not the case's documents after it"]
    }

    /// A document the entry attaches, parsed from the store; `nil`, with the problem noted, when it
    /// is not declared, not stored under its fingerprint, or not valid against its schema.
    private func attachment(_ subject: Statement.Attachment, problems: inout [String]) throws -> XMLDocument? {
        guard let declaration = pipeline.document(subject.name) else {
            problems.append("document '\(subject.name)' is not declared")
            return nil
        }
        guard let bytes = try store.document(fingerprint: "sha256:" + subject.fingerprint.hex),
            let document = try? XMLDocument(bytes: bytes, source: subject.name),
            (try? document.fingerprint().digest) == subject.fingerprint
        else {
            problems.append("document '\(subject.name)' is not stored under its fingerprint")
            return nil
        }
        if let schema = declaration.schema, (try? schema.validate(document)) == nil {
            problems.append("document '\(subject.name)' is not valid against its schema")
            return nil
        }
        return document
    }
}
