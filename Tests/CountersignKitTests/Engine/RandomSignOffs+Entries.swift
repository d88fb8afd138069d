import CountersignKit
import Foundation

/// How each random action makes its entry.
extension RandomSignOffs {
    /// Step ids a careless signer might type: none of them is a step of the pipeline it is used on.
    private static let strayStepIDs = [
        "no-such-step", "Credit-Check", "credit-check", "handover", "pay-prize", "determine-prize",
        "funds-release", "board-approval",
    ]

    func entry(for action: Action, in sequence: Sequence) throws -> SignedEntry {
        let pipeline = sequence.pipeline
        let (step, party) = try guidedChoice(sequence) ?? anyManualStep(pipeline)
        let right = step.produces.map { sequence.profile.right[$0]! }
        switch action {
        case .guided:
            return try signed(sequence, step.id, by: party, documents: right)
        case .reject:
            return try signed(sequence, step.id, by: party, documents: [], rejecting: true)
        case .randomStep:
            let step = random.pick(pipeline.steps)
            let documents =
                random.chance(0.4) ? step.produces.map { sequence.profile.right[$0]! } : randomDocuments(pipeline)
            return try signed(
                sequence,
                step.id,
                by: random.pick(workspace.partyIDs),
                documents: documents,
                rejecting: random.chance(0.1)
            )
        case .unknownStep:
            let id = random.pick(Self.strayStepIDs.filter { pipeline.step($0) == nil })
            return try signed(sequence, id, by: random.pick(workspace.partyIDs), documents: [])
        case .wrongKey:
            let key =
                random.chance(0.5)
                ? workspace.strangerKey : workspace.keys[random.pick(workspace.partyIDs.filter { $0 != party })]!
            return try signed(sequence, step.id, by: party, key: key, documents: right)
        case .brokenDocument:
            return try signed(sequence, step.id, by: party, documents: brokenDocuments(step, in: sequence))
        case .missingDocument:
            let producing = step.produces.isEmpty ? random.pick(pipeline.steps.filter { !$0.produces.isEmpty }) : step
            return try signed(
                sequence,
                producing.id,
                by: random.pick(producing.authority.signers!.parties),
                documents: []
            )
        case .staleHead:
            let entries = try repository.ledger.store.entries(ofCase: sequence.caseID)
            let older = random.pick(entries.dropLast().map { Optional($0.leafHash) } + [nil])
            return try handSigned(sequence, step.id, by: party, decision: .approve, documents: right, previous: older)
        case .replay:
            let caseIDs = try repository.ledger.store.caseIDs()
            let caseID = random.chance(0.7) ? sequence.caseID : random.pick(caseIDs)
            let old = random.pick(try repository.ledger.store.entries(ofCase: caseID))
            return try orchestrator.decodeSubmission(envelope: old.envelope, documents: [])
        case .forged:
            let forger = random.chance(0.7) ? pipeline.orchestrator : random.pick(workspace.partyIDs)
            let head = try repository.state(of: sequence.caseID)!.head
            if random.chance(0.4) {
                return try handSigned(
                    sequence,
                    StepPredicate.expireStep,
                    by: forger,
                    decision: .expire,
                    documents: [],
                    previous: head
                )
            }
            return try handSigned(
                sequence,
                random.pick(pipeline.steps).id,
                by: forger,
                decision: .auto,
                documents: [],
                previous: head
            )
        case .backdated:
            let earlier = sequence.now - TimeInterval(Int.random(in: 60...(20 * 86_400), using: &random))
            return try signed(sequence, step.id, by: party, documents: right, at: earlier)
        case .futureDated:
            return try signed(sequence, step.id, by: party, documents: right, at: sequence.now + 86_400)
        case .reopen:
            let opener = random.pick(workspace.partyIDs)
            return try orchestrator.openEntry(
                pipeline: pipeline,
                caseID: sequence.caseID,
                party: opener,
                key: workspace.keys[opener]!,
                documents: sequence.profile.opening,
                now: sequence.now
            )
        case .attach:
            let name = random.pick(pipeline.documents.map(\.name))
            let document = random.pick(samples.candidates[pipeline.id]![name]!)
            let owners = pipeline.steps.filter { $0.needs.contains(name) || $0.produces.contains(name) }
                .flatMap { $0.authority.signers?.parties ?? [] }
            let attacher = !owners.isEmpty && random.chance(0.6) ? random.pick(owners) : random.pick(workspace.partyIDs)
            return try orchestrator.attachEntry(
                caseID: sequence.caseID,
                party: attacher,
                key: workspace.keys[attacher]!,
                documents: [document],
                note: nil,
                now: sequence.now
            )
        case .withdraw:
            let state = try repository.state(of: sequence.caseID)!
            let withdrawer =
                random.chance(0.4)
                ? state.openedBy : random.chance(0.5) ? pipeline.orchestrator : random.pick(workspace.partyIDs)
            return try orchestrator.withdrawEntry(
                caseID: sequence.caseID,
                party: withdrawer,
                key: workspace.keys[withdrawer]!,
                reason: "plans changed",
                now: sequence.now
            )
        case .parallel:
            let state = try repository.state(of: sequence.caseID)!
            let older = random.pick(state.events.dropLast().map(\.leafHash) + [state.head])
            return try drafted(sequence, step.id, by: party, attaching: right, previous: older) { $0 }
        case .wrongEndorsement:
            return try drafted(sequence, step.id, by: party, attaching: right, previous: nil) { documents in
                var endorsed = documents
                if let name = endorsed.keys.sorted().first, self.random.chance(0.7) {
                    endorsed[name] = Fingerprint(digest: SHA256.hash(Array("another version".utf8)))
                } else {
                    let attached = Set(right.map(\.name))
                    let name = self.random.pick(
                        pipeline.documents.map(\.name).filter { endorsed[$0] == nil && !attached.contains($0) } + [
                            "memo"
                        ]
                    )
                    endorsed[name] = Fingerprint(digest: SHA256.hash(Array(name.utf8)))
                }
                return endorsed
            }
        case .advance:
            preconditionFailure("advance makes no entry of its own")
        }
    }

    /// A revision-2 approval built by hand, as another tool or an offline signer could: its
    /// `previous` (the case's head when `nil`), and the documents it endorses besides those it
    /// attaches as `endorse` makes them from the case's.
    private func drafted(
        _ sequence: Sequence,
        _ step: String,
        by party: String,
        attaching documents: [DocumentUpload],
        previous: Digest?,
        endorse: ([String: Fingerprint]) -> [String: Fingerprint]
    ) throws -> SignedEntry {
        let state = try repository.state(of: sequence.caseID)!
        let attaching = try documents.map { upload in
            EntryDraft.Attachment(
                name: upload.name,
                fingerprint: try XMLDocument(bytes: upload.bytes, source: upload.source).fingerprint(),
                sha256: SHA256.hash(upload.bytes)
            )
        }
        var held = state.attachments.mapValues(\.fingerprint)
        for attached in attaching { held.removeValue(forKey: attached.name) }
        let draft = EntryDraft(
            pipeline: state.pipelineID,
            pipelineDigest: state.pipelineDigest,
            caseID: sequence.caseID,
            step: step,
            party: party,
            decision: .approve,
            previous: previous ?? state.head,
            documents: endorse(held),
            attaching: attaching
        )
        let envelope = try Envelope.sign(
            statement: try draft.statement(signedAt: sequence.now, note: nil),
            key: workspace.keys[party]!
        )
        return try orchestrator.decodeSubmission(envelope: envelope.bytes, documents: documents)
    }

    /// A step the engine shows ready for a party (not automatic) and one party it waits on; `nil`
    /// when only automatic steps are ready. When the case is closed or nothing is ready, any step.
    func guidedChoice(_ sequence: Sequence) throws -> (step: Step, party: String)? {
        let view = try repository.view(of: sequence.caseID, at: sequence.now)
        let ready = view.steps.compactMap { item -> (Step, [String], [String])? in
            guard case .ready(_, let waitingOn, let signed, _, _) = item.status, !item.step.isAutomatic,
                !waitingOn.isEmpty
            else { return nil }
            return (item.step, waitingOn, signed)
        }
        if !ready.isEmpty {
            // Now and then a party that already signed a quorum step signs it again.
            let (step, waitingOn, signed) = random.pick(ready)
            return (step, random.pick(!signed.isEmpty && random.chance(0.3) ? signed : waitingOn))
        }
        if !view.readyAutomaticSteps.isEmpty { return nil }
        return anyManualStep(sequence.pipeline)
    }

    private func anyManualStep(_ pipeline: Pipeline) -> (step: Step, party: String) {
        let step = random.pick(pipeline.steps.filter { !$0.isAutomatic })
        return (step, random.pick(step.authority.signers!.parties))
    }

    /// Zero to two documents of the pipeline, each a random candidate; now and then one the
    /// pipeline does not declare.
    private func randomDocuments(_ pipeline: Pipeline) -> [DocumentUpload] {
        let candidates = samples.candidates[pipeline.id]!
        var documents: [DocumentUpload] = []
        for _ in 0..<Int.random(in: 0...2, using: &random) {
            let name = random.pick(pipeline.documents.map(\.name))
            if !documents.contains(where: { $0.name == name }) { documents.append(random.pick(candidates[name]!)) }
        }
        if random.chance(0.05) {
            let bytes = candidates[pipeline.documents[0].name]![0].bytes
            documents.append(DocumentUpload(name: "memo", bytes: bytes, source: "an undeclared document"))
        }
        return documents
    }

    /// The step's right documents with one replaced by a copy that breaks a rule, by a document
    /// that is not XML, or (for a step that produces nothing) with such a copy added.
    private func brokenDocuments(_ step: Step, in sequence: Sequence) -> [DocumentUpload] {
        let documents = step.produces.map { sequence.profile.right[$0]! }
        let broken = samples.broken[sequence.pipeline.id]!
        if random.chance(0.15) {
            let name = step.produces.first ?? random.pick(broken.keys.sorted())
            return documents.filter { $0.name != name }
                + [DocumentUpload(name: name, bytes: samples.garbage.bytes, source: samples.garbage.source)]
        }
        let names = step.produces.filter { broken[$0] != nil }
        let name = names.isEmpty ? random.pick(broken.keys.sorted()) : random.pick(names)
        return documents.filter { $0.name != name } + [random.pick(broken[name]!)]
    }

    /// `Orchestrator.stepEntry` for `party` (with its own key unless `key` is given).
    private func signed(
        _ sequence: Sequence,
        _ step: String,
        by party: String,
        key: Ed25519PrivateKey? = nil,
        documents: [DocumentUpload],
        rejecting: Bool = false,
        at date: Date? = nil
    ) throws -> SignedEntry {
        try orchestrator.stepEntry(
            caseID: sequence.caseID,
            step: step,
            party: party,
            key: key ?? workspace.keys[party]!,
            documents: documents,
            note: nil,
            rejectReason: rejecting ? "declined" : nil,
            now: date ?? sequence.now
        )
    }

    /// An entry made by hand, as an offline signer could: any decision, any `previous`. Like every
    /// signer's, it endorses the case's documents as the signer saw them — as they stood at
    /// `previous` (the case's current ones when it names none) — with its own attached.
    private func handSigned(
        _ sequence: Sequence,
        _ step: String,
        by party: String,
        decision: StepPredicate.Decision,
        documents: [DocumentUpload],
        previous: Digest?
    ) throws -> SignedEntry {
        let state = try repository.state(of: sequence.caseID)!
        var endorsed =
            previous.flatMap(state.event(withLeaf:))?.statement.endorsedDocuments
            ?? state.attachments.mapValues(\.fingerprint.digest)
        for upload in documents {
            endorsed[upload.name] = try XMLDocument(bytes: upload.bytes, source: upload.source).fingerprint().digest
        }
        let predicate = try StepPredicate(
            pipeline: state.pipelineID,
            pipelineDigest: state.pipelineDigest,
            caseID: sequence.caseID,
            step: step,
            party: party,
            decision: decision,
            signedAt: sequence.now,
            previous: previous,
            attaches: documents.map { .init(name: $0.name, sha256: SHA256.hash($0.bytes)) }
        )
        let envelope = try Envelope.sign(
            statement: Statement(endorsing: endorsed, predicate: predicate),
            key: workspace.keys[party]!
        )
        return try orchestrator.decodeSubmission(envelope: envelope.bytes, documents: documents)
    }
}
