/// What the engine and the audit ask of the consortium: keys, members, the policy and pipeline
/// versions in force at one point of the log. `GovernanceState` answers from memory (a fold of
/// governance entries); `GovernanceCache` answers from the ledger store's derived records, looking
/// up only what is asked, so a check costs the same in a consortium of five parties or of a
/// thousand.
public protocol GovernanceView {
    /// What the genesis fixed; `nil` when the ledger holds no consortium.
    var settings: ConsortiumSettings? { get throws }
    var genesis: Genesis? { get throws }
    var policy: ConsortiumPolicy? { get throws }
    /// The newest governance entry this view reflects.
    var head: ChainHead? { get throws }
    func member(_ id: String) throws -> ConsortiumMember?
    func key(_ keyID: String) throws -> MemberKey?
    func version(_ digest: Digest) throws -> PipelineVersion?
    /// The versions in force of a pipeline id, oldest first.
    func versions(of pipeline: String) throws -> [Digest]
    /// Every pipeline id with a version in force, sorted.
    func pipelineIDs() throws -> [String]
}

extension GovernanceView {
    /// The newest version in force of a pipeline id.
    public func newestVersion(of pipeline: String) throws -> PipelineVersion? {
        guard let digest = try versions(of: pipeline).last else { return nil }
        return try version(digest)
    }

    /// The keys of a member, in the order they came into force (revoked ones too).
    public func keys(of party: String) throws -> [MemberKey] {
        guard let member = try member(party) else { return [] }
        return try member.keyIDs.compactMap { try key($0) }
    }

    /// Whether the ledger holds a consortium.
    public func isFounded() throws -> Bool { try genesis != nil }

    /// Which member key made a case entry's signature (its first, a case entry's only one): the
    /// candidates are the keys the consortium holds for `party`, the party the entry's statement
    /// names (revoked ones too, so such a signature is refused for what it is), and the key the
    /// signature's keyid names, wherever it belongs (so a key of another party is found, and
    /// refused as that party's, rather than unknown). Whether the key could sign then is the
    /// caller's to judge.
    public func caseSigner(of envelope: Envelope, party: String) throws -> SignerMatch<MemberKey> {
        let signature = envelope.signatures[0]
        var candidates = try keys(of: party)
        if let keyID = signature.keyID, !candidates.contains(where: { $0.keyID == keyID }), let named = try key(keyID) {
            candidates.append(named)
        }
        return envelope.signer(of: signature, among: candidates, publicKey: \.publicKey)
    }
}

/// A view whose state can be moved forward, for replays that check entries at their own point of
/// the log (`verify-bundle`).
public final class GovernanceReplay: GovernanceView {
    public var state: GovernanceState

    public init(_ state: GovernanceState) {
        self.state = state
    }

    public var settings: ConsortiumSettings? { state.settings }
    public var genesis: Genesis? { state.genesis }
    public var policy: ConsortiumPolicy? { state.policy }
    public var head: ChainHead? { state.head }
    public func member(_ id: String) -> ConsortiumMember? { state.members[id] }
    public func key(_ keyID: String) -> MemberKey? { state.keys[keyID] }
    public func version(_ digest: Digest) -> PipelineVersion? { state.versions[digest] }
    public func versions(of pipeline: String) -> [Digest] { state.pipelines[pipeline] ?? [] }
    public func pipelineIDs() -> [String] { state.pipelineIDs() }
}
