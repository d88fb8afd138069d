import CountersignKit
import Foundation

/// Where the model meets the engine's types: comparing the consortium the engine holds with the
/// model's, and, after a reported disagreement, taking the engine's state over so a run can go on
/// looking for more.
extension GovernanceModel {
    /// Every way `state` (the engine's consortium) differs from the model's members, keys, policy,
    /// versions in force and pending proposals.
    func differences(from state: GovernanceState, labels: (String) -> String) -> [String] {
        var found: [String] = []
        if Set(state.members.keys) != Set(members.keys) {
            found.append("members: engine \(state.members.keys.sorted()), model \(members.keys.sorted())")
        }
        for (id, member) in members {
            guard let held = state.members[id] else { continue }
            if held.name != member.name { found.append("name of \(id): engine '\(held.name)', model '\(member.name)'") }
            if Set(held.keyIDs) != Set(member.keyIDs) {
                found.append(
                    "keys of \(id): engine \(held.keyIDs.map(labels)), model \(member.keyIDs.map(labels))"
                )
            }
        }
        for (id, key) in keys {
            guard let held = state.keys[id] else {
                found.append("key \(labels(id)) of \(key.party): not in the engine")
                continue
            }
            let engine = Self.describe(party: held.party, held.since, held.until, held.revocation?.index)
            let model = Self.describe(party: key.party, key.since, key.until, key.revokedAt)
            if engine != model { found.append("key \(labels(id)): engine \(engine), model \(model)") }
        }
        for id in Set(state.keys.keys).subtracting(keys.keys) {
            found.append("key \(labels(id)) of \(state.keys[id]!.party): not in the model")
        }
        if let held = state.policy.map(Self.policy), held != policy {
            found.append("policy: engine \(held), model \(policy.map { "\($0)" } ?? "none")")
        }
        let engineVersions = state.pipelines.mapValues { $0.map(\.hex) }.filter { !$0.value.isEmpty }
        if engineVersions != versions.filter({ !$0.value.isEmpty }) {
            found.append("versions in force: engine \(engineVersions), model \(versions)")
        }
        let enginePending = state.pendingProposals.map(\.index)
        let modelPending = proposals.values.filter(\.isPending).map(\.index).sorted()
        if enginePending != modelPending {
            found.append("pending proposals: engine \(enginePending), model \(modelPending)")
        }
        return found
    }

    private static func describe(party: String, _ since: Date?, _ until: Date?, _ revokedAt: Int?) -> String {
        let window = "[\(since.map(Timestamp.format) ?? "…"), \(until.map(Timestamp.format) ?? "…"))"
        return "\(party) \(window)" + (revokedAt.map { " revoked at \($0)" } ?? "")
    }

    static func policy(_ policy: ConsortiumPolicy) -> Policy {
        Policy(admins: Set(policy.admins), quorum: policy.quorum, logSigner: policy.logSigner)
    }

    static func declaration(_ declaration: MemberDeclaration) -> Declaration {
        Declaration(
            party: declaration.id,
            name: declaration.name,
            keys: declaration.keys.map { DeclaredKey(id: $0.keyID, since: $0.since, until: $0.until) }
        )
    }

    /// Takes over the engine's consortium (after a disagreement has been recorded): the run goes on
    /// from what the ledger holds.
    mutating func adopt(_ state: GovernanceState, size: Int) {
        self.size = size
        members = state.members.mapValues { Member(id: $0.id, name: $0.name, keyIDs: $0.keyIDs) }
        keys = state.keys.mapValues {
            Key(id: $0.keyID, party: $0.party, since: $0.since, until: $0.until, revokedAt: $0.revocation?.index)
        }
        policy = state.policy.map(Self.policy)
        versions = state.pipelines.mapValues { $0.map(\.hex) }
        proposals = state.proposals.mapValues { proposal in
            let change: Change =
                switch proposal.change {
                case .member(let declaration): .member(Self.declaration(declaration))
                case .pipeline(_, let version, _): .pipeline(digest: version.hex)
                case .revocation(let party, let keyID, _): .revocation(party: party, keyID: keyID)
                case .policy(let policy): .policy(Self.policy(policy))
                }
            return Proposal(
                index: proposal.index,
                proposer: proposal.proposer,
                change: change,
                approvals: proposal.approvals.map(\.party),
                inForceAt: proposal.inForceAt
            )
        }
    }
}

extension GovernanceModel.Policy: CustomStringConvertible {
    var description: String { "quorum \(quorum) of [\(admins.sorted().joined(separator: ", "))]; log \(logSigner)" }
}
