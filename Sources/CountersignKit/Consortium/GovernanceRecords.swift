import Foundation

/// A party in force in the consortium.
public struct ConsortiumMember: Sendable, Equatable, Codable {
    public let id: String
    /// The display name in force.
    public internal(set) var name: String
    /// Every key the party has had in force, in the order they came into force (revoked ones too).
    public internal(set) var keyIDs: [String]
    /// The log index of the entry that made it a member.
    public let joinedAt: Int
}

/// One key of a member: its validity window and, once revoked, the revocation.
public struct MemberKey: Sendable, Equatable, Codable {
    /// A revocation: in force from its own entry on (history is never rewritten).
    public struct Revocation: Sendable, Equatable, Codable {
        /// The log index of the entry that put the revocation in force.
        public let index: Int
        /// The party that revoked it (the owner, or the admin who proposed it).
        public let by: String
        public let reason: String?
    }

    public let keyID: String
    public let party: String
    public let publicKey: Ed25519PublicKey
    /// A signature made before `since` or at or after `until` is refused (FORMATS.md §1).
    public internal(set) var since: Date?
    public internal(set) var until: Date?
    /// The log index of the entry that brought the key into force.
    public let addedAt: Int
    /// That entry's log time: the key can have signed nothing before it, whatever its `since` says
    /// (`nil` in records folded before log times were kept).
    public let inForceSince: Date?
    public internal(set) var revocation: Revocation?

    /// Whether a signature made at `date` by this key may be accepted now: not revoked, and inside
    /// its window.
    public func isUsable(at date: Date) -> Bool {
        revocation == nil && window.isValid(at: date)
    }

    /// The window as a party file writes it.
    public var window: PartyKey { PartyKey(publicKey: publicKey, since: since, until: until) }

    /// Why a signature claiming to be made at `signedAt` is refused because the key came into force
    /// only later (a backdated signature, or a backdated `since`), or `nil`.
    public func backdatingProblem(signedAt: Date) -> String? {
        guard let inForceSince, signedAt < inForceSince else { return nil }
        return "it is signed at \(Timestamp.format(signedAt)), before its key \(keyID.prefix(16))… of '\(party)' "
            + "came into force at log time \(Timestamp.format(inForceSince)) (entry \(addedAt))"
    }

    /// Why a signature made at `date` is refused, or `nil` when it is accepted.
    public func problem(at date: Date) -> String? {
        if let revocation {
            return "key \(keyID.prefix(16))… of '\(party)' was revoked at entry \(revocation.index)"
                + (revocation.reason.map { " (\($0))" } ?? "")
        }
        if let since, date < since {
            return "key \(keyID.prefix(16))… of '\(party)' is not valid before \(Timestamp.format(since))"
        }
        if let until, date >= until {
            return "key \(keyID.prefix(16))… of '\(party)' is not valid from \(Timestamp.format(until))"
        }
        return nil
    }
}

/// A pipeline version in force: its id, its digest and the files the digest covers.
public struct PipelineVersion: Sendable, Equatable, Codable {
    /// One file of the version: its path (`pipeline.yaml`, `schemas/…`) and the SHA-256 of its bytes.
    public struct File: Sendable, Equatable, Codable {
        public let path: String
        public let sha256: Digest
    }

    public let pipeline: String
    public let digest: Digest
    /// The files, `pipeline.yaml` first, then the schemas by path.
    public let files: [File]
    /// The log index of the proposal.
    public let proposedAt: Int
    /// The log index of the entry that brought it into force.
    public let inForceAt: Int

    /// `sha256:HEX`.
    public var digestText: String { "sha256:" + digest.hex }
    /// `ID@sha256:HEX`.
    public var name: String { pipeline + "@" + digestText }

    /// The key under which the ledger store keeps the bytes of a file with this SHA-256.
    public static func storeKey(_ sha256: Digest) -> String { StoredDocument.exactBytesKey(sha256) }
}

/// A proposal made by a governance entry, with the approvals it has so far.
public struct Proposal: Sendable, Equatable, Codable {
    /// What a proposal would change.
    public enum Change: Sendable, Equatable, Codable {
        case member(MemberDeclaration)
        case pipeline(id: String, version: Digest, files: [PipelineVersion.File])
        case revocation(party: String, keyID: String, reason: String?)
        case policy(ConsortiumPolicy)
    }

    /// One approval: by whom, in which entry (the proposer's own entry counts for an admin).
    public struct Approval: Sendable, Equatable, Codable {
        public let party: String
        public let index: Int
    }

    /// The proposal's id: the log index of the entry that made it.
    public let index: Int
    /// That entry's leaf hash (an approval names it).
    public let entry: Digest
    public let proposer: String
    public let change: Change
    /// The subjects of the proposing statement, which approvals repeat.
    public let subjects: [Statement.Subject]
    public internal(set) var approvals: [Approval]
    /// The log index of the entry that brought it into force; `nil` while pending.
    public internal(set) var inForceAt: Int?

    public var isPending: Bool { inForceAt == nil }

    /// `party lawyer`, `pipeline lotto-claim@sha256:…`, `revocation of key … of lawyer`, `policy …`.
    public var summary: String {
        switch change {
        case .member(let member): "party \(member.id)"
        case .pipeline(let id, let version, _): "pipeline \(id)@sha256:\(version.hex)"
        case .revocation(let party, let keyID, _): "revocation of key \(keyID.prefix(16))… of \(party)"
        case .policy(let policy): "policy \(policy)"
        }
    }
}

/// The genesis entry, as the state remembers it.
public struct Genesis: Sendable, Equatable, Codable {
    /// SHA-256 of the genesis envelope's bytes (`sha256sum` of the file in a bundle), what
    /// `--trust` may pin.
    public let envelopeHash: Digest
    public let leafHash: Digest
    public let founder: String
    public let signedAt: Date
}

/// The newest entry of a chain (a case, or the consortium's governance chain).
public struct ChainHead: Sendable, Equatable, Codable {
    public let index: Int
    public let leaf: Digest

    public init(index: Int, leaf: Digest) {
        self.index = index
        self.leaf = leaf
    }
}

// MARK: - Codable forms of the ledger's value types (records of the governance cache)

extension Digest: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let digest = Digest(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not hex"))
        }
        self = digest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

extension Ed25519PublicKey: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let raw = [UInt8](hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not hex"))
        }
        try self.init(raw: raw)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(raw.hexString)
    }
}

extension PartyKey: Codable {
    private enum CodingKeys: String, CodingKey { case publicKey, since, until }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            publicKey: try container.decode(Ed25519PublicKey.self, forKey: .publicKey),
            since: try container.decodeIfPresent(Date.self, forKey: .since),
            until: try container.decodeIfPresent(Date.self, forKey: .until)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(publicKey, forKey: .publicKey)
        try container.encodeIfPresent(since, forKey: .since)
        try container.encodeIfPresent(until, forKey: .until)
    }
}

extension Statement.Subject: Codable {
    private enum CodingKeys: String, CodingKey { case name, sha256 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            name: try container.decode(String.self, forKey: .name),
            sha256: try container.decode(Digest.self, forKey: .sha256)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(sha256, forKey: .sha256)
    }
}
