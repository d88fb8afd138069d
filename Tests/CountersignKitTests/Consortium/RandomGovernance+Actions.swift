import CountersignKit
import Foundation

/// How each random action picks its party, its file, its key and its moment.
extension RandomGovernance {
    /// How often each action is tried, relative to the others.
    static let weightedActions: [Action] = [
        (Action.rotate, 8), (.addKey, 4), (.rename, 4), (.window, 5), (.foreignKey, 2), (.dropKey, 2),
        (.unchanged, 2), (.join, 3), (.admit, 3), (.approve, 18), (.revokeOwn, 4), (.revokeOther, 4), (.policy, 5),
        (.pipeline, 4), (.open, 8), (.sign, 22), (.genesis, 1), (.duplicate, 2),
    ].flatMap { Array(repeating: $0.0, count: $0.1) }

    func perform(_ action: Action) throws {
        switch action {
        case .genesis: try found(currentFile(of: "alpha"))
        case .rotate: try rotate()
        case .addKey: try addKey()
        case .rename: try rename()
        case .window: try changeWindow()
        case .foreignKey: try addForeignKey()
        case .dropKey: try dropKey()
        case .unchanged: try proposeUnchanged()
        case .join: try join()
        case .admit: try admit()
        case .approve: try approve()
        case .duplicate: try proposeAgain()
        case .revokeOwn: try revokeOwn()
        case .revokeOther: try revokeOther()
        case .policy: try proposePolicy()
        case .pipeline: try proposeVersion()
        case .open: try open()
        case .sign: try sign()
        }
    }

    // MARK: Choosing

    var memberIDs: [String] { model.members.keys.sorted() }
    var adminIDs: [String] { model.policy?.admins.sorted() ?? [] }

    func hours(_ range: ClosedRange<Int>) -> TimeInterval {
        TimeInterval(Int.random(in: range, using: &random) * 3_600)
    }

    /// A member proposing: an admin most of the time.
    func pickProposer() -> String {
        random.chance(0.8) && !adminIDs.isEmpty ? random.pick(adminIDs) : random.pick(memberIDs)
    }

    /// Who proposes `party`'s file: the party itself with chance `own`, else an admin most often,
    /// now and then a party that is no member.
    func proposer(of party: String, own: Double) -> String {
        if random.chance(own) { return party }
        if random.chance(0.08) { return random.pick(Self.parties.filter { model.members[$0] == nil } + ["zulu"]) }
        return pickProposer()
    }

    /// New keys that pending proposals of parties other than `party` list, not in force.
    func contestedKeys(against party: String) -> [String] {
        model.proposals.keys.sorted().compactMap { model.proposals[$0] }.flatMap { proposal in
            guard proposal.isPending, case .member(let file) = proposal.change, file.party != party else {
                return [String]()
            }
            return file.keys.map(\.id).filter { model.keys[$0] == nil }
        }
    }

    /// A key for `party` to sign with: one it may use now most of the time, else one that must be
    /// refused: revoked, outside its window, another party's, one only a pending proposal lists,
    /// or one no party was ever given.
    func signingKey(for party: String) throws -> String {
        let usable = model.usableKeys(of: party, at: now)
        if !usable.isEmpty && random.chance(0.8) { return random.pick(usable).id }
        let own = (model.members[party]?.keyIDs ?? []).compactMap { model.keys[$0] }
        let revoked = own.filter { !$0.isLive }.map(\.id)
        let outside = own.filter { $0.isLive && !$0.isInWindow(at: now) }.map(\.id)
        let others = model.keys.values.filter { $0.party != party && $0.isLive }.map(\.id).sorted()
        let proposed = model.proposals.keys.sorted().compactMap { model.proposals[$0] }.flatMap { proposal in
            guard proposal.isPending, case .member(let file) = proposal.change, file.party == party else {
                return [String]()
            }
            return file.keys.map(\.id).filter { model.keys[$0] == nil }
        }
        let choices = [revoked, outside, others, proposed].filter { !$0.isEmpty }
        if choices.isEmpty || random.chance(0.15) { return try newKey(for: "stranger") }
        let kind = random.pick(choices)
        return random.pick(kind)
    }

    /// `party`'s file as it is in force, listing its revoked keys or not.
    func currentFile(of party: String) -> Declaration {
        let member = model.members[party]!
        let keys = member.keyIDs.compactMap { id -> DeclaredKey? in
            let key = model.keys[id]!
            if !key.isLive && random.chance(0.5) { return nil }
            return DeclaredKey(id: id, since: key.since, until: key.until)
        }
        return Declaration(party: party, name: member.name, keys: keys)
    }

    /// `file` with `keys` as its keys.
    func file(_ file: Declaration, keys: [DeclaredKey]) -> Declaration {
        Declaration(party: file.party, name: file.name, keys: keys)
    }

    /// A new key's window: none most often, sometimes starting later or ending in a few weeks.
    func newWindow() -> (since: Date?, until: Date?) {
        let roll = Int.random(in: 0..<10, using: &random)
        if roll == 0 { return (now + hours(1...72), nil) }
        if roll == 1 { return (nil, now + hours(24...900)) }
        return (nil, nil)
    }

    /// `key` ending in a few hours to weeks, if that narrows it (else as it is).
    func narrowed(_ key: DeclaredKey) -> DeclaredKey {
        var until = now + hours(1...1_000)
        if let old = key.until { until = min(until, old - 3_600) }
        if let since = key.since, until <= since { return key }
        if let old = key.until, until >= old { return key }
        return DeclaredKey(id: key.id, since: key.since, until: until)
    }

    // MARK: Approvals and revocations

    /// An approval: of a pending proposal by an admin that has not approved it, most often; else by
    /// an admin that has, by a member that is no admin, of a proposal in force, of an entry that is
    /// no proposal, of a proposal the log has overtaken.
    func approve() throws {
        let pending = model.proposals.keys.sorted().filter { model.proposals[$0]!.isPending }
        let id: Int
        var approvers: [String]
        // Pending proposals of a party file adding a key that is now another party's.
        let overtaken = pending.filter { id in
            guard case .member(let file) = model.proposals[id]!.change else { return false }
            return file.keys.contains { model.keys[$0.id].map { $0.party != file.party } ?? false }
        }
        // Pending proposals an admin in force has approved already.
        let approvedByAdmins = pending.filter { model.proposals[$0]!.approvals.contains(where: model.isAdmin) }
        if !approvedByAdmins.isEmpty && random.chance(0.1) {
            id = random.pick(approvedByAdmins)
            approvers = adminIDs.filter(model.proposals[id]!.approvals.contains)
        } else if !pending.isEmpty && random.chance(0.8) {
            id = !overtaken.isEmpty && random.chance(0.6) ? random.pick(overtaken) : random.pick(pending)
            let approvals = model.proposals[id]!.approvals
            let roll = Int.random(in: 0..<10, using: &random)
            approvers =
                roll < 6
                ? adminIDs.filter { !approvals.contains($0) }
                : roll < 8 ? adminIDs.filter(approvals.contains) : memberIDs.filter { !model.isAdmin($0) }
        } else {
            let inForce = model.proposals.keys.sorted().filter { !model.proposals[$0]!.isPending }
            let others = (0..<model.size).filter { model.proposals[$0] == nil }
            id = random.chance(0.5) && !inForce.isEmpty ? random.pick(inForce) : random.pick(others + [model.size + 3])
            approvers = adminIDs
        }
        if approvers.isEmpty { approvers = memberIDs }
        let party = random.pick(approvers)
        let key = try signingKey(for: party)
        try attempt(.approve, .approve(id, by: party, key: key), "\(party) approves \(id) signed by \(label(key))") {
            try governance { try consortium.approve(id, as: party, key: secrets[key]!, signedAt: now) }
        }
    }

    /// A party revokes one of its live keys (most often one it can spare), now and then one an
    /// admin's pending proposal would revoke.
    func revokeOwn() throws {
        let proposed = pendingRevocations()
        if !proposed.isEmpty && random.chance(0.3) {
            let (party, keyID) = random.pick(proposed)
            return try revoke(keyID, of: party, by: party, kind: .revokeOwn)
        }
        let candidates = memberIDs.filter { !model.liveKeys(of: $0).isEmpty }
        guard !candidates.isEmpty else { return try revokeOther() }
        let party = random.pick(candidates)
        let live = model.liveKeys(of: party)
        if model.usableKeys(of: party, at: now).count < 2 && random.chance(0.8) { return try rotate() }
        try revoke(random.pick(live).id, of: party, by: party, kind: .revokeOwn)
    }

    /// The (party, key) pairs that pending revocation proposals name, their keys still live.
    func pendingRevocations() -> [(String, String)] {
        model.proposals.keys.sorted().compactMap { id -> (String, String)? in
            guard let proposal = model.proposals[id], proposal.isPending,
                case .revocation(let party, let keyID) = proposal.change, model.keys[keyID]?.isLive == true
            else { return nil }
            return (party, keyID)
        }
    }

    /// A member (an admin most often) revokes another's key, a pending revocation again, a key
    /// already revoked, a key named with the wrong owner, or a key that is no member's.
    func revokeOther() throws {
        let proposer = pickProposer()
        let others = model.keys.values.filter { $0.party != proposer }.sorted { $0.id < $1.id }
        let live = others.filter(\.isLive)
        let revoked = others.filter { !$0.isLive }
        let proposed = pendingRevocations()
        switch Int.random(in: 0..<10, using: &random) {
        case 0 where !proposed.isEmpty:
            let (party, keyID) = random.pick(proposed)
            try revoke(keyID, of: party, by: proposer, kind: .revokeOther)
        case 0..<6 where !live.isEmpty:
            // Most often a key its party can spare.
            let spare = live.filter { model.usableKeys(of: $0.party, at: now).count > 1 }
            let key = random.pick(spare.isEmpty || random.chance(0.2) ? live : spare)
            try revoke(key.id, of: key.party, by: proposer, kind: .revokeOther)
        case 6..<8 where !revoked.isEmpty:
            let key = random.pick(revoked)
            try revoke(key.id, of: key.party, by: proposer, kind: .revokeOther)
        case 8 where !others.isEmpty:
            let key = random.pick(others)
            let owner = random.pick(memberIDs.filter { $0 != key.party })
            try revoke(key.id, of: owner, by: proposer, kind: .revokeOther)
        default:
            try revoke(try newKey(for: "stranger"), of: random.pick(memberIDs), by: proposer, kind: .revokeOther)
        }
    }

    func revoke(_ keyID: String, of owner: String, by party: String, kind: Action) throws {
        let key = try signingKey(for: party)
        let description = "\(party) revokes \(label(keyID)) of \(owner) signed by \(label(key))"
        try attempt(kind, .revoke(party: owner, keyID: keyID, by: party, key: key), description) {
            try governance {
                try consortium.revoke(keyID, of: owner, reason: nil, as: party, key: secrets[key]!, signedAt: now)
            }
        }
    }

    // MARK: Policy

    /// A new policy: most often possible (admins with usable keys preferred), else an impossible
    /// quorum, an admin that is no member, admins or a log signer without a usable key, or the
    /// policy in force again.
    func proposePolicy() throws {
        let proposer = pickProposer()
        let current = model.policy!
        var admins: Set<String>
        var quorum: Int
        var logSigner = current.logSigner
        let keyless = memberIDs.filter { model.usableKeys(of: $0, at: now).isEmpty }
        switch Int.random(in: 0..<100, using: &random) {
        case 85..<100 where !keyless.isEmpty:
            // A log signer who could not sign.
            admins = current.admins
            quorum = current.quorum
            logSigner = random.pick(keyless)
        case 70..<100 where !keyless.isEmpty:
            // Admins who could not approve anything.
            admins = Set(memberIDs.filter { _ in random.chance(0.5) } + [random.pick(keyless)])
            quorum = admins.count
        case 63..<70:
            admins = current.admins
            quorum = current.quorum
        case let roll:
            let able = memberIDs.filter { !model.usableKeys(of: $0, at: now).isEmpty }
            let pool = able.isEmpty || random.chance(0.2) ? memberIDs : able
            admins = Set((0..<Int.random(in: 1...3, using: &random)).map { _ in random.pick(pool) })
            quorum = Int.random(in: 1...min(2, admins.count), using: &random)
            if (45..<55).contains(roll) {
                quorum = random.chance(0.5) ? 0 : admins.count + 1
            } else if (55..<63).contains(roll) {
                admins.insert(random.pick(Self.parties.filter { model.members[$0] == nil } + ["zulu"]))
            }
        }
        try propose(GovernanceModel.Policy(admins: admins, quorum: quorum, logSigner: logSigner), by: proposer)
    }

    func propose(_ policy: GovernanceModel.Policy, by party: String, kind: Action = .policy) throws {
        let key = try signingKey(for: party)
        let description = "\(party) proposes policy \(policy) signed by \(label(key))"
        try attempt(kind, .proposePolicy(policy, by: party, key: key), description) {
            try governance {
                try consortium.propose(
                    policy: ConsortiumPolicy(
                        admins: Array(policy.admins),
                        quorum: policy.quorum,
                        logSigner: policy.logSigner
                    ),
                    as: party,
                    key: secrets[key]!,
                    signedAt: now
                )
            }
        }
    }

    /// What a pending proposal proposes, proposed again (by an admin most often; a party file with
    /// the proofs of its new keys).
    func proposeAgain() throws {
        let pending = model.proposals.keys.sorted().filter { model.proposals[$0]!.isPending }
        guard !pending.isEmpty else { return try proposeVersion() }
        let party = pickProposer()
        switch model.proposals[random.pick(pending)]!.change {
        case .member(let file):
            let proofs = file.keys.map(\.id).filter { model.keys[$0] == nil }
            try proposeMember(.duplicate, file, by: party, key: try signingKey(for: party), proofs: proofs)
        case .pipeline(let digest):
            try proposePipeline(digest, by: party, key: try signingKey(for: party), kind: .duplicate)
        case .revocation(let owner, let keyID): try revoke(keyID, of: owner, by: party, kind: .duplicate)
        case .policy(let policy): try propose(policy, by: party, kind: .duplicate)
        }
    }

    // MARK: Pipelines

    /// A version of a test pipeline; now and then one a pending proposal already proposes.
    func proposeVersion() throws {
        let pending = model.proposals.keys.sorted().compactMap { id -> String? in
            guard let proposal = model.proposals[id], proposal.isPending, case .pipeline(let digest) = proposal.change
            else { return nil }
            return digest
        }
        let digest = !pending.isEmpty && random.chance(0.4) ? random.pick(pending) : random.pick(versionDigests)
        let proposer = pickProposer()
        try proposePipeline(digest, by: proposer, key: try signingKey(for: proposer))
    }

    // MARK: Governance entries

    func found(_ founder: Declaration) throws {
        try attempt(.genesis, .found(founder), "alpha founds the consortium with \(describe(founder))") {
            try governance {
                try consortium.found(
                    founder: try partyFile(founder),
                    keys: founder.keys.map { secrets[$0.id]! },
                    origin: "countersign.test/governance",
                    clock: .simulated,
                    signedAt: now
                )
            }
        }
    }

    func proposeMember(_ kind: Action, _ file: Declaration, by party: String, key: String?, proofs: [String]) throws {
        var signers = key.map { [$0] } ?? []
        signers += proofs.filter { !signers.contains($0) }
        let description =
            "\(party) proposes \(describe(file)) signed by \(signers.map(label).joined(separator: " + "))"
        try attempt(kind, .proposeMember(file, by: party, key: key, proofs: proofs), description) {
            try governance {
                try consortium.propose(
                    member: try partyFile(file),
                    as: party,
                    keys: signers.map { secrets[$0]! },
                    signedAt: now
                )
            }
        }
    }

    func proposePipeline(_ digest: String, by party: String, key: String, kind: Action = .pipeline) throws {
        let version = model.catalog[digest]!
        let description = "\(party) proposes \(version.pipeline)@\(digest.prefix(8)) signed by \(label(key))"
        try attempt(kind, .proposePipeline(digest: digest, by: party, key: key), description) {
            try governance {
                try consortium.propose(pipeline: pipelines[digest]!, as: party, key: secrets[key]!, signedAt: now)
            }
        }
    }
}
