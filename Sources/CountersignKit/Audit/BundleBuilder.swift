import Foundation

/// Builds the audit bundle of one case (FORMATS.md §6) from the ledger: a BagIt bag holding the
/// exact bytes of its entries, the governance entries its checks rest on, its documents and its
/// pipeline version's files, an inclusion proof of every entry in one signed checkpoint, party files
/// for people to read, a report and a guide to checking it all with standard tools.
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
        let view = try repository.view(of: state, at: now)
        let governance = try self.governance(
            of: state,
            pipeline: pipeline,
            checkpoint: note,
            size: Int(checkpoint.size)
        )
        let width = max(
            BundleLayout.indexWidth(largestIndex: newestIndex),
            BundleLayout.indexWidth(largestIndex: governance.entries.last?.index ?? 0)
        )

        var bag = Bag(info: [
            Bag.Field(
                "Source-Organization",
                governance.state.members[pipeline.orchestrator]?.name ?? pipeline.orchestrator
            ),
            Bag.Field("Bagging-Date", String(Timestamp.format(now).prefix(10))),
            Bag.Field("External-Identifier", caseID),
            Bag.Field("External-Description", "Countersign audit bundle of case \(caseID): \(pipeline.title)"),
            Bag.Field("Bag-Software-Agent", softwareAgent),
            Bag.Field("Countersign-Pipeline", pipeline.id),
            Bag.Field("Countersign-Pipeline-Version", pipeline.versionName),
            Bag.Field("Countersign-Log-Origin", checkpoint.origin),
            Bag.Field("Countersign-Checkpoint-Size", String(checkpoint.size)),
            Bag.Field("Countersign-Entries", String(state.events.count)),
            Bag.Field("Countersign-Governance-Entries", String(governance.entries.count)),
            Bag.Field("Countersign-Genesis", "sha256:" + (governance.state.genesis?.envelopeHash.hex ?? "")),
            Bag.Field("Countersign-Case-Outcome", view.outcome.rawValue),
        ])
        for file in pipeline.files.all {
            try bag.add(file.bytes, at: file.path.split(separator: "/").map(String.init))
        }
        for party in governance.parties.sorted() {
            guard let file = governance.state.partyFile(of: party) else { continue }
            try bag.add(file, at: BundleLayout.party(party))
        }
        for entry in governance.entries {
            try bag.add(entry.envelope.bytes, at: BundleLayout.governance(entry.index, width: width))
            try bag.add(
                try proof(of: entry.index, envelope: entry.envelope.bytes, in: note, checkpoint).serialized,
                at: BundleLayout.proof(entry.index, width: width)
            )
        }
        for event in state.events {
            try bag.add(event.envelope.bytes, at: BundleLayout.entry(event.index, width: width))
            try bag.add(
                try proof(of: event.index, envelope: event.envelope.bytes, in: note, checkpoint).serialized,
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
                entries: state.events.count,
                governanceEntries: governance.entries.count,
                genesis: governance.state.genesis?.envelopeHash
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

    /// The inclusion proof of the entry at `index` in the checkpoint, checked against it before it is written.
    private func proof(
        of index: Int,
        envelope: [UInt8],
        in note: SignedNote,
        _ checkpoint: Checkpoint
    ) throws -> TlogProof {
        let proof = try ledger.inclusionProof(index: index, size: Int(checkpoint.size))
        guard proof.root == checkpoint.rootHash else {
            throw BundleError.damagedLedger("the stored checkpoint of size \(checkpoint.size) does not match the log")
        }
        guard proof.leafHash == MerkleHash.leaf(envelope) else {
            throw BundleError.damagedLedger("entry \(index) does not match its stored leaf hash")
        }
        return try TlogProof(index: UInt64(index), hashes: proof.hashes, note: note)
    }

    /// The governance entries the case rests on (`BundleGovernance`), the parties they cover, and
    /// the consortium as it stands at the checkpoint.
    private func governance(
        of state: CaseState,
        pipeline: Pipeline,
        checkpoint note: SignedNote,
        size: Int
    ) throws -> (entries: [GovernanceEntry], parties: Set<String>, state: GovernanceState) {
        let entries = try ledger.store.entries(ofCase: LedgerChain.consortium).filter { $0.index < size }.map {
            try GovernanceEntry($0)
        }
        let folded = try GovernanceState(folding: entries)
        var parties = Set(pipeline.openedBy + [pipeline.orchestrator])
        for step in pipeline.steps { parties.formUnion(step.authority.signers?.parties ?? []) }
        for event in state.events { parties.insert(event.predicate.party) }
        if let policy = folded.policy { parties.insert(policy.logSigner) }
        for line in note.signatures where folded.members[line.name] != nil { parties.insert(line.name) }
        let selected = BundleGovernance.select(
            from: entries,
            version: state.pipelineDigest,
            parties: parties.filter { folded.members[$0] != nil }
        )
        parties.formUnion(selected.map(\.predicate.party))
        return (selected, parties.filter { folded.members[$0] != nil }, folded)
    }
}
