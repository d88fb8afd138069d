import Foundation

/// The governance rules of CONSORTIUM.md's "Changes" table, each action checked against the
/// consortium as it stands and, when accepted, applied.
extension GovernanceModel {
    /// Genesis: only on an empty ledger; the founder the only member and admin, quorum 1 of it.
    mutating func found(_ founder: Declaration) throws(Refusal) -> Verdict {
        guard size == 0 else { throw .alreadyFounded }
        addMember(founder)
        policy = Policy(admins: [founder.party], quorum: 1, logSigner: founder.party)
        return .atOnce
    }

    /// A party file: by the party itself (a member, or one joining with its own file) or by an
    /// admin ("a change to another party's file from a non-admin" is refused), signed by the
    /// proposer's key in force and by every new key it adds (proof of possession); a new key may not
    /// belong to another party, and a file that changes nothing is refused. The party's own file
    /// that only adds keys or narrows windows is a rotation, in force at once; anything else is a
    /// proposal, approved under the policy.
    mutating func proposeMember(
        _ file: Declaration,
        by proposer: String,
        key: String?,
        proofs: [String],
        at time: Date
    ) throws(Refusal) -> Verdict {
        let current = members[file.party]
        if current == nil && proposer == file.party {
            // A party proposing its own new file is how it joins: it has no key in force yet, so its
            // new keys alone sign (any other key is not its own).
            if let key { try checkSigner(proposer, key: key, at: time) }
        } else {
            guard members[proposer] != nil else { throw .notMember }
            guard let key else { throw .unknownKey }
            try checkSigner(proposer, key: key, at: time)
            guard proposer == file.party || isAdmin(proposer) else { throw .othersFile }
        }
        let known = Set(current?.keyIDs ?? [])
        let added = file.keys.filter { !known.contains($0.id) }
        // `keys` holds every key ever in force; a revoked key still belongs to its party.
        if added.contains(where: { keys[$0.id] != nil }) { throw .keyOfAnotherParty }
        if added.contains(where: { !proofs.contains($0.id) }) { throw .noProofOfPossession }
        var rotation = false
        if let current {
            let listed = Dictionary(file.keys.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let live = liveKeys(of: current.id)
            // **Contract silent** on a file that leaves out a key in force. The table offers no
            // "remove a key" change; a key leaves by revocation. The engine refuses such a file.
            if live.contains(where: { listed[$0.id] == nil }) { throw .keyDropped }
            let windows = live.map { (old: $0, new: listed[$0.id]!) }
            let sameWindows = windows.allSatisfy { $0.old.since == $0.new.since && $0.old.until == $0.new.until }
            if file.name == current.name && added.isEmpty && sameWindows { throw .changesNothing }
            // A rotation: the party's own file, signed by its current key and every new key,
            // only adding keys or narrowing windows (never widening one, never renaming).
            // **Contract silent** on a file of the party itself that only narrows windows (no new
            // key): the engine takes it as a rotation too, in force at once.
            rotation =
                proposer == file.party && file.name == current.name
                && windows.allSatisfy { Self.narrows($0.new, $0.old) }
        }
        if rotation {
            applyMember(file)
            return .atOnce
        }
        return try propose(.member(file), by: proposer)
    }

    /// Whether `new` is `old`'s window or a narrower one.
    static func narrows(_ new: DeclaredKey, _ old: Key) -> Bool {
        let since = (new.since ?? .distantPast) >= (old.since ?? .distantPast)
        let until = (new.until ?? .distantFuture) <= (old.until ?? .distantFuture)
        return since && until
    }

    /// A pipeline version: by an admin, approved under the policy.
    mutating func proposePipeline(
        _ digest: String,
        by party: String,
        key: String,
        at time: Date
    ) throws(Refusal) -> Verdict {
        let version = catalog[digest]!
        // `Consortium.propose(pipeline:)`: a version must load naming only members in force.
        guard version.parties.allSatisfy({ members[$0] != nil }) else { throw .namesNonMember }
        try checkSigner(party, key: key, at: time)
        guard isAdmin(party) else { throw .notAdmin }
        guard !versionIsInForce(digest) else { throw .changesNothing }
        return try propose(.pipeline(digest: digest), by: party)
    }

    /// A policy (admins that are members, a quorum of 1 to their number): by an admin, approved
    /// under the policy in force.
    mutating func proposePolicy(
        _ proposed: Policy,
        by party: String,
        key: String,
        at time: Date
    ) throws(Refusal) -> Verdict {
        try checkSigner(party, key: key, at: time)
        guard isAdmin(party) else { throw .notAdmin }
        let admitted = proposed.admins.allSatisfy { members[$0] != nil } && members[proposed.logSigner] != nil
        guard admitted, !proposed.admins.isEmpty, (1...proposed.admins.count).contains(proposed.quorum) else {
            throw .invalidPolicy
        }
        guard proposed != policy else { throw .changesNothing }
        // **Contract silent** on a policy nobody could act under: the engine refuses one whose
        // admins holding a key usable at its signing are fewer than its quorum, or whose log signer
        // holds no such key.
        guard proposed.admins.filter({ !usableKeys(of: $0, at: time).isEmpty }).count >= proposed.quorum else {
            throw .quorumWithoutKeys
        }
        guard !usableKeys(of: proposed.logSigner, at: time).isEmpty else { throw .logSignerWithoutKey }
        return try propose(.policy(proposed), by: party)
    }

    /// The party itself revokes at once; an admin's revocation of another's key is a proposal.
    mutating func revoke(
        _ keyID: String,
        of owner: String,
        by party: String,
        key: String,
        at time: Date
    ) throws(Refusal) -> Verdict {
        try checkSigner(party, key: key, at: time)
        guard let target = keys[keyID], target.party == owner else { throw .noSuchKey }
        guard target.isLive else { throw .alreadyRevoked }
        if party == owner {
            keys[keyID]!.revokedAt = size
            return .atOnce
        }
        guard isAdmin(party) else { throw .notAdmin }
        return try propose(.revocation(party: owner, keyID: keyID), by: party)
    }

    /// A change that needs approval: the proposer's own entry counts as its approval.
    /// **Contract silent** on a proposer that is no admin when it proposes and becomes one before
    /// the quorum: the engine counts the proposing entry only when its signer is an admin then, so
    /// such a proposer approves with an approval of its own later. And on proposing what a pending
    /// proposal already proposes: the engine refuses it, pointing to the pending one.
    mutating func propose(_ change: Change, by proposer: String) throws(Refusal) -> Verdict {
        if proposals.values.contains(where: { $0.isPending && $0.change == change }) { throw .alreadyProposed }
        let approvals = isAdmin(proposer) ? [proposer] : []
        var proposal = Proposal(index: size, proposer: proposer, change: change, approvals: approvals)
        let inForce = counted(proposal.approvals) >= policy!.quorum
        if inForce {
            applyChange(change)
            proposal.inForceAt = size
        }
        proposals[size] = proposal
        return .proposed(inForce: inForce)
    }

    /// Approvals: by admins only, once each, of a pending proposal; in force once the admins'
    /// approvals reach the quorum of the policy in force.
    mutating func approve(_ id: Int, by party: String, key: String, at time: Date) throws(Refusal) -> Verdict {
        try checkSigner(party, key: key, at: time)
        guard isAdmin(party) else { throw .notAdmin }
        guard var proposal = proposals[id] else { throw .noSuchProposal }
        guard proposal.isPending else { throw .notPending }
        guard !proposal.approvals.contains(party) else { throw .approvedTwice }
        proposal.approvals.append(party)
        let inForce = counted(proposal.approvals) >= policy!.quorum
        if inForce {
            try checkStillApplies(proposal.change)
            applyChange(proposal.change)
            proposal.inForceAt = size
        }
        proposals[id] = proposal
        return .approved(inForce: inForce)
    }

    /// **Contract silent** on a proposal that the log has overtaken before its quorum: the engine
    /// refuses the approval that would bring into force a key that meanwhile became another
    /// party's, or revoke a key already revoked. A stale party file otherwise applies as written.
    func checkStillApplies(_ change: Change) throws(Refusal) {
        switch change {
        case .member(let file):
            if file.keys.contains(where: { keys[$0.id].map { $0.party != file.party } ?? false }) {
                throw .noLongerApplies
            }
        case .revocation(_, let keyID):
            if keys[keyID]?.isLive != true { throw .noLongerApplies }
        case .pipeline, .policy: break
        }
    }

    mutating func applyChange(_ change: Change) {
        switch change {
        case .member(let file): applyMember(file)
        case .pipeline(let digest): versions[catalog[digest]!.pipeline, default: []].append(digest)
        case .revocation(_, let keyID): keys[keyID]!.revokedAt = size
        case .policy(let policy): self.policy = policy
        }
    }

    /// A party file in force: its name, its keys' windows, its new keys added; a revoked key stays
    /// revoked (history is never rewritten). **Contract silent** on a file approved after the log
    /// overtook it: the engine keeps a key in force that the file no longer lists, and gives a key
    /// revoked meanwhile the window the file declares (which changes nothing: it stays revoked).
    mutating func applyMember(_ file: Declaration) {
        guard members[file.party] != nil else { return addMember(file) }
        members[file.party]!.name = file.name
        for declared in file.keys {
            if keys[declared.id] != nil {
                keys[declared.id]!.since = declared.since
                keys[declared.id]!.until = declared.until
            } else {
                keys[declared.id] = Key(
                    id: declared.id,
                    party: file.party,
                    since: declared.since,
                    until: declared.until
                )
                members[file.party]!.keyIDs.append(declared.id)
            }
        }
    }

    mutating func addMember(_ file: Declaration) {
        members[file.party] = Member(id: file.party, name: file.name, keyIDs: file.keys.map(\.id))
        for declared in file.keys {
            keys[declared.id] = Key(id: declared.id, party: file.party, since: declared.since, until: declared.until)
        }
    }
}
