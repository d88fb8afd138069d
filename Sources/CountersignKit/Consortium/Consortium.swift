import Foundation

/// Makes governance changes: builds the entry, signs it, checks it against the consortium as it
/// stands (the same fold `log verify` replays), and appends it at the head of the governance
/// chain — or refuses it and appends nothing (CONSORTIUM.md "Changes").
public final class Consortium {
    public let ledger: Ledger
    /// The state after this object's last append, reused while the log's governance chain still
    /// ends there (a run of changes folds each entry once).
    private var known: GovernanceState?

    public init(ledger: Ledger) {
        self.ledger = ledger
    }

    /// What one appended governance entry did.
    public struct Receipt: Sendable {
        /// The entry's log index (a proposal's id).
        public let index: Int
        public let outcome: GovernanceOutcome
        /// The consortium after the entry.
        public let state: GovernanceState
        /// What the entry changes or approves, in a few words.
        public let summary: String

        /// The proposal the entry made or approved, if any.
        public var proposal: Proposal? {
            switch outcome {
            case .inForce(let id): id.flatMap { state.proposals[$0] }
            case .pending(let id), .approved(let id, _): state.proposals[id]
            }
        }

        /// Whether what the entry changes or approves is now in force.
        public var inForce: Bool {
            switch outcome {
            case .inForce: true
            case .pending: false
            case .approved(_, let inForce): inForce
            }
        }

        /// What the proposal still needs, or `in force`.
        public var needs: String {
            guard !inForce, let proposal else { return "in force" }
            return state.needs(of: proposal)
        }
    }

    /// The consortium as the ledger holds it now.
    public func state() throws -> GovernanceState {
        if let known, try ledger.store.chainHead(LedgerChain.consortium) == known.head { return known }
        return try GovernanceCache(store: ledger.store).state()
    }

    // MARK: Changes

    /// The genesis entry of an empty ledger: `founder` (its party file) becomes the only member and
    /// admin, with the keys its file lists, each of which signs.
    public func found(
        founder: Party,
        keys: [Ed25519PrivateKey],
        origin: String,
        clock: ConsortiumSettings.Clock,
        signedAt: Date
    ) throws -> Receipt {
        let size = try ledger.size()
        guard size == 0 else { throw GovernanceError.alreadyFounded(entries: size) }
        let declaration = MemberDeclaration(founder)
        return try append(
            .genesis(
                settings: ConsortiumSettings(origin: origin, clock: clock),
                founder: declaration,
                policy: .founding(founder.id)
            ),
            subjects: [try Self.subject(of: founder)],
            party: founder.id,
            keys: keys,
            signedAt: signedAt
        )
    }

    /// Proposes a party file, signed by `party` with `keys` (its own key, and every new key the file adds).
    public func propose(
        member file: Party,
        as party: String,
        keys: [Ed25519PrivateKey],
        signedAt: Date
    ) throws
        -> Receipt
    {
        try append(
            .member(MemberDeclaration(file)),
            subjects: [try Self.subject(of: file)],
            party: party,
            keys: keys,
            signedAt: signedAt
        )
    }

    /// Proposes a pipeline version: its files are stored with the entry. The pipeline must load from
    /// those files alone, naming only parties that are members.
    public func propose(pipeline: Pipeline, as party: String, key: Ed25519PrivateKey, signedAt: Date) throws -> Receipt
    {
        let members = Set(try state().members.keys)
        do {
            let reloaded = try Pipeline(
                bytes: pipeline.files.pipeline,
                path: pipeline.path,
                parties: members,
                schemas: .files(pipeline.files.schemas)
            )
            guard reloaded.files == pipeline.files else {
                throw GovernanceError.refused(
                    what: "proposal of pipeline \(pipeline.id)",
                    reason: "it does not load from its own files alone"
                )
            }
        } catch let diagnostics as Diagnostics {
            throw GovernanceError.refused(
                what: "proposal of pipeline \(pipeline.id)",
                reason: "it does not load with the members in force: "
                    + diagnostics.all.map(\.description).joined(separator: "; ")
            )
        }
        let files = pipeline.files.all
        return try append(
            .pipeline(id: pipeline.id, version: pipeline.files.digest),
            subjects: try files.map { try Statement.Subject(name: $0.path, sha256: SHA256.hash($0.bytes)) },
            party: party,
            keys: [key],
            signedAt: signedAt,
            documents: files.map { StoredDocument(exactBytes: $0.bytes) }
        )
    }

    /// Approves pending proposal `id`.
    public func approve(_ id: Int, as party: String, key: Ed25519PrivateKey, signedAt: Date) throws -> Receipt {
        let state = try self.state()
        guard let proposal = state.proposals[id] else {
            throw GovernanceError.refused(
                what: "approval of proposal \(id) by \(party)",
                reason:
                    "entry \(id) is no proposal (pending: \(state.pendingProposals.map { String($0.index) }.joined(separator: ", ")))"
            )
        }
        return try append(
            .approval(proposal: id, entry: proposal.entry),
            subjects: proposal.subjects,
            party: party,
            keys: [key],
            signedAt: signedAt
        )
    }

    /// Revokes `keyID` of `owner`: at once when the owner signs, else as an admin's proposal.
    public func revoke(
        _ keyID: String,
        of owner: String,
        reason: String?,
        as party: String,
        key: Ed25519PrivateKey,
        signedAt: Date
    ) throws -> Receipt {
        try append(
            .revocation(party: owner, keyID: keyID, reason: reason),
            subjects: [try Statement.Subject(name: "keys/\(owner)", sha256: Digest(hex: keyID) ?? SHA256.hash([]))],
            party: party,
            keys: [key],
            signedAt: signedAt
        )
    }

    /// Proposes a new policy.
    public func propose(
        policy: ConsortiumPolicy,
        as party: String,
        key: Ed25519PrivateKey,
        signedAt: Date
    ) throws
        -> Receipt
    {
        try append(
            .policy(policy),
            subjects: [try Statement.Subject(name: "policy", sha256: SHA256.hash(policy.json))],
            party: party,
            keys: [key],
            signedAt: signedAt
        )
    }

    // MARK: Appending

    /// Signs, checks and appends one governance entry at the head of the governance chain.
    private func append(
        _ change: GovernanceChange,
        subjects: [Statement.Subject],
        party: String,
        keys: [Ed25519PrivateKey],
        signedAt: Date,
        documents: [StoredDocument] = []
    ) throws -> Receipt {
        var state = try self.state()
        // This object's copy is dropped while the entry is folded in, so the fold mutates the state
        // in place instead of copying it.
        known = nil
        let previous = state.head
        let predicate = try GovernancePredicate(
            change: change,
            party: party,
            signedAt: signedAt,
            previous: previous?.leaf
        )
        let statement = GovernanceStatement(subjects: subjects, predicate: predicate)
        let envelope = try Envelope.sign(statement: statement, keys: keys)
        // Checked where and when it should land (a refusal leaves `state` as it was and appends
        // nothing)...
        let expected = try ledger.size()
        let simulated = (state.settings?.clock ?? change.clock) == .simulated
        let logTime = max(Timestamp.truncated(signedAt), try ledger.store.newestLogTime() ?? .distantPast)
        state.dirty = []
        var outcome = try state.apply(
            GovernanceEntry(envelope: envelope, statement: statement, index: expected, logTime: logTime)
        )
        let appended: LedgerEntry
        do {
            appended = try ledger.append([
                NewEntry(
                    envelope: envelope.bytes,
                    caseID: LedgerChain.consortium,
                    expectedPrevious: previous?.leaf,
                    documents: documents,
                    logTime: simulated ? logTime : nil
                )
            ])[0]
        } catch StorageError.caseMovedOn {
            throw GovernanceError.movedOn
        }
        // ...and folded again where it landed, if an entry of a case came in between.
        if appended.index != expected || appended.logTime != logTime {
            state = try GovernanceState(folding: try governanceEntries(upTo: appended.index))
            state.dirty = []
            outcome = try state.apply(
                GovernanceEntry(
                    envelope: envelope,
                    statement: statement,
                    index: appended.index,
                    logTime: appended.logTime
                )
            )
        }
        try GovernanceCache.record(state, after: previous, in: ledger.store)
        state.dirty = []
        let summary: String
        if case .approval(let proposal, _) = change {
            summary = state.proposals[proposal]?.summary ?? change.summary
        } else if case .member(let member) = change, state.proposals[appended.index] == nil {
            summary = "keys of \(member.id), by the party itself (a rotation)"
        } else {
            summary = change.summary
        }
        known = state
        return Receipt(index: appended.index, outcome: outcome, state: state, summary: summary)
    }

    /// The governance entries before log index `index`, decoded.
    private func governanceEntries(upTo index: Int) throws -> [GovernanceEntry] {
        try ledger.store.entries(ofCase: LedgerChain.consortium).filter { $0.index < index }.map {
            try GovernanceEntry($0)
        }
    }

    /// Founds a consortium in one go (tests, demos, benchmarks): `founder` the only admin, then
    /// every other party file proposed by the founder and co-signed by that party's key in `keys`
    /// (its proof of possession), then every pipeline proposed by the founder — each in force at
    /// once under the founding policy (quorum 1 of the founder).
    @discardableResult
    public func bootstrap(
        founder: Party,
        parties: [Party],
        keys: [String: Ed25519PrivateKey],
        pipelines: [Pipeline],
        origin: String,
        clock: ConsortiumSettings.Clock = .simulated,
        at date: Date
    ) throws -> GovernanceState {
        guard let founderKey = keys[founder.id] else {
            throw GovernanceError.refused(what: "the genesis by \(founder.id)", reason: "no key of the founder given")
        }
        _ = try found(founder: founder, keys: [founderKey], origin: origin, clock: clock, signedAt: date)
        for party in parties where party.id != founder.id {
            let own = keys[party.id].map { [$0] } ?? []
            _ = try propose(member: party, as: founder.id, keys: [founderKey] + own, signedAt: date)
        }
        for pipeline in pipelines {
            _ = try propose(pipeline: pipeline, as: founder.id, key: founderKey, signedAt: date)
        }
        return try state()
    }

    /// A party file as a subject: its path and the SHA-256 of its bytes.
    static func subject(of file: Party) throws -> Statement.Subject {
        try Statement.Subject(name: "parties/\(file.id).yaml", sha256: SHA256.hash(file.bytes))
    }
}

extension ConsortiumPolicy {
    /// `{"admins":[…],"quorum":K,"log":"PARTY"}`, the compact JSON a policy entry's subject hashes.
    public var json: [UInt8] {
        var writer = CompactJSONWriter()
        writer.object { writer in
            writer.member("admins", admins)
            writer.member("quorum", quorum)
            writer.member("log", logSigner)
        }
        return writer.bytes
    }
}

extension GovernanceState {
    /// What a pending proposal still needs: `needs 1 more approval of bank, regulator (quorum 2 of …)`.
    public func needs(of proposal: Proposal) -> String {
        guard proposal.isPending else { return "in force" }
        guard let policy else { return "no policy" }
        let counted = countedApprovals(of: proposal)
        let missing = policy.quorum - counted.count
        let others = policy.admins.filter { !counted.contains($0) }
        let approved = counted.isEmpty ? "no approval yet" : "approved by \(counted.joined(separator: ", "))"
        return "needs \(missing) more approval\(missing == 1 ? "" : "s") of \(others.joined(separator: ", ")) "
            + "(\(approved); quorum \(policy.quorum) of [\(policy.admins.joined(separator: ", "))])"
    }
}
