/// An in-toto Statement v1 carrying Countersign's step predicate: the payload of every ledger entry
/// (FORMATS.md §4).
///
/// `json` is deterministic compact JSON with members in the order FORMATS.md shows, so the same
/// statement always serialises to the same bytes. Decoding accepts members in any order but refuses
/// unknown, duplicate or missing members.
public struct Statement: Hashable, Sendable {
    /// The in-toto statement type.
    public static let type = "https://in-toto.io/Statement/v1"
    /// Countersign's predicate type.
    public static let predicateType = "https://countersign.dev/step/v1"

    /// A document the entry attaches: its name in the case and the SHA-256 of its canonical form.
    public struct Subject: Hashable, Sendable {
        /// The document name (a key of the pipeline's `documents`).
        public let name: String
        /// SHA-256 of the document's exclusive C14N (FORMATS.md §3).
        public let sha256: Digest

        /// A subject; throws when the name is empty or the digest is not SHA-256.
        public init(name: String, sha256: Digest) throws(LedgerFormatError) {
            guard !name.isEmpty else {
                throw .invalidField(
                    context: "statement",
                    field: "subject.name",
                    value: name,
                    expected: "a document name"
                )
            }
            guard sha256.bytes.count == SHA256.byteCount else {
                throw .invalidField(
                    context: "statement",
                    field: "subject.digest.sha256",
                    value: sha256.hex,
                    expected: "64 hex digits"
                )
            }
            self.name = name
            self.sha256 = sha256
        }
    }

    /// The documents this entry attaches, in order; empty when it attaches none.
    public let subjects: [Subject]
    /// Who decided what, when.
    public let predicate: StepPredicate

    public init(subjects: [Subject], predicate: StepPredicate) {
        self.subjects = subjects
        self.predicate = predicate
    }

    /// Decodes a statement, refusing a wrong `_type` or `predicateType` and any malformed field.
    public init(json: [UInt8]) throws(LedgerFormatError) {
        var reader = CompactJSONReader(json, context: "statement")
        var type: String?
        var subjects: [Subject]?
        var predicateType: String?
        var predicate: StepPredicate?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "_type": type = try reader.readString()
            case "subject": subjects = try Self.readSubjects(&reader)
            case "predicateType": predicateType = try reader.readString()
            case "predicate": predicate = try StepPredicate.read(from: &reader)
            default: throw .unknownField(context: "statement", field: key)
            }
        }
        try reader.finish()
        guard let type else { throw .missingField(context: "statement", field: "_type") }
        guard type == Self.type else {
            throw .invalidField(context: "statement", field: "_type", value: type, expected: Self.type)
        }
        guard let predicateType else { throw .missingField(context: "statement", field: "predicateType") }
        guard predicateType == Self.predicateType else {
            throw .invalidField(
                context: "statement",
                field: "predicateType",
                value: predicateType,
                expected: Self.predicateType
            )
        }
        guard let subjects else { throw .missingField(context: "statement", field: "subject") }
        guard let predicate else { throw .missingField(context: "statement", field: "predicate") }
        self.subjects = subjects
        self.predicate = predicate
    }

    /// The `predicateType` of an in-toto statement, read without decoding the rest; `nil` when the
    /// bytes are not a JSON object naming one.
    public static func predicateType(ofJSON json: [UInt8]) -> String? {
        var reader = CompactJSONReader(json, context: "statement")
        var type: String?
        do {
            try reader.readObject { reader, key throws(LedgerFormatError) in
                if key == "predicateType" { type = try reader.readString() } else { try reader.skipValue() }
            }
        } catch {
            return nil
        }
        return type
    }

    /// The compact JSON serialisation, the bytes an envelope signs.
    public var json: [UInt8] {
        var writer = CompactJSONWriter(capacity: 512 + subjects.count * 100)
        writer.object { writer in
            writer.member("_type", Self.type)
            Self.write(subjects, to: &writer)
            writer.member("predicateType", Self.predicateType)
            writer.key("predicate")
            predicate.write(to: &writer)
        }
        return writer.bytes
    }

    /// Writes the `subject` member.
    static func write(_ subjects: [Subject], to writer: inout CompactJSONWriter) {
        writer.key("subject")
        writer.array { writer in
            for subject in subjects {
                writer.object { writer in
                    writer.member("name", subject.name)
                    writer.key("digest")
                    writer.object { writer in writer.member("sha256", subject.sha256.hex) }
                }
            }
        }
    }

    /// Reads the `subject` array.
    static func readSubjects(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> [Subject] {
        var subjects: [Subject] = []
        try reader.readArray { reader throws(LedgerFormatError) in
            var name: String?
            var digest: Digest?
            try reader.readObject { reader, key throws(LedgerFormatError) in
                switch key {
                case "name": name = try reader.readString()
                case "digest": digest = try readDigestSet(&reader)
                default: throw .unknownField(context: "statement", field: "subject." + key)
                }
            }
            guard let name else { throw .missingField(context: "statement", field: "subject.name") }
            guard let digest else { throw .missingField(context: "statement", field: "subject.digest") }
            subjects.append(try Subject(name: name, sha256: digest))
        }
        return subjects
    }

    /// Reads `{"sha256":"HEX"}`, the only digest set Countersign writes.
    private static func readDigestSet(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> Digest {
        var digest: Digest?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            guard key == "sha256" else { throw .unknownField(context: "statement", field: "subject.digest." + key) }
            let text = try reader.readString()
            guard let value = StepPredicate.lowercaseSHA256(text[...]) else {
                throw .invalidField(
                    context: "statement",
                    field: "subject.digest.sha256",
                    value: text,
                    expected: "64 lowercase hex digits"
                )
            }
            digest = value
        }
        guard let digest else { throw .missingField(context: "statement", field: "subject.digest.sha256") }
        return digest
    }
}
