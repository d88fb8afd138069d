/// An in-toto Statement v1 carrying the governance predicate: the payload of every governance entry.
///
/// Its `subject` is never empty: it names what the change is about — the party file proposed
/// (`parties/PARTY.yaml` and the SHA-256 of its bytes), the files of a pipeline version
/// (`pipeline.yaml`, `schemas/…`), the key revoked (`ed25519:KEYID`, whose SHA-256 the key id is),
/// the policy (`policy`, the SHA-256 of its JSON) — and an approval names the subjects of the
/// proposal it approves.
public struct GovernanceStatement: Hashable, Sendable {
    public let subjects: [Statement.Subject]
    public let predicate: GovernancePredicate

    public init(subjects: [Statement.Subject], predicate: GovernancePredicate) {
        self.subjects = subjects
        self.predicate = predicate
    }

    /// Decodes a statement, refusing a wrong `_type` or `predicateType`, an empty `subject`, and
    /// any malformed or missing member; unknown members of the statement and its subjects are
    /// ignored (in-toto's parsing rules), unknown members of the predicate refused.
    public init(json: [UInt8]) throws(LedgerFormatError) {
        var reader = CompactJSONReader(json, context: "governance statement")
        var type: String?
        var subjects: [Statement.Subject]?
        var predicateType: String?
        var predicate: GovernancePredicate?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "_type": type = try reader.readString()
            case "subject": subjects = try Statement.readSubjects(&reader)
            case "predicateType": predicateType = try reader.readString()
            case "predicate": predicate = try GovernancePredicate.read(from: &reader)
            // in-toto's parsing rules, as for case statements: unknown members are ignored.
            default: try reader.skipValue()
            }
        }
        try reader.finish()
        guard type == Statement.type else {
            throw .invalidField(
                context: "governance statement",
                field: "_type",
                value: type ?? "",
                expected: Statement.type
            )
        }
        guard predicateType == GovernancePredicate.predicateType else {
            throw .invalidField(
                context: "governance statement",
                field: "predicateType",
                value: predicateType ?? "",
                expected: GovernancePredicate.predicateType
            )
        }
        guard let subjects, !subjects.isEmpty else {
            throw .invalidField(
                context: "governance statement",
                field: "subject",
                value: "[]",
                expected: "at least one subject"
            )
        }
        guard let predicate else { throw .missingField(context: "governance statement", field: "predicate") }
        self.subjects = subjects
        self.predicate = predicate
    }

    /// The proposal an approval's statement names (`predicate.approve`), read without decoding the
    /// rest (no key is parsed); `nil` for any other statement.
    static func approvedProposal(inJSON json: [UInt8]) -> (proposal: Int, entry: Digest)? {
        var reader = CompactJSONReader(json, context: "governance statement")
        var found: (Int, Digest)?
        do {
            try reader.readObject { reader, key throws(LedgerFormatError) in
                guard key == "predicate" else { return try reader.skipValue() }
                try reader.readObject { reader, key throws(LedgerFormatError) in
                    guard key == "approve" else { return try reader.skipValue() }
                    var proposal: Int?
                    var entry: Digest?
                    try reader.readObject { reader, key throws(LedgerFormatError) in
                        switch key {
                        case "proposal": proposal = try reader.readInteger()
                        case "entry": entry = StepPredicate.lowercaseSHA256(try reader.readString()[...])
                        default: try reader.skipValue()
                        }
                    }
                    if let proposal, let entry { found = (proposal, entry) }
                }
            }
        } catch {
            return nil
        }
        return found
    }

    /// The compact JSON serialisation, the bytes an envelope signs.
    public var json: [UInt8] {
        var writer = CompactJSONWriter(capacity: 1024 + subjects.count * 100)
        writer.object { writer in
            writer.member("_type", Statement.type)
            Statement.write(subjects, to: &writer)
            writer.member("predicateType", GovernancePredicate.predicateType)
            writer.key("predicate")
            predicate.write(to: &writer)
        }
        return writer.bytes
    }
}

extension Envelope {
    /// Decodes the payload as a governance statement, refusing any other payload type.
    public func governanceStatement() throws(LedgerFormatError) -> GovernanceStatement {
        guard payloadType == Self.inTotoPayloadType else {
            throw .invalidField(
                context: "envelope",
                field: "payloadType",
                value: payloadType,
                expected: Self.inTotoPayloadType
            )
        }
        return try GovernanceStatement(json: payload)
    }

    /// Whether the payload is a governance statement (by its `predicateType`).
    public var isGovernance: Bool {
        payloadType == Self.inTotoPayloadType
            && Statement.predicateType(ofJSON: payload) == GovernancePredicate.predicateType
    }

    /// Signs a governance statement with every key of `keys` (the proposer's first).
    public static func sign(statement: GovernanceStatement, keys: [Ed25519PrivateKey]) throws(CryptoError) -> Envelope {
        try sign(payload: statement.json, keys: keys)
    }
}
