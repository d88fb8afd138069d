import Foundation

/// Builds the audit bundle of one case (FORMATS.md §6) from the ledger: a BagIt bag holding the
/// exact bytes of its entries, documents, pipeline and party files, an inclusion proof of every
/// entry in one signed checkpoint, a report and a guide to checking it all with standard tools.
public struct BundleBuilder {
    public let repository: CaseRepository
    public var ledger: Ledger { repository.ledger }

    public init(repository: CaseRepository) {
        self.repository = repository
    }

    /// Who may sign a checkpoint when no stored one covers the case.
    public struct CheckpointSigner {
        /// The log's origin line (and the key name of the signature).
        public let origin: String
        public let key: Ed25519PrivateKey

        public init(origin: String, key: Ed25519PrivateKey) {
            self.origin = origin
            self.key = key
        }
    }

    /// The bag of `caseID` as of `now`. Its proofs lead to the newest stored checkpoint that covers
    /// every entry of the case, with every cosignature it has; when none does, `checkpointSigner`
    /// signs (and stores) one of the log as it is now, and without it the build fails saying what
    /// to run. `softwareAgent` names the program in `bag-info.txt`.
    public func bag(
        of caseID: String,
        now: Date,
        checkpointSigner: CheckpointSigner?,
        softwareAgent: String
    ) throws -> Bag {
        guard let state = try repository.state(of: caseID) else { throw EngineError.unknownCase(caseID) }
        let pipeline = try repository.pipeline(for: state)
        let newestIndex = state.events[state.events.count - 1].index
        let (note, checkpoint) = try self.checkpoint(covering: newestIndex, of: caseID, signer: checkpointSigner)
        let width = BundleLayout.indexWidth(largestIndex: newestIndex)
        let view = try repository.view(of: state, at: now)

        var bag = Bag(info: [
            Bag.Field("Source-Organization", try party(pipeline.orchestrator).name),
            Bag.Field("Bagging-Date", String(Timestamp.format(now).prefix(10))),
            Bag.Field("External-Identifier", caseID),
            Bag.Field("External-Description", "Countersign audit bundle of case \(caseID): \(pipeline.title)"),
            Bag.Field("Bag-Software-Agent", softwareAgent),
            Bag.Field("Countersign-Pipeline", pipeline.id),
            Bag.Field("Countersign-Pipeline-Digest", pipeline.digest),
            Bag.Field("Countersign-Log-Origin", checkpoint.origin),
            Bag.Field("Countersign-Checkpoint-Size", String(checkpoint.size)),
            Bag.Field("Countersign-Entries", String(state.events.count)),
            Bag.Field("Countersign-Case-Outcome", view.outcome.rawValue),
        ])
        try bag.add(pipeline.bytes, at: BundleLayout.pipeline)
        for schema in try BundleSchemas.files(of: pipeline, in: repository.pipelineDirectory) {
            try bag.add(schema.bytes, at: schema.components)
        }
        for party in try parties(of: state, pipeline: pipeline, checkpoint: note) {
            try bag.add(party.bytes, at: BundleLayout.party(party.id))
        }
        for event in state.events {
            try bag.add(event.envelope.bytes, at: BundleLayout.entry(event.index, width: width))
            try bag.add(
                try proof(of: event, in: note, checkpoint).serialized,
                at: BundleLayout.proof(event.index, width: width)
            )
            for subject in event.statement.subjects {
                let fingerprint = Fingerprint(digest: subject.sha256).description
                guard let bytes = try ledger.store.document(fingerprint: fingerprint) else {
                    throw BundleError.missingFromStore(
                        "document '\(subject.name)' (\(fingerprint)) of entry \(event.index)"
                    )
                }
                let replaced = state.attachments[subject.name]?.index == event.index ? nil : event.index
                try bag.add(bytes, at: BundleLayout.document(subject.name, replacedVersionAt: replaced, width: width))
            }
        }
        try bag.add(note.serialized, at: BundleLayout.checkpoint)
        try bag.add(CaseReportHTML.render(view), at: BundleLayout.report)
        try bag.add(
            VerifyGuide.markdown(
                caseID: caseID,
                pipeline: pipeline,
                checkpoint: checkpoint,
                entries: state.events.count
            ),
            at: BundleLayout.guide
        )
        return bag
    }

    /// The newest stored checkpoint if it covers entry `newestIndex`, else a new one when a signer is given.
    private func checkpoint(
        covering newestIndex: Int,
        of caseID: String,
        signer: CheckpointSigner?
    ) throws -> (SignedNote, Checkpoint) {
        let newest = try ledger.storedCheckpoints().last
        if let newest, newest.checkpoint.size > UInt64(newestIndex) { return (newest.note, newest.checkpoint) }
        guard let signer else {
            throw BundleError.noCheckpoint(
                caseID: caseID,
                newestIndex: newestIndex,
                newestCheckpointSize: newest.map { Int($0.checkpoint.size) }
            )
        }
        let note = try ledger.signCheckpoint(origin: signer.origin, key: signer.key)
        return (note, try Checkpoint(note: note))
    }

    /// The inclusion proof of `event` in the checkpoint, checked against it before it is written.
    private func proof(of event: CaseEvent, in note: SignedNote, _ checkpoint: Checkpoint) throws -> TlogProof {
        let proof = try ledger.inclusionProof(index: event.index, size: Int(checkpoint.size))
        guard proof.root == checkpoint.rootHash else {
            throw BundleError.damagedLedger("the stored checkpoint of size \(checkpoint.size) does not match the log")
        }
        guard proof.leafHash == MerkleHash.leaf(event.envelope.bytes) else {
            throw BundleError.damagedLedger("entry \(event.index) does not match its stored leaf hash")
        }
        return try TlogProof(index: UInt64(event.index), hashes: proof.hashes, note: note)
    }

    /// Every party the bundle needs, sorted by id: those the pipeline names (it does not load without
    /// them), every signer of an entry, and the owner of every key that signed the checkpoint.
    private func parties(of state: CaseState, pipeline: Pipeline, checkpoint note: SignedNote) throws -> [Party] {
        let registry = repository.parties
        var ids = Set(pipeline.openedBy + [pipeline.orchestrator])
        for step in pipeline.steps { ids.formUnion(step.authority.signers?.parties ?? []) }
        for event in state.events {
            ids.insert(event.predicate.party)
            if let owner = registry.key(withID: event.envelope.keyID)?.party.id { ids.insert(owner) }
        }
        for line in note.signatures {
            for party in registry.parties where BundleVerifier.noteVerifier(of: line, in: party) != nil {
                ids.insert(party.id)
            }
        }
        return try ids.sorted().map(party)
    }

    private func party(_ id: String) throws -> Party {
        guard let party = repository.parties.party(id) else { throw BundleError.unknownParty(id) }
        return party
    }
}
