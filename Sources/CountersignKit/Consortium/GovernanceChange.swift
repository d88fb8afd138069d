import Foundation

/// What one governance entry does (CONSORTIUM.md "Changes").
public enum GovernanceChange: Hashable, Sendable {
    /// The first entry of a ledger: the founder becomes the only member and admin.
    case genesis(settings: ConsortiumSettings, founder: MemberDeclaration, policy: ConsortiumPolicy)
    /// A party file proposed: a new member, a new key, a changed name or validity.
    case member(MemberDeclaration)
    /// A pipeline version proposed: its id and the digest of its files' manifest.
    case pipeline(id: String, version: Digest)
    /// A key revoked, from this entry on.
    case revocation(party: String, keyID: String, reason: String?)
    /// A new policy proposed.
    case policy(ConsortiumPolicy)
    /// Approval of the pending proposal made by the entry at log index `proposal`, whose leaf hash
    /// is `entry`.
    case approval(proposal: Int, entry: Digest)

    /// The clock a genesis sets; `nil` for any other change.
    var clock: ConsortiumSettings.Clock? {
        if case .genesis(let settings, _, _) = self { return settings.clock }
        return nil
    }

    /// The `change` member of the predicate.
    public var kind: String {
        switch self {
        case .genesis: "genesis"
        case .member: "member"
        case .pipeline: "pipeline"
        case .revocation: "revoke"
        case .policy: "policy"
        case .approval: "approve"
        }
    }

    /// A short phrase for messages: `party file of lawyer`, `pipeline mortgage-approval@sha256:…`.
    public var summary: String {
        switch self {
        case .genesis(_, let founder, _): "the founding of the consortium by \(founder.id)"
        case .member(let member): "party \(member.id)"
        case .pipeline(let id, let version): "pipeline \(id)@sha256:\(version.hex)"
        case .revocation(let party, let keyID, _): "revocation of key \(keyID.prefix(16))… of \(party)"
        case .policy(let policy): "policy \(policy)"
        case .approval(let proposal, _): "approval of proposal \(proposal)"
        }
    }
}
