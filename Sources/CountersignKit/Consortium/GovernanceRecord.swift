import Foundation

/// One record of the governance state as the ledger store's cache keeps it: a kind, an id, and
/// the record's JSON. The cache is derived from the governance entries and rebuilt from them at
/// any time; `log verify` compares it with a fresh fold.
public struct GovernanceRecord: Sendable, Equatable {
    /// Which record: the consortium-wide one, or one member, key, version or proposal.
    public enum Key: Hashable, Sendable {
        /// Settings, genesis and policy.
        case consortium
        case member(String)
        case key(String)
        case version(Digest)
        case proposal(Int)

        /// The stored kind.
        public var kind: String {
            switch self {
            case .consortium: "consortium"
            case .member: "member"
            case .key: "key"
            case .version: "version"
            case .proposal: "proposal"
            }
        }

        /// The stored id within the kind.
        public var id: String {
            switch self {
            case .consortium: ""
            case .member(let id), .key(let id): id
            case .version(let digest): digest.hex
            case .proposal(let index): String(index)
            }
        }
    }

    public let kind: String
    public let id: String
    /// The record's JSON; `nil` to delete it.
    public let value: [UInt8]?

    public init(kind: String, id: String, value: [UInt8]?) {
        self.kind = kind
        self.id = id
        self.value = value
    }
}

/// The consortium-wide record: what the genesis fixed and the policy in force.
struct ConsortiumRecord: Codable, Equatable {
    var settings: ConsortiumSettings
    var genesis: Genesis
    var policy: ConsortiumPolicy
}

extension GovernanceState {
    /// The records of `keys` as the state holds them now (a key the state lacks becomes a deletion).
    func records(_ wanted: some Sequence<GovernanceRecord.Key>) throws -> [GovernanceRecord] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func record<T: Encodable>(_ key: GovernanceRecord.Key, _ value: T?) throws -> GovernanceRecord {
            GovernanceRecord(kind: key.kind, id: key.id, value: try value.map { Array(try encoder.encode($0)) })
        }
        return try wanted.map { key in
            switch key {
            case .consortium:
                let value = settings.flatMap { settings in
                    genesis.flatMap { genesis in
                        policy.map { ConsortiumRecord(settings: settings, genesis: genesis, policy: $0) }
                    }
                }
                return try record(key, value)
            case .member(let id): return try record(key, members[id])
            case .key(let id): return try record(key, keys[id])
            case .version(let digest): return try record(key, versions[digest])
            case .proposal(let index): return try record(key, proposals[index])
            }
        }
    }

    /// Every record of the state, for a cache built from scratch or compared with one.
    func allRecords() throws -> [GovernanceRecord] {
        var all: [GovernanceRecord.Key] = genesis == nil ? [] : [.consortium]
        all += members.keys.sorted().map { .member($0) }
        all += keys.keys.sorted().map { .key($0) }
        all += versions.keys.sorted { $0.hex < $1.hex }.map { .version($0) }
        all += proposals.keys.sorted().map { .proposal($0) }
        return try records(all)
    }

    /// A state rebuilt from the records of a cache, reflecting the entries up to `head`.
    init(records: [GovernanceRecord], head: ChainHead?) throws {
        let decoder = JSONDecoder()
        var consortium: ConsortiumRecord?
        var members: [String: ConsortiumMember] = [:]
        var keys: [String: MemberKey] = [:]
        var versions: [Digest: PipelineVersion] = [:]
        var proposals: [Int: Proposal] = [:]
        for record in records {
            guard let value = record.value else { continue }
            let data = Data(value)
            switch record.kind {
            case "consortium": consortium = try decoder.decode(ConsortiumRecord.self, from: data)
            case "member":
                let member = try decoder.decode(ConsortiumMember.self, from: data)
                members[member.id] = member
            case "key":
                let key = try decoder.decode(MemberKey.self, from: data)
                keys[key.keyID] = key
            case "version":
                let version = try decoder.decode(PipelineVersion.self, from: data)
                versions[version.digest] = version
            case "proposal":
                let proposal = try decoder.decode(Proposal.self, from: data)
                proposals[proposal.index] = proposal
            default: continue
            }
        }
        self.init(
            settings: consortium?.settings,
            genesis: consortium?.genesis,
            policy: consortium?.policy,
            head: head,
            members: members,
            keys: keys,
            versions: versions,
            proposals: proposals
        )
    }
}
