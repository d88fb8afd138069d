import Foundation

extension Orchestrator {
    /// A request for `party` to approve `step` of `caseID` on a machine with no ledger, attaching
    /// `documents` (docs/SIGNING-REQUESTS.md). The statement the request will be signed as — made
    /// by the same `EntryDraft` as `stepEntry` makes it, dated `now` — is first checked as `sign`
    /// checks a signature, at the log time an entry appended at `judgedAt` would get, except for
    /// the signature itself: the party must hold a key in force. Refused (`EngineError.refused`,
    /// every reason listed) when the party may not sign the step now.
    public func signingRequest(
        caseID: String,
        step: String,
        party: String,
        documents uploads: [DocumentUpload],
        now: Date,
        judgedAt: Date
    ) throws -> SigningRequest {
        guard let state = try repository.state(of: caseID) else { throw EngineError.unknownCase(caseID) }
        let pipeline = try repository.pipeline(for: state)
        let prepared = try prepareDocuments(uploads, pipeline: pipeline, caseID: caseID, step: step)
            .sorted { $0.0.name < $1.0.name }
        let draft = try self.draft(
            pipeline: pipeline,
            over: state,
            caseID: caseID,
            step: step,
            party: party,
            decision: .approve,
            attaching: prepared.map(\.0)
        )
        let logTime = try self.logTime(at: judgedAt)
        _ = try SignOffValidator(repository: repository, now: logTime).validateUnsigned(
            try draft.statement(signedAt: now, note: nil),
            documents: prepared.map(\.1)
        )
        // The validator found the step, signed by parties, ready for this one.
        guard let declared = pipeline.step(step), let signers = declared.authority.signers else {
            throw EngineError.refused(caseID: caseID, step: step, reasons: ["no step '\(step)' signed by parties"])
        }
        let view = try repository.view(of: state, at: logTime)
        var approvedBy: [String] = []
        var dueAt: Date?
        if case .ready(_, _, let signed, let due, _)? = view.status(of: step) {
            approvedBy = signed
            dueAt = due
        }
        let keys = try repository.governance.keys(of: party).filter { $0.problem(at: logTime) == nil }
        let head = state.events[state.events.count - 1]
        return SigningRequest(
            log: try repository.governance.settings?.origin,
            createdAt: now,
            caseID: caseID,
            pipeline: SigningRequest.PipelineInfo(
                id: pipeline.id,
                title: pipeline.title,
                version: pipeline.version,
                digest: state.pipelineDigest
            ),
            expiresAt: view.expiresAt,
            head: SigningRequest.Head(index: head.index, leafHash: head.leafHash, signedAt: head.predicate.signedAt),
            step: SigningRequest.StepInfo(
                id: step,
                signers: signers,
                approvedBy: approvedBy,
                needs: declared.needs,
                produces: declared.produces,
                condition: declared.condition?.source,
                require: declared.requirements.map(\.source),
                dueAt: dueAt
            ),
            party: party,
            partyKeys: keys.map(\.keyID),
            documents: try state.attachments.values.map { try requestDocument($0, caseID: caseID) },
            attaches: prepared.map { attached, stored in
                SigningRequest.Document(
                    name: attached.name,
                    fingerprint: attached.fingerprint,
                    sha256: attached.sha256,
                    bytes: stored.bytes
                )
            }
        )
    }

    /// A document of the case with its stored bytes, checked against what its entry signs
    /// (`CaseRepository.bytes(of:caseID:)`).
    private func requestDocument(_ attachment: CaseState.Attachment, caseID: String) throws -> SigningRequest.Document {
        guard let bytes = try repository.bytes(of: attachment, caseID: caseID) else {
            throw EngineError.badDocument(
                name: attachment.name,
                reason: "\(attachment.fingerprint) is not in the ledger store"
            )
        }
        return SigningRequest.Document(
            name: attachment.name,
            fingerprint: attachment.fingerprint,
            sha256: SHA256.hash(bytes),
            bytes: bytes
        )
    }
}
