import Foundation

/// Countersign's governance predicate (`https://countersign.dev/governance/v1`): who changes what
/// in the consortium, when, and which governance entry came before (docs/GOVERNANCE.md defines it
/// member by member).
///
/// A value is always valid: the initialiser checks what decoding checks, so decoding and encoding
/// round-trip to the same bytes.
public struct GovernancePredicate: Hashable, Sendable {
    /// The in-toto predicate type of governance entries.
    public static let predicateType = "https://countersign.dev/governance/v1"

    public let change: GovernanceChange
    /// The party that signs the entry (the proposer, the approver, the founder).
    public let party: String
    /// When it was signed, to the whole second.
    public let signedAt: Date
    /// The leaf hash of the previous governance entry; `nil` for the genesis.
    public let previous: Digest?
    /// A free-text note; omitted from the JSON when `nil`.
    public let note: String?

    /// A predicate; throws when an id is malformed, a field empty, or the genesis and `previous`
    /// disagree.
    public init(
        change: GovernanceChange,
        party: String,
        signedAt: Date,
        previous: Digest?,
        note: String? = nil
    ) throws(LedgerFormatError) {
        try Self.checkParty(party, field: "party")
        guard Timestamp.isRepresentable(signedAt) else {
            throw Self.invalid("signedAt", "\(signedAt)", "a time between years 0000 and 9999")
        }
        if case .genesis = change {
            guard previous == nil else {
                throw Self.invalid("previous", previous!.hex, "an empty string for the genesis")
            }
        } else if previous == nil {
            throw Self.invalid("previous", "", "the leaf hash of the previous governance entry")
        }
        switch change {
        case .genesis(let settings, let founder, let policy):
            guard !settings.origin.isEmpty, !settings.origin.contains("\n") else {
                throw Self.invalid("consortium.origin", settings.origin, "a one-line log name")
            }
            try Self.check(founder)
            try Self.check(policy)
        case .member(let member): try Self.check(member)
        case .pipeline(let id, let version):
            guard IdentifierRule.pipeline.accepts(id) else { throw Self.invalid("pipeline.id", id, "a pipeline id") }
            guard version.bytes.count == SHA256.byteCount else {
                throw Self.invalid("pipeline.version", version.hex, "sha256: and 64 hex digits")
            }
        case .revocation(let revoked, let keyID, _):
            try Self.checkParty(revoked, field: "revoke.party")
            guard StepPredicate.lowercaseSHA256(keyID[...]) != nil else {
                throw Self.invalid("revoke.keyid", keyID, "64 lowercase hex digits")
            }
        case .policy(let policy): try Self.check(policy)
        case .approval(_, let entry):
            guard entry.bytes.count == SHA256.byteCount else {
                throw Self.invalid("approve.entry", entry.hex, "64 lowercase hex digits")
            }
        }
        self.change = change
        self.party = party
        self.signedAt = Timestamp.truncated(signedAt)
        self.previous = previous
        self.note = note
    }

    private static func checkParty(_ id: String, field: String) throws(LedgerFormatError) {
        guard IdentifierRule.party.accepts(id) else { throw invalid(field, id, "a party id ([a-z0-9][a-z0-9-]{0,62})") }
    }

    private static func check(_ member: MemberDeclaration) throws(LedgerFormatError) {
        try checkParty(member.id, field: "member.party")
        guard !member.name.isEmpty else { throw invalid("member.name", "", "a display name") }
        var seen: Set<String> = []
        for key in member.keys {
            guard seen.insert(key.keyID).inserted else { throw invalid("member.keys", key.keyID, "each key once") }
            if let since = key.since, let until = key.until, until <= since {
                throw invalid("member.keys.until", Timestamp.format(until), "a time later than 'since'")
            }
        }
    }

    private static func check(_ policy: ConsortiumPolicy) throws(LedgerFormatError) {
        guard !policy.admins.isEmpty else { throw invalid("policy.admins", "[]", "at least one admin") }
        for admin in policy.admins { try checkParty(admin, field: "policy.admins") }
        try checkParty(policy.logSigner, field: "policy.log")
        guard (1...policy.admins.count).contains(policy.quorum) else {
            throw invalid("policy.quorum", String(policy.quorum), "1 to \(policy.admins.count), the number of admins")
        }
    }

    static func invalid(_ field: String, _ value: String, _ expected: String) -> LedgerFormatError {
        .invalidField(context: "governance statement", field: "predicate." + field, value: value, expected: expected)
    }
}

// MARK: - JSON

extension GovernancePredicate {
    /// Writes the predicate object: `change`, `party`, `signedAt`, `previous`, the change's own
    /// members, then `note`.
    func write(to writer: inout CompactJSONWriter) {
        writer.object { writer in
            writer.member("change", change.kind)
            writer.member("party", party)
            writer.member("signedAt", Timestamp.format(signedAt))
            writer.member("previous", previous?.hex ?? "")
            switch change {
            case .genesis(let settings, let founder, let policy):
                writer.key("consortium")
                writer.object { writer in
                    writer.member("origin", settings.origin)
                    writer.member("clock", settings.clock.rawValue)
                }
                Self.write(founder, to: &writer)
                Self.write(policy, to: &writer)
            case .member(let member): Self.write(member, to: &writer)
            case .pipeline(let id, let version):
                writer.key("pipeline")
                writer.object { writer in
                    writer.member("id", id)
                    writer.member("version", "sha256:" + version.hex)
                }
            case .revocation(let revoked, let keyID, let reason):
                writer.key("revoke")
                writer.object { writer in
                    writer.member("party", revoked)
                    writer.member("keyid", keyID)
                    if let reason { writer.member("reason", reason) }
                }
            case .policy(let policy): Self.write(policy, to: &writer)
            case .approval(let proposal, let entry):
                writer.key("approve")
                writer.object { writer in
                    writer.member("proposal", proposal)
                    writer.member("entry", entry.hex)
                }
            }
            if let note { writer.member("note", note) }
        }
    }

    private static func write(_ member: MemberDeclaration, to writer: inout CompactJSONWriter) {
        writer.key("member")
        writer.object { writer in
            writer.member("party", member.id)
            writer.member("name", member.name)
            writer.key("keys")
            writer.array { writer in
                for key in member.keys {
                    writer.object { writer in
                        writer.key("ed25519")
                        var encoded: [UInt8] = []
                        StrictBase64.encode(key.publicKey.spkiDER, into: &encoded)
                        writer.plainString(encoded)
                        if let since = key.since { writer.member("since", Timestamp.format(since)) }
                        if let until = key.until { writer.member("until", Timestamp.format(until)) }
                    }
                }
            }
        }
    }

    private static func write(_ policy: ConsortiumPolicy, to writer: inout CompactJSONWriter) {
        writer.key("policy")
        writer.object { writer in
            writer.member("admins", policy.admins)
            writer.member("quorum", policy.quorum)
            writer.member("log", policy.logSigner)
        }
    }

    /// Reads the predicate object: the members `write` writes for its change, and no other.
    static func read(from reader: inout CompactJSONReader) throws(LedgerFormatError) -> GovernancePredicate {
        var text: [String: String] = [:]
        var settings: ConsortiumSettings?
        var member: MemberDeclaration?
        var policy: ConsortiumPolicy?
        var pipeline: (id: String, version: Digest)?
        var revocation: (party: String, keyID: String, reason: String?)?
        var approval: (proposal: Int, entry: Digest)?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "change", "party", "signedAt", "previous", "note": text[key] = try reader.readString()
            case "consortium": settings = try readSettings(&reader)
            case "member": member = try readMember(&reader)
            case "policy": policy = try readPolicy(&reader)
            case "pipeline":
                let fields = try readStrings(&reader, "pipeline", required: ["id", "version"])
                let version = fields["version"]!
                guard version.hasPrefix("sha256:"), let digest = StepPredicate.lowercaseSHA256(version.dropFirst(7))
                else { throw invalid("pipeline.version", version, "sha256: and 64 lowercase hex digits") }
                pipeline = (fields["id"]!, digest)
            case "revoke":
                let fields = try readStrings(&reader, "revoke", required: ["party", "keyid"], optional: ["reason"])
                revocation = (fields["party"]!, fields["keyid"]!, fields["reason"])
            case "approve":
                var proposal: Int?
                var entry: Digest?
                try reader.readObject { reader, key throws(LedgerFormatError) in
                    switch key {
                    case "proposal": proposal = try reader.readInteger()
                    case "entry":
                        let hex = try reader.readString()
                        guard let digest = StepPredicate.lowercaseSHA256(hex[...]) else {
                            throw invalid("approve.entry", hex, "64 lowercase hex digits")
                        }
                        entry = digest
                    default: throw unknown("approve." + key)
                    }
                }
                guard let proposal else { throw missing("approve.proposal") }
                guard let entry else { throw missing("approve.entry") }
                approval = (proposal, entry)
            default: throw unknown(key)
            }
        }
        func required(_ name: String) throws(LedgerFormatError) -> String {
            guard let value = text[name] else { throw missing(name) }
            return value
        }
        let kind = try required("change")
        let bodies: [String: Bool] = [
            "consortium": settings != nil, "member": member != nil, "policy": policy != nil,
            "pipeline": pipeline != nil, "revoke": revocation != nil, "approve": approval != nil,
        ]
        let expected: Set<String> =
            switch kind {
            case "genesis": ["consortium", "member", "policy"]
            case "member": ["member"]
            case "pipeline": ["pipeline"]
            case "revoke": ["revoke"]
            case "policy": ["policy"]
            case "approve": ["approve"]
            default: throw invalid("change", kind, "one of genesis, member, pipeline, revoke, policy, approve")
            }
        for (body, present) in bodies.sorted(by: { $0.key < $1.key }) where present != expected.contains(body) {
            throw present ? invalid(body, "present", "no \"\(body)\" in a \(kind) entry") : missing(body)
        }
        let change: GovernanceChange =
            switch kind {
            case "genesis": .genesis(settings: settings!, founder: member!, policy: policy!)
            case "member": .member(member!)
            case "pipeline": .pipeline(id: pipeline!.id, version: pipeline!.version)
            case "revoke": .revocation(party: revocation!.party, keyID: revocation!.keyID, reason: revocation!.reason)
            case "policy": .policy(policy!)
            default: .approval(proposal: approval!.proposal, entry: approval!.entry)
            }
        let timeText = try required("signedAt")
        guard let signedAt = Timestamp.parseCanonical(timeText) else {
            throw invalid("signedAt", timeText, "an RFC 3339 UTC time to the second, like 2026-11-23T10:00:00Z")
        }
        let previousText = try required("previous")
        var previous: Digest?
        if !previousText.isEmpty {
            guard let digest = StepPredicate.lowercaseSHA256(previousText[...]) else {
                throw invalid("previous", previousText, "64 lowercase hex digits or an empty string")
            }
            previous = digest
        }
        return try GovernancePredicate(
            change: change,
            party: try required("party"),
            signedAt: signedAt,
            previous: previous,
            note: text["note"]
        )
    }

    private static func readSettings(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> ConsortiumSettings
    {
        let fields = try readStrings(&reader, "consortium", required: ["origin", "clock"])
        guard let clock = ConsortiumSettings.Clock(rawValue: fields["clock"]!) else {
            throw invalid("consortium.clock", fields["clock"]!, "system or simulated")
        }
        return ConsortiumSettings(origin: fields["origin"]!, clock: clock)
    }

    private static func readPolicy(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> ConsortiumPolicy {
        var admins: [String]?
        var quorum: Int?
        var log: String?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "admins":
                var list: [String] = []
                try reader.readArray { reader throws(LedgerFormatError) in list.append(try reader.readString()) }
                admins = list
            case "quorum": quorum = try reader.readInteger()
            case "log": log = try reader.readString()
            default: throw unknown("policy." + key)
            }
        }
        guard let admins else { throw missing("policy.admins") }
        guard let quorum else { throw missing("policy.quorum") }
        guard let log else { throw missing("policy.log") }
        let policy = ConsortiumPolicy(admins: admins, quorum: quorum, logSigner: log)
        guard policy.admins == admins else {
            throw invalid("policy.admins", "\(admins)", "party ids sorted, each once")
        }
        return policy
    }

    private static func readMember(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> MemberDeclaration {
        var id: String?
        var name: String?
        var keys: [PartyKey]?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "party": id = try reader.readString()
            case "name": name = try reader.readString()
            case "keys":
                var list: [PartyKey] = []
                try reader.readArray { reader throws(LedgerFormatError) in list.append(try readKey(&reader)) }
                keys = list
            default: throw unknown("member." + key)
            }
        }
        guard let id else { throw missing("member.party") }
        guard let name else { throw missing("member.name") }
        guard let keys else { throw missing("member.keys") }
        return MemberDeclaration(id: id, name: name, keys: keys)
    }

    private static func readKey(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> PartyKey {
        let fields = try readStrings(&reader, "member.keys", required: ["ed25519"], optional: ["since", "until"])
        guard let der = StrictBase64.decode(fields["ed25519"]!) else {
            throw .invalidBase64(context: "governance statement", field: "predicate.member.keys.ed25519")
        }
        let publicKey: Ed25519PublicKey
        do {
            publicKey = try Ed25519PublicKey(spkiDER: der)
        } catch {
            throw invalid("member.keys.ed25519", fields["ed25519"]!, "an Ed25519 SubjectPublicKeyInfo: \(error)")
        }
        func time(_ name: String) throws(LedgerFormatError) -> Date? {
            guard let text = fields[name] else { return nil }
            guard let date = Timestamp.parseCanonical(text) else {
                throw invalid("member.keys." + name, text, "an RFC 3339 UTC time to the second")
            }
            return date
        }
        return PartyKey(publicKey: publicKey, since: try time("since"), until: try time("until"))
    }

    /// Reads an object of string members: every `required` one, perhaps `optional` ones, no other.
    private static func readStrings(
        _ reader: inout CompactJSONReader,
        _ context: String,
        required: Set<String>,
        optional: Set<String> = []
    ) throws(LedgerFormatError) -> [String: String] {
        var fields: [String: String] = [:]
        try reader.readObject { reader, key throws(LedgerFormatError) in
            guard required.contains(key) || optional.contains(key) else { throw unknown(context + "." + key) }
            fields[key] = try reader.readString()
        }
        for name in required.sorted() where fields[name] == nil { throw missing(context + "." + name) }
        return fields
    }

    private static func unknown(_ field: String) -> LedgerFormatError {
        .unknownField(context: "governance statement", field: "predicate." + field)
    }

    private static func missing(_ field: String) -> LedgerFormatError {
        .missingField(context: "governance statement", field: "predicate." + field)
    }
}
