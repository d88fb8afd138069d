import Foundation

/// The consortium as its governance entries make it: members and their keys (with validity and
/// revocation), the policy, the pipeline versions in force, the proposals and their approvals, and
/// the settings the genesis fixed. A pure fold: the same entries in the same order always give the
/// same state, and `apply` is also the check a change must pass before it is appended — a refused
/// change throws and leaves the state as it was.
///
/// The rules are CONSORTIUM.md's "Changes" table; docs/GOVERNANCE.md spells out each one.
public struct GovernanceState: Sendable, GovernanceView {
    public internal(set) var settings: ConsortiumSettings?
    public internal(set) var genesis: Genesis?
    public internal(set) var policy: ConsortiumPolicy?
    /// The newest entry folded.
    public internal(set) var head: ChainHead?
    public internal(set) var members: [String: ConsortiumMember] = [:]
    public internal(set) var keys: [String: MemberKey] = [:]
    /// Versions in force, by digest.
    public internal(set) var versions: [Digest: PipelineVersion] = [:]
    /// Version digests in force by pipeline id, oldest first.
    public internal(set) var pipelines: [String: [Digest]] = [:]
    /// Every proposal, pending or in force, by id (its entry's log index).
    public internal(set) var proposals: [Int: Proposal] = [:]
    /// Folded from only some governance entries (an audit bundle's): consecutive entries need not
    /// chain, and rules that would need the entries left out (a key's owner among parties the
    /// bundle does not carry) see only what is there.
    public var isPartial = false
    /// The records changed since `dirty` was last emptied (what a cache must write back).
    var dirty: Set<GovernanceRecord.Key> = []

    public init() {}

    /// Folds `entries` in order; throws at the first that does not apply.
    public init(folding entries: some Sequence<GovernanceEntry>) throws(GovernanceError) {
        for entry in entries {
            do {
                try apply(entry)
            } catch {
                throw .corrupt(index: entry.index, reason: error.reason)
            }
        }
    }

    init(
        settings: ConsortiumSettings?,
        genesis: Genesis?,
        policy: ConsortiumPolicy?,
        head: ChainHead?,
        members: [String: ConsortiumMember],
        keys: [String: MemberKey],
        versions: [Digest: PipelineVersion],
        proposals: [Int: Proposal]
    ) {
        self.settings = settings
        self.genesis = genesis
        self.policy = policy
        self.head = head
        self.members = members
        self.keys = keys
        self.versions = versions
        self.proposals = proposals
        pending = Set(proposals.values.filter(\.isPending).map(\.index))
        for version in versions.values.sorted(by: { $0.inForceAt < $1.inForceAt }) {
            pipelines[version.pipeline, default: []].append(version.digest)
        }
    }

    // MARK: GovernanceView

    public func member(_ id: String) -> ConsortiumMember? { members[id] }
    public func key(_ keyID: String) -> MemberKey? { keys[keyID] }
    public func version(_ digest: Digest) -> PipelineVersion? { versions[digest] }
    public func versions(of pipeline: String) -> [Digest] { pipelines[pipeline] ?? [] }
    public func pipelineIDs() -> [String] { pipelines.keys.sorted() }

    /// Pending proposals, oldest first.
    public var pendingProposals: [Proposal] {
        pending.sorted().compactMap { proposals[$0] }
    }

    /// The ids of the pending proposals (an index of `proposals`, kept as they change).
    var pending: Set<Int> = []

    /// The approvals of `proposal` that count under the policy in force: those of current admins.
    public func countedApprovals(of proposal: Proposal) -> [String] {
        let admins = Set(policy?.admins ?? [])
        return proposal.approvals.map(\.party).filter(admins.contains)
    }

    /// The keys of `party` that are in force (not revoked), in the order they came into force.
    func liveKeys(of party: String) -> [MemberKey] {
        (members[party]?.keyIDs ?? []).compactMap { keys[$0] }.filter { $0.revocation == nil }
    }
}

/// What applying an entry did.
public enum GovernanceOutcome: Sendable, Equatable {
    /// The change is in force from this entry (genesis, a rotation, a party's own revocation, or a
    /// proposal whose proposer's approval completes the quorum).
    case inForce(proposal: Int?)
    /// The entry made proposal `proposal`, which awaits approvals.
    case pending(proposal: Int)
    /// The entry approved `proposal`; `inForce` when this approval completed its quorum.
    case approved(proposal: Int, inForce: Bool)
}

// MARK: - Applying entries

extension GovernanceState {
    /// Checks `entry` against the state and folds it in. Throws `GovernanceError.refused` (the state
    /// unchanged) when the entry is not acceptable here: its signatures, its signer's right to make
    /// the change, or the change itself (see docs/GOVERNANCE.md).
    @discardableResult
    public mutating func apply(_ entry: GovernanceEntry) throws(GovernanceError) -> GovernanceOutcome {
        // Every rule is checked before anything changes, so a refusal leaves the state as it was
        // and the fold mutates in place (no copy of the state per entry).
        let outcome = try applying(entry)
        head = ChainHead(index: entry.index, leaf: entry.leafHash)
        dirty.insert(.consortium)
        return outcome
    }

    private mutating func applying(_ entry: GovernanceEntry) throws(GovernanceError) -> GovernanceOutcome {
        let predicate = entry.predicate
        let what = Self.describe(predicate.change, by: predicate.party)
        func refused(_ reason: String) -> GovernanceError { .refused(what: what, reason: reason) }
        if let head {
            guard entry.index > head.index else { throw refused("it is not newer than governance entry \(head.index)") }
            if !isPartial, predicate.previous != head.leaf {
                throw refused(
                    "it was signed against an older state of the consortium (another change landed since): sign again"
                )
            }
        }
        if let logTime = entry.logTime, predicate.signedAt.timeIntervalSince(logTime) > 300 {
            throw refused(
                "it is signed at \(Timestamp.format(predicate.signedAt)), later than log time "
                    + "\(Timestamp.format(logTime)) + 5 minutes"
            )
        }
        if case .genesis(let settings, let founder, let policy) = predicate.change {
            return try applyGenesis(entry, settings: settings, founder: founder, policy: policy, refused)
        }
        guard genesis != nil else { throw .noConsortium }
        let signers = try verifiedSigners(of: entry, refused)
        switch predicate.change {
        case .genesis: preconditionFailure("handled above")
        case .member(let declaration):
            return try proposeMember(declaration, entry: entry, signers: signers, refused)
        case .pipeline(let id, let version):
            try requireAdmin(predicate.party, signers: signers, refused)
            let files = try versionFiles(entry.statement.subjects, id: id, version: version, refused)
            if let existing = versions[version] {
                throw refused(
                    "\(existing.name) is already in force (since entry \(existing.inForceAt)): nothing to propose"
                )
            }
            return try propose(
                .pipeline(id: id, version: version, files: files),
                entry: entry,
                signers: signers,
                refused
            )
        case .revocation(let party, let keyID, let reason):
            guard let key = keys[keyID], key.party == party else {
                throw refused("party '\(party)' has no key \(keyID.prefix(16))… in force")
            }
            if let revocation = key.revocation {
                throw refused("key \(keyID.prefix(16))… of '\(party)' was already revoked at entry \(revocation.index)")
            }
            let change = Proposal.Change.revocation(party: party, keyID: keyID, reason: reason)
            if predicate.party == party {
                // A party revokes its own key at once, signing with any of its keys in force — even
                // while an admin's proposal of the same revocation waits (its approval then finds
                // the key revoked already and is refused).
                try requireAuthenticated(predicate.party, signers: signers, refused)
                try enact(change, at: entry.index, time: entry.time, by: predicate.party, refused)
                return .inForce(proposal: nil)
            }
            try requireAdmin(predicate.party, signers: signers, refused)
            return try propose(change, entry: entry, signers: signers, refused)
        case .policy(let policy):
            try requireAdmin(predicate.party, signers: signers, refused)
            if policy == self.policy { throw refused("it is the policy in force (\(policy)): nothing to propose") }
            try checkPolicy(policy, at: entry.time, refused)
            return try propose(.policy(policy), entry: entry, signers: signers, refused)
        case .approval(let index, let proposalEntry):
            return try approve(index, entry: proposalEntry, by: entry, signers: signers, refused)
        }
    }

    /// The entry is signed by a key of `party` usable at its signing time.
    func requireAuthenticated(
        _ party: String,
        signers: EntrySigners,
        _ refused: (String) -> GovernanceError
    ) throws(GovernanceError) {
        guard members[party] != nil else { throw refused("'\(party)' is not a member of the consortium") }
        var problems: [String] = []
        for signer in signers.keys where signer.party == party {
            guard let key = keys[signer.keyID] else { continue }
            guard let problem = key.problem(at: signers.at) else { return }
            problems.append(problem)
        }
        throw refused(
            problems.first ?? "it is not signed by a key of '\(party)' in force (signed by: "
                + signers.keys.map { $0.party ?? "a new key" }.joined(separator: ", ") + ")"
        )
    }

    /// The entry's signer is an admin under the policy in force, signing with a key in force.
    func requireAdmin(
        _ party: String,
        signers: EntrySigners,
        _ refused: (String) -> GovernanceError
    ) throws(GovernanceError) {
        guard let policy, policy.admins.contains(party) else {
            throw refused(
                "only an admin may make it, and '\(party)' is not one (admins: \(policy?.admins.joined(separator: ", ") ?? "none"))"
            )
        }
        try requireAuthenticated(party, signers: signers, refused)
    }

    /// No pending proposal already proposes exactly `change`.
    func requireNoDuplicate(
        _ change: Proposal.Change,
        _ refused: (String) -> GovernanceError
    ) throws(GovernanceError) {
        if let duplicate = pendingProposals.first(where: { $0.change == change }) {
            throw refused(
                "proposal \(duplicate.index) already proposes exactly this: approve it with "
                    + "`countersign approve \(duplicate.index)`"
            )
        }
    }

    /// Records a proposal; the proposer's entry counts as its approval when the proposer is an
    /// admin, which brings it into force at once when that completes the quorum.
    mutating func propose(
        _ change: Proposal.Change,
        entry: GovernanceEntry,
        signers: EntrySigners,
        _ refused: (String) -> GovernanceError
    ) throws(GovernanceError) -> GovernanceOutcome {
        try requireNoDuplicate(change, refused)
        let proposer = entry.predicate.party
        var proposal = Proposal(
            index: entry.index,
            entry: entry.leafHash,
            proposer: proposer,
            change: change,
            subjects: entry.statement.subjects,
            approvals: [],
            inForceAt: nil
        )
        if policy?.admins.contains(proposer) == true,
            (try? requireAuthenticated(proposer, signers: signers, refused)) != nil
        {
            proposal.approvals.append(Proposal.Approval(party: proposer, index: entry.index))
        }
        if countedApprovals(of: proposal).count >= policy?.quorum ?? 1 {
            try enact(change, at: entry.index, time: entry.time, by: proposer, refused)
            proposal.inForceAt = entry.index
        }
        proposals[entry.index] = proposal
        if proposal.isPending { pending.insert(entry.index) }
        dirty.insert(.proposal(entry.index))
        return proposal.isPending ? .pending(proposal: entry.index) : .inForce(proposal: entry.index)
    }

    private mutating func approve(
        _ index: Int,
        entry proposalEntry: Digest,
        by entry: GovernanceEntry,
        signers: EntrySigners,
        _ refused: (String) -> GovernanceError
    ) throws(GovernanceError) -> GovernanceOutcome {
        guard var proposal = proposals[index] else { throw refused("entry \(index) is no proposal") }
        guard proposal.entry == proposalEntry else {
            throw refused(
                "it names entry hash \(proposalEntry.hex.prefix(16))…, which is not that of proposal \(index)"
            )
        }
        if let inForceAt = proposal.inForceAt {
            throw refused("proposal \(index) is already in force (since entry \(inForceAt))")
        }
        let approver = entry.predicate.party
        try requireAdmin(approver, signers: signers, refused)
        if proposal.approvals.contains(where: { $0.party == approver }) {
            throw refused("'\(approver)' already approved proposal \(index)")
        }
        guard entry.statement.subjects == proposal.subjects else {
            throw refused("its subjects are not those of proposal \(index) (\(proposal.summary))")
        }
        proposal.approvals.append(Proposal.Approval(party: approver, index: entry.index))
        if countedApprovals(of: proposal).count >= policy?.quorum ?? 1 {
            do {
                try enact(proposal.change, at: entry.index, time: entry.time, by: proposal.proposer, refused)
            } catch {
                throw refused("proposal \(index) (\(proposal.summary)) can no longer take effect: \(error.reason)")
            }
            proposal.inForceAt = entry.index
        }
        proposals[index] = proposal
        if !proposal.isPending { pending.remove(index) }
        dirty.insert(.proposal(index))
        return .approved(proposal: index, inForce: !proposal.isPending)
    }

    /// Puts a change in force from log index `index`, checking again what may have changed since
    /// it was proposed.
    mutating func enact(
        _ change: Proposal.Change,
        at index: Int,
        time: Date,
        by party: String,
        _ refused: (String) -> GovernanceError
    ) throws(GovernanceError) {
        switch change {
        case .member(let declaration):
            for declared in declaration.keys {
                if let owner = keys[declared.keyID]?.party, owner != declaration.id {
                    throw refused("key \(declared.keyID.prefix(16))… now belongs to party '\(owner)'")
                }
            }
            var member =
                members[declaration.id]
                ?? ConsortiumMember(id: declaration.id, name: declaration.name, keyIDs: [], joinedAt: index)
            member.name = declaration.name
            for declared in declaration.keys {
                if var key = keys[declared.keyID] {
                    key.since = declared.since
                    key.until = declared.until
                    keys[declared.keyID] = key
                } else {
                    keys[declared.keyID] = MemberKey(
                        keyID: declared.keyID,
                        party: declaration.id,
                        publicKey: declared.publicKey,
                        since: declared.since,
                        until: declared.until,
                        addedAt: index,
                        inForceSince: time,
                        revocation: nil
                    )
                    member.keyIDs.append(declared.keyID)
                }
                dirty.insert(.key(declared.keyID))
            }
            members[declaration.id] = member
            dirty.insert(.member(declaration.id))
        case .pipeline(let id, let version, let files):
            guard versions[version] == nil else { throw refused("version sha256:\(version.hex) is already in force") }
            let proposedAt = proposals.values.first { $0.change == change }?.index ?? index
            versions[version] = PipelineVersion(
                pipeline: id,
                digest: version,
                files: files,
                proposedAt: proposedAt,
                inForceAt: index
            )
            pipelines[id, default: []].append(version)
            dirty.insert(.version(version))
        case .revocation(_, let keyID, let reason):
            guard var key = keys[keyID] else { throw refused("no key \(keyID.prefix(16))…") }
            if let revocation = key.revocation {
                throw refused("the key was already revoked at entry \(revocation.index)")
            }
            key.revocation = MemberKey.Revocation(index: index, by: party, reason: reason)
            keys[keyID] = key
            dirty.insert(.key(keyID))
        case .policy(let policy):
            self.policy = policy
        }
    }
}

// MARK: - Describing changes

extension GovernanceState {
    /// How a refusal names the change: `proposal of party lawyer by bank`, `approval of proposal 3 by bank`.
    static func describe(_ change: GovernanceChange, by party: String) -> String {
        switch change {
        case .genesis: "the genesis by \(party)"
        case .member(let member): "proposal of party \(member.id) by \(party)"
        case .pipeline(let id, let version): "proposal of pipeline \(id)@sha256:\(version.hex.prefix(12))… by \(party)"
        case .revocation(let revoked, let keyID, _): "revocation of key \(keyID.prefix(16))… of \(revoked) by \(party)"
        case .policy: "policy proposal by \(party)"
        case .approval(let proposal, _): "approval of proposal \(proposal) by \(party)"
        }
    }
}
