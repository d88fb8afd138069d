import Foundation

/// Builds the audit bundle of one case (FORMATS.md §6) from the ledger: a BagIt bag holding the
/// exact bytes of its entries, the governance entries its checks rest on, its documents and its
/// pipeline version's files, an inclusion proof of every entry in one signed checkpoint, the log
/// time of every entry with the earlier stored checkpoints that bracket each case entry's (and
/// consistency proofs from them to the bundle's checkpoint), party files for people to read, a
/// report and a guide to checking it all with standard tools.
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
    /// to run. For each case entry it also carries the newest stored checkpoint the log signed
    /// before it received the entry and the oldest that includes it (`bracketingCheckpoints`), so
    /// the entry's log time is bounded by signed, cosigned times. `softwareAgent` names the program
    /// in `bag-info.txt`.
    public func bag(
        of caseID: String,
        now: Date,
        checkpointSigner: CheckpointSigner?,
        softwareAgent: String
    ) throws -> Bag {
        guard let state = try repository.recordedState(of: caseID) else { throw EngineError.unknownCase(caseID) }
        let pipeline = try repository.pipeline(for: state)
        let newestIndex = state.events[state.events.count - 1].index
        let (note, checkpoint) = try self.checkpoint(covering: newestIndex, of: caseID, signer: checkpointSigner)
        let view = try repository.recordedView(of: state, at: now)
        let brackets = try bracketingCheckpoints(of: state.events, main: checkpoint)
        let governance = try self.governance(
            of: state,
            pipeline: pipeline,
            checkpoint: note,
            size: Int(checkpoint.size),
            brackets: brackets
        )
        let width = max(
            BundleLayout.indexWidth(largestIndex: newestIndex),
            BundleLayout.indexWidth(largestIndex: governance.entries.last?.index ?? 0)
        )
        let logTimes = try self.logTimes(
            of: governance.entries.map { ($0.index, $0.logTime) } + state.events.map { ($0.index, $0.logTime) },
            checkpoints: [checkpoint] + brackets.map(\.checkpoint)
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
        ])
        if !brackets.isEmpty {
            bag.info.append(
                Bag.Field(
                    BundleLayout.bracketingCheckpointsField,
                    brackets.map { String($0.checkpoint.size) }.joined(separator: " ")
                )
            )
        }
        bag.info += [
            Bag.Field("Countersign-Entries", String(state.events.count)),
            Bag.Field("Countersign-Governance-Entries", String(governance.entries.count)),
            Bag.Field("Countersign-Genesis", "sha256:" + (governance.state.genesis?.envelopeHash.hex ?? "")),
            Bag.Field("Countersign-Case-Outcome", view.outcome.rawValue),
        ]
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
            for subject in event.statement.attachments {
                let fingerprint = Fingerprint(digest: subject.fingerprint).description
                // As stored, like the entries: the bundle's reader checks them against the entry.
                guard let bytes = try ledger.store.document(key: DocumentKey.of(subject)) else {
                    throw BundleError.missingFromStore(
                        "document '\(subject.name)' (\(fingerprint)) of entry \(event.index)"
                    )
                }
                let replaced = state.attachments[subject.name]?.index == event.index ? nil : event.index
                try bag.add(bytes, at: BundleLayout.document(subject.name, replacedVersionAt: replaced, width: width))
            }
        }
        try bag.add(note.serialized, at: BundleLayout.checkpoint)
        let caseHead = try caseHeadProof(of: caseID, note: note, checkpoint)
        try bag.add(caseHead.serialized, at: BundleLayout.caseHeadProof)
        for bracket in brackets {
            let size = Int(bracket.checkpoint.size)
            try bag.add(bracket.note.serialized, at: BundleLayout.bracketingCheckpoint(size, width: width))
            try bag.add(
                try consistencyProof(from: bracket.checkpoint, to: checkpoint).serialized,
                at: BundleLayout.consistencyProof(size, width: width)
            )
        }
        if !logTimes.isEmpty {
            try bag.add(BundleLogTimes.serialized(logTimes, width: width), at: BundleLayout.logTimes)
        }
        var signingKeys: [Int: String] = [:]
        for event in state.events {
            signingKeys[event.index] =
                try governance.state.caseSigner(of: event.envelope, party: event.predicate.party).verified?.keyID
        }
        try bag.add(
            CaseReportHTML.render(view, consortium: governance.state, caseHead: caseHead, signingKeys: signingKeys),
            at: BundleLayout.report
        )
        try bag.add(
            VerifyGuide.markdown(
                caseID: caseID,
                pipeline: pipeline,
                checkpoint: checkpoint,
                entries: state.events.count,
                governanceEntries: governance.entries.count,
                genesis: governance.state.genesis?.envelopeHash,
                bracketingCheckpoints: brackets.count,
                clock: governance.state.settings?.clock
            ),
            at: BundleLayout.guide
        )
        return bag
    }

    /// The newest stored checkpoint if it covers entry `newestIndex` and commits to the case-head
    /// map, else a new one when a signer is given.
    private func checkpoint(
        covering newestIndex: Int,
        of caseID: String,
        signer: CheckpointSigner?
    ) throws -> (SignedNote, Checkpoint) {
        let newest = try ledger.storedCheckpoints().last
        if let newest, newest.checkpoint.size > UInt64(newestIndex), newest.checkpoint.caseMapRoot != nil {
            return (newest.note, newest.checkpoint)
        }
        guard let signer else {
            throw BundleError.noCheckpoint(
                caseID: caseID,
                newestIndex: newestIndex,
                newestCheckpointSize: newest.map { Int($0.checkpoint.size) }
            )
        }
        let note = try repository.signCheckpoint(origin: signer.origin, key: signer.key)
        return (note, try Checkpoint(note: note))
    }

    /// The proof of `caseID`'s head in the case-head map `checkpoint` commits to. A map version
    /// the store lacks (a copied ledger) is rebuilt first; either way the path must lead to the
    /// checkpoint's root.
    private func caseHeadProof(of caseID: String, note: SignedNote, _ checkpoint: Checkpoint) throws -> CaseHeadProof {
        let size = Int(checkpoint.size)
        if try ledger.caseHeadPath(of: caseID, version: size) == nil {
            _ = try ledger.caseMapRoot(at: size, outcomes: repository.outcomes(of:))
        }
        guard let (head, siblings) = try ledger.caseHeadPath(of: caseID, version: size),
            CaseMap.root(of: head, siblings: siblings) == checkpoint.caseMapRoot
        else {
            throw BundleError.damagedLedger(
                "the stored case-head map at log size \(size) does not lead to the root checkpoint \(size) signs"
            )
        }
        return CaseHeadProof(head: head, siblings: siblings, note: note)
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

    /// For each case entry, the newest stored checkpoint of at most its index entries (signed before
    /// the log received it) and the oldest of more (one that includes it), when that is not `main`
    /// itself: smallest first. Only checkpoints of `main`'s log, with a log time when `main` has one,
    /// count; each must state the log time of its newest entry.
    private func bracketingCheckpoints(
        of events: [CaseEvent],
        main: Checkpoint
    ) throws -> [(checkpoint: Checkpoint, note: SignedNote)] {
        let candidates = try ledger.storedCheckpoints().filter { stored in
            stored.checkpoint.size > 0 && stored.checkpoint.size < main.size && stored.checkpoint.origin == main.origin
                && (stored.checkpoint.logTime == nil) == (main.logTime == nil)
        }
        var chosen: [UInt64: (checkpoint: Checkpoint, note: SignedNote)] = [:]
        for event in events {
            let index = UInt64(event.index)
            if let before = candidates.last(where: { $0.checkpoint.size <= index }) {
                chosen[before.checkpoint.size] = before
            }
            if let after = candidates.first(where: { $0.checkpoint.size > index }) {
                chosen[after.checkpoint.size] = after
            }
        }
        for checkpoint in [main] + chosen.values.map(\.checkpoint) {
            let newest = try ledger.store.entry(at: Int(checkpoint.size) - 1)?.logTime
            guard checkpoint.logTime == newest else {
                throw BundleError.damagedLedger(
                    "the stored checkpoint of size \(checkpoint.size) states log time "
                        + "\(checkpoint.logTime.map(Timestamp.format) ?? "none"), but its newest entry has "
                        + (newest.map(Timestamp.format) ?? "none")
                )
            }
        }
        return chosen.values.sorted { $0.checkpoint.size < $1.checkpoint.size }
    }

    /// The consistency proof from `old` to `new`, checked against both before it is written.
    private func consistencyProof(from old: Checkpoint, to new: Checkpoint) throws -> BundleConsistencyProof {
        let proof = try ledger.consistencyProof(from: Int(old.size), to: Int(new.size))
        let bundled = BundleConsistencyProof(oldSize: old.size, newSize: new.size, hashes: proof.hashes)
        guard proof.oldRoot == old.rootHash, proof.newRoot == new.rootHash, bundled.proves(old, isPrefixOf: new) else {
            throw BundleError.damagedLedger(
                "the stored checkpoint of size \(old.size) is not consistent with the log's tree of \(new.size)"
            )
        }
        return bundled
    }

    /// The log times of `entries` (index, log time), or none when the log kept none for them (it
    /// recorded no time before a schema upgrade): then no checkpoint may state one either.
    private func logTimes(
        of entries: [(index: Int, time: Date?)],
        checkpoints: [Checkpoint]
    ) throws -> [(index: Int, time: Date)] {
        let timed = entries.compactMap { entry in entry.time.map { (entry.index, $0) } }
        if timed.isEmpty && checkpoints.allSatisfy({ $0.logTime == nil }) { return [] }
        if let untimed = entries.filter({ $0.time == nil }).map(\.index).min() {
            throw BundleError.missingLogTime(index: untimed)
        }
        return timed
    }

    /// The governance entries the case rests on (`BundleGovernance`), the parties they cover, and
    /// the consortium as it stands at the checkpoint. Each bracketing checkpoint is checked on the
    /// way to be the log's, by the consortium as it stood at its size; the witnesses cosigning it
    /// are among the parties covered.
    private func governance(
        of state: CaseState,
        pipeline: Pipeline,
        checkpoint note: SignedNote,
        size: Int,
        brackets: [(checkpoint: Checkpoint, note: SignedNote)]
    ) throws -> (entries: [GovernanceEntry], parties: Set<String>, state: GovernanceState) {
        let entries = try ledger.store.entries(ofCase: LedgerChain.consortium).filter { $0.index < size }.map {
            try GovernanceEntry($0)
        }
        var folded = GovernanceState()
        var cosigners: Set<String> = []
        var pending = brackets[...]
        func checkBrackets(upTo index: Int) throws {
            while let bracket = pending.first, bracket.checkpoint.size <= UInt64(index) {
                pending = pending.dropFirst()
                let signatures = try CheckpointSignatures(
                    of: bracket.note,
                    checkpoint: bracket.checkpoint,
                    governance: folded
                )
                guard signatures.isAcceptable else {
                    throw BundleError.damagedLedger(
                        "the stored checkpoint of size \(bracket.checkpoint.size) is not the log's: "
                            + signatures.problems.joined(separator: "; ")
                    )
                }
                cosigners.formUnion(signatures.cosigners.map(\.party))
            }
        }
        for entry in entries {
            try checkBrackets(upTo: entry.index)
            do {
                try folded.apply(entry)
            } catch {
                throw GovernanceError.corrupt(index: entry.index, reason: error.reason)
            }
        }
        try checkBrackets(upTo: Int.max)
        var parties = Set(pipeline.openedBy + [pipeline.orchestrator]).union(cosigners)
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
