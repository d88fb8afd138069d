import Foundation

/// The governance state as the ledger store keeps it: records derived from the governance entries
/// (one per member, key, version and proposal, and one for the consortium), with the governance
/// entry they reflect. Like the case summaries it is a cache, rebuilt from the entries whenever it
/// lags behind or does not match them, and `log verify` compares it with a fresh fold of the log.
///
/// Opening it costs two look-ups (the governance chain's head and the cache's); after that each
/// question (a key, a member, a version) reads one record, so a sign-off's checks cost the same in a
/// consortium of five parties or of a thousand with ten thousand key events.
public final class GovernanceCache: GovernanceView {
    public let store: any LedgerStore
    /// The governance entry the answers reflect.
    public let head: ChainHead?
    /// The whole state, when it was folded while opening (or loaded since).
    private var loaded: GovernanceState?
    private var members: [String: ConsortiumMember?] = [:]
    private var keys: [String: MemberKey?] = [:]
    private var versions: [Digest: PipelineVersion?] = [:]
    private var consortium: ConsortiumRecord??
    /// The leaf hashes of the governance entries checked so far (`checkEntry`), by index.
    private var checkedEntries: [Int: Digest] = [:]
    private let decoder = JSONDecoder()

    /// Opens the cache of `store`, first catching it up with the log when it lags behind: the
    /// governance entries it lacks are folded (every signature checked) and, when `save`, written
    /// back. Throws `GovernanceError.corrupt` when a stored governance entry does not fold.
    public init(store: any LedgerStore, save: Bool = true) throws {
        self.store = store
        let chain = try store.chainHead(LedgerChain.consortium)
        head = chain
        guard let chain else { return }
        let cached = try store.governanceCacheHead()
        guard cached != chain else { return }
        loaded = try Self.catchUp(store: store, cached: cached, chain: chain, save: save)
    }

    /// Folds what the cache lacks: from its records when they reflect an entry of the chain, else
    /// from the genesis.
    private static func catchUp(
        store: any LedgerStore,
        cached: ChainHead?,
        chain: ChainHead,
        save: Bool
    ) throws -> GovernanceState {
        let entries = try store.entries(ofCase: LedgerChain.consortium)
        var state = GovernanceState()
        var rebuilt = true
        if let cached, let reflected = entries.first(where: { $0.index == cached.index }),
            reflected.leafHash == cached.leaf, let records = try? store.governanceRecords(),
            let restored = try? GovernanceState(records: records, head: cached)
        {
            state = restored
            rebuilt = false
        }
        let start = state.head?.index ?? -1
        for entry in entries where entry.index > start {
            let decoded: GovernanceEntry
            do {
                decoded = try GovernanceEntry(entry)
            } catch {
                throw GovernanceError.corrupt(index: entry.index, reason: "\(error)")
            }
            do {
                try state.apply(decoded)
            } catch {
                throw GovernanceError.corrupt(index: entry.index, reason: error.reason)
            }
        }
        if save {
            let records = rebuilt ? try state.allRecords() : try state.records(state.dirty)
            _ = try store.saveGovernanceRecords(records, head: chain, expected: cached, replacingAll: rebuilt)
        }
        state.dirty = []
        return state
    }

    /// The whole state the cache reflects (every record read), for governance changes, `consortium
    /// show` and comparisons.
    public func state() throws -> GovernanceState {
        if let loaded { return loaded }
        let state = try GovernanceState(records: try store.governanceRecords(), head: head)
        loaded = state
        return state
    }

    /// Writes back what `state` changed after this process appended governance entries that moved
    /// the log from `head` to `state.head`.
    public static func record(_ state: GovernanceState, after previous: ChainHead?, in store: any LedgerStore) throws {
        guard let head = state.head, head != previous else { return }
        if try !store.saveGovernanceRecords(
            try state.records(state.dirty),
            head: head,
            expected: previous,
            replacingAll: false
        ) {
            // Another process caught the cache up first; the next opening checks it again.
            return
        }
    }

    /// Replaces every stored record with those of `state` (a fresh fold of the whole log).
    public static func rebuild(_ store: any LedgerStore, from state: GovernanceState) throws {
        guard let head = state.head else { return }
        _ = try store.saveGovernanceRecords(
            try state.allRecords(),
            head: head,
            expected: try store.governanceCacheHead(),
            replacingAll: true
        )
    }

    /// Every way the stored records differ from `state` (a fresh fold of the log), one line each.
    public static func differences(in store: any LedgerStore, from state: GovernanceState) throws -> [String] {
        // No cache yet (a copied ledger) is no difference; one of the log's head is compared record by record.
        guard let head = try store.governanceCacheHead() else { return [] }
        if head == state.head { return try recordDifferences(in: store, from: state, head: head) }
        // A cache that lags behind reflects an earlier entry of the governance chain: the next
        // command that writes catches it up. Any other head is not the log's.
        if let stateHead = state.head, head.index < stateHead.index,
            try store.entry(at: head.index)?.leafHash == head.leaf
        {
            return []
        }
        return [
            "the governance cache reflects entry \(head.index), which is not an entry of the log's governance chain "
                + "(it ends at entry \(state.head.map { String($0.index) } ?? "none"))"
        ]
    }

    private static func recordDifferences(
        in store: any LedgerStore,
        from state: GovernanceState,
        head: ChainHead
    ) throws -> [String] {
        let stored: GovernanceState
        do {
            stored = try GovernanceState(records: try store.governanceRecords(), head: head)
        } catch {
            return ["the governance cache's records cannot be read: \(error)"]
        }
        var names: [String] = []
        if stored.settings != state.settings || stored.genesis != state.genesis || stored.policy != state.policy {
            names.append("consortium")
        }
        func compare<K: Hashable, V: Equatable>(_ kind: String, _ a: [K: V], _ b: [K: V], _ id: (K) -> String) {
            for key in Set(a.keys).union(b.keys) where a[key] != b[key] { names.append(kind + "/" + id(key)) }
        }
        compare("member", stored.members, state.members) { $0 }
        compare("key", stored.keys, state.keys) { $0 }
        compare("version", stored.versions, state.versions) { $0.hex }
        compare("proposal", stored.proposals, state.proposals) { String($0) }
        return names.sorted().map { "the governance cache's record \($0) does not match the governance entries" }
    }

    // MARK: GovernanceView

    public var settings: ConsortiumSettings? {
        get throws { try consortiumRecord()?.settings }
    }

    public var genesis: Genesis? {
        get throws { try consortiumRecord()?.genesis }
    }

    public var policy: ConsortiumPolicy? {
        get throws { try consortiumRecord()?.policy }
    }

    public func member(_ id: String) throws -> ConsortiumMember? {
        let member: ConsortiumMember?
        if let loaded {
            member = loaded.members[id]
        } else if let known = members[id] {
            member = known
        } else {
            member = try decode(ConsortiumMember.self, .member(id))
            members[id] = member
        }
        if let member { try checkEntry(member.joinedAt) }
        return member
    }

    public func key(_ keyID: String) throws -> MemberKey? {
        let key: MemberKey?
        if let loaded {
            key = loaded.keys[keyID]
        } else if let known = keys[keyID] {
            key = known
        } else {
            key = try decode(MemberKey.self, .key(keyID))
            keys[keyID] = key
        }
        if let key {
            try checkEntry(key.addedAt)
            if let revocation = key.revocation { try checkEntry(revocation.index) }
        }
        return key
    }

    public func version(_ digest: Digest) throws -> PipelineVersion? {
        let version: PipelineVersion?
        if let loaded {
            version = loaded.versions[digest]
        } else if let known = versions[digest] {
            version = known
        } else {
            version = try decode(PipelineVersion.self, .version(digest))
            versions[digest] = version
        }
        if let version {
            try checkEntry(version.proposedAt)
            try checkEntry(version.inForceAt)
        }
        return version
    }

    public func versions(of pipeline: String) throws -> [Digest] {
        try state().versions(of: pipeline)
    }

    public func pipelineIDs() throws -> [String] {
        try state().pipelineIDs()
    }

    private func consortiumRecord() throws -> ConsortiumRecord? {
        guard head != nil else { return nil }
        let record: ConsortiumRecord?
        if let loaded {
            guard let settings = loaded.settings, let genesis = loaded.genesis, let policy = loaded.policy else {
                return nil
            }
            record = ConsortiumRecord(settings: settings, genesis: genesis, policy: policy)
        } else if let consortium {
            record = consortium
        } else {
            record = try decode(ConsortiumRecord.self, .consortium)
            consortium = .some(record)
        }
        if let record { try checkEntry(0, leaf: record.genesis.leafHash) }
        return record
    }

    /// Checks that governance entry `index`, which an answer rests on, is still what the log holds:
    /// its stored bytes hash to its leaf hash (and to `leaf`, when a later entry names it), on the
    /// governance chain; an approval's proposal is checked too. A few look-ups per answer, whatever
    /// the consortium's size, so an entry altered in the store (by whoever administers it) stops
    /// the command that relies on it instead of going unnoticed until `log verify`.
    private func checkEntry(_ index: Int, leaf expected: Digest? = nil) throws {
        let leaf: Digest
        if let checked = checkedEntries[index] {
            leaf = checked
        } else {
            guard let entry = try store.entry(at: index), entry.caseID == LedgerChain.consortium else {
                throw GovernanceError.corrupt(
                    index: index,
                    reason: "the log holds no governance entry there, though the governance cache rests on one: "
                        + "run `countersign log verify`"
                )
            }
            leaf = MerkleHash.leaf(entry.envelope)
            guard leaf == entry.leafHash else {
                throw GovernanceError.corrupt(index: index, reason: Self.altered)
            }
            checkedEntries[index] = leaf
            if let envelope = try? Envelope(bytes: entry.envelope),
                let (proposal, proposalLeaf) = GovernanceStatement.approvedProposal(inJSON: envelope.payload)
            {
                try checkEntry(proposal, leaf: proposalLeaf)
            }
        }
        if let expected, expected != leaf { throw GovernanceError.corrupt(index: index, reason: Self.altered) }
    }

    private static let altered =
        "its stored bytes are not those the log holds (the entry was altered in the store): "
        + "run `countersign log verify`"

    private func decode<T: Decodable>(_ type: T.Type, _ key: GovernanceRecord.Key) throws -> T? {
        guard head != nil, let bytes = try store.governanceRecord(kind: key.kind, id: key.id) else { return nil }
        return try decoder.decode(type, from: Data(bytes))
    }
}
