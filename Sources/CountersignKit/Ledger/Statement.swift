/// An in-toto Statement v1 carrying Countersign's step predicate: the payload of every case entry
/// (FORMATS.md §4, docs/ENTRIES.md).
///
/// Revision 1 (`https://countersign.dev/step/v1`): `subject` lists the documents the entry
/// attaches, and may be empty. Revision 2 (`https://countersign.dev/step/v2`, what Countersign
/// writes): `subject` lists every document of the case as it stands after the entry, sorted by
/// name, each once — or, for a case without documents, its pipeline version alone
/// (`@pipeline/ID`, the version's digest) — so it is never empty; the predicate's `attaches` names
/// the documents the entry attaches.
///
/// `json` is deterministic compact JSON with members in the order FORMATS.md shows, so the same
/// statement always serialises to the same bytes. Decoding follows in-toto's parsing rules: members
/// in any order, unknown members of the statement and of its subjects ignored, other digest
/// algorithms beside `sha256` ignored; it refuses duplicate or missing members, and unknown members
/// of the predicate (Countersign's own type, versioned by `predicateType`).
public struct Statement: Hashable, Sendable {
    /// The in-toto statement type.
    public static let type = "https://in-toto.io/Statement/v1"
    /// Countersign's predicate type, revision 2: what Countersign writes.
    public static let predicateType = "https://countersign.dev/step/v2"
    /// Countersign's predicate type, revision 1: still read.
    public static let predicateTypeRevision1 = "https://countersign.dev/step/v1"
    /// The subject name of a case's pipeline version, for a revision-2 case without documents.
    public static func pipelineSubjectName(_ pipeline: String) -> String { "@pipeline/" + pipeline }

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

    /// Revision 1: the documents this entry attaches, in order. Revision 2: every document of the
    /// case after this entry, by name (or the pipeline version's subject alone).
    public let subjects: [Subject]
    /// Who decided what, when.
    public let predicate: StepPredicate

    public init(subjects: [Subject], predicate: StepPredicate) {
        self.subjects = subjects
        self.predicate = predicate
    }

    /// A revision-2 statement: `predicate` (which names what the entry attaches) over `documents`,
    /// the case's documents as they stand after the entry (name → fingerprint, the attached ones
    /// included), sorted by name — or over the pipeline version alone when the case has none.
    /// Throws what decoding would: a revision-1 predicate, an attached document not among them.
    public init(endorsing documents: [String: Digest], predicate: StepPredicate) throws(LedgerFormatError) {
        guard predicate.isRevision2 else { throw .missingField(context: "statement", field: "predicate.attaches") }
        var subjects: [Subject] = []
        for (name, fingerprint) in documents.sorted(by: { $0.key < $1.key }) {
            subjects.append(try Subject(name: name, sha256: fingerprint))
        }
        if subjects.isEmpty {
            subjects = [
                try Subject(name: Self.pipelineSubjectName(predicate.pipeline), sha256: predicate.pipelineDigest)
            ]
        }
        self.subjects = subjects
        self.predicate = predicate
        try checkSubjects()
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
            // in-toto's parsing rules: consumers ignore members they do not know (still signed,
            // and kept, since the envelope's bytes are stored as they are).
            default: try reader.skipValue()
            }
        }
        try reader.finish()
        guard let type else { throw .missingField(context: "statement", field: "_type") }
        guard type == Self.type else {
            throw .invalidField(context: "statement", field: "_type", value: type, expected: Self.type)
        }
        guard let predicateType else { throw .missingField(context: "statement", field: "predicateType") }
        guard predicateType == Self.predicateType || predicateType == Self.predicateTypeRevision1 else {
            throw .invalidField(
                context: "statement",
                field: "predicateType",
                value: predicateType,
                expected: Self.predicateType
            )
        }
        guard let subjects else { throw .missingField(context: "statement", field: "subject") }
        guard let predicate else { throw .missingField(context: "statement", field: "predicate") }
        guard predicate.isRevision2 == (predicateType == Self.predicateType) else {
            throw predicate.isRevision2
                ? .unknownField(context: "statement", field: "predicate.attaches")
                : .missingField(context: "statement", field: "predicate.attaches")
        }
        self.subjects = subjects
        self.predicate = predicate
        try checkSubjects()
    }

    /// The rules a statement's subjects follow by themselves: each name once; in revision 2, sorted
    /// by name, never empty, the pipeline subject only alone and with the pipeline's digest, and
    /// every attached document among them.
    private func checkSubjects() throws(LedgerFormatError) {
        func invalid(_ value: String, _ expected: String) -> LedgerFormatError {
            .invalidField(context: "statement", field: "subject", value: value, expected: expected)
        }
        let names = subjects.map(\.name)
        if let twice = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw invalid(twice, "each document named once")
        }
        guard let attaches = predicate.attaches else { return }
        guard !subjects.isEmpty else {
            throw invalid("[]", "at least one subject: the case's documents, or its pipeline version")
        }
        guard names == names.sorted() else { throw invalid(names.joined(separator: ","), "subjects sorted by name") }
        let pipelineSubject = Self.pipelineSubjectName(predicate.pipeline)
        for subject in subjects where subject.name.hasPrefix("@") {
            guard subject.name == pipelineSubject, subjects.count == 1, subject.sha256 == predicate.pipelineDigest
            else {
                throw invalid(
                    subject.name,
                    "document names, or \(pipelineSubject) with the pipeline digest alone when the case has no documents"
                )
            }
        }
        for attached in attaches where !names.contains(attached.name) {
            throw .invalidField(
                context: "statement",
                field: "predicate.attaches",
                value: attached.name,
                expected: "documents among the subjects (the case's documents after this entry)"
            )
        }
    }

    /// The case's documents after this entry, as the statement endorses them (name → fingerprint);
    /// `nil` in revision 1, which names only what it attaches.
    public var endorsedDocuments: [String: Digest]? {
        guard predicate.isRevision2 else { return nil }
        var documents: [String: Digest] = [:]
        for subject in subjects where !subject.name.hasPrefix("@") { documents[subject.name] = subject.sha256 }
        return documents
    }

    /// A document the entry attaches: its name, its fingerprint, and (revision 2) the SHA-256 of
    /// its exact bytes.
    public struct Attachment: Hashable, Sendable {
        public let name: String
        public let fingerprint: Digest
        public let sha256: Digest?
    }

    /// The documents this entry attaches, by name.
    public var attachments: [Attachment] {
        guard let attaches = predicate.attaches else {
            return subjects.map { Attachment(name: $0.name, fingerprint: $0.sha256, sha256: nil) }
        }
        return attaches.compactMap { attached in
            subjects.first { $0.name == attached.name }.map {
                Attachment(name: attached.name, fingerprint: $0.sha256, sha256: attached.sha256)
            }
        }
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
            writer.member("predicateType", predicate.isRevision2 ? Self.predicateType : Self.predicateTypeRevision1)
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
                // The other ResourceDescriptor members (uri, mediaType, annotations…) say nothing
                // Countersign checks.
                default: try reader.skipValue()
                }
            }
            guard let name else { throw .missingField(context: "statement", field: "subject.name") }
            guard let digest else { throw .missingField(context: "statement", field: "subject.digest") }
            subjects.append(try Subject(name: name, sha256: digest))
        }
        return subjects
    }

    /// Reads a digest set's `sha256`, the algorithm Countersign writes and checks. Other
    /// algorithms (in-toto's DigestSet allows several) must be strings and are not checked: the
    /// SHA-256 alone decides which document a subject names.
    private static func readDigestSet(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> Digest {
        var digest: Digest?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            let text = try reader.readString()
            guard key == "sha256" else { return }
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
