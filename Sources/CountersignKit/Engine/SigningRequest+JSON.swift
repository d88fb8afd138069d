import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A signing request's file: one JSON object, members in the order docs/SIGNING-REQUESTS.md lists
/// them. Reading is strict — the `format` this version writes, every required member, no unknown
/// or duplicate member, hashes as 64 lowercase hex digits, bytes as standard padded base64 — and
/// ends with `check`, so a request read is one whose members agree.
extension SigningRequest {
    /// The file's bytes: compact JSON and a final newline.
    public var json: [UInt8] {
        var writer = CompactJSONWriter(capacity: 1_024 + (documents + attaches).reduce(0) { $0 + $1.bytes.count * 4 / 3 })
        writer.object { writer in
            writer.member("format", Self.format)
            if let log { writer.member("log", log) }
            writer.member("createdAt", Timestamp.format(createdAt))
            writer.member("case", caseID)
            writer.key("pipeline")
            writer.object { writer in
                writer.member("id", pipeline.id)
                writer.member("title", pipeline.title)
                if let version = pipeline.version { writer.member("version", version) }
                writer.member("digest", "sha256:" + pipeline.digest.hex)
            }
            if let expiresAt { writer.member("expiresAt", Timestamp.format(expiresAt)) }
            writer.key("head")
            writer.object { writer in
                writer.member("index", head.index)
                writer.member("leafHash", head.leafHash.hex)
                writer.member("signedAt", Timestamp.format(head.signedAt))
            }
            writer.key("step")
            writer.object { writer in
                writer.member("id", step.id)
                writer.key("by")
                writer.object { writer in
                    writer.member("rule", Self.ruleName(step.signers.rule))
                    writer.member("required", step.signers.required)
                    writer.member("of", step.signers.parties)
                }
                writer.member("approvedBy", step.approvedBy)
                writer.member("needs", step.needs)
                writer.member("produces", step.produces)
                if let condition = step.condition { writer.member("if", condition) }
                writer.member("require", step.require)
                if let dueAt = step.dueAt { writer.member("dueAt", Timestamp.format(dueAt)) }
            }
            writer.key("party")
            writer.object { writer in
                writer.member("id", party)
                writer.member("keys", partyKeys)
            }
            Self.write(documents, as: "documents", to: &writer)
            Self.write(attaches, as: "attaches", to: &writer)
        }
        return writer.bytes + [UInt8(ascii: "\n")]
    }

    private static func write(_ list: [Document], as name: String, to writer: inout CompactJSONWriter) {
        writer.key(name)
        writer.array { writer in
            for document in list {
                writer.object { writer in
                    writer.member("name", document.name)
                    writer.member("fingerprint", document.fingerprint.description)
                    writer.member("sha256", document.sha256.hex)
                    writer.key("bytes")
                    writer.plainString(Array(StrictBase64.encode(document.bytes).utf8))
                }
            }
        }
    }

    /// Reads a request, then `check`s it. Throws naming the member that is wrong; a file of another
    /// format (or a later version of this one) is refused for its `format` before anything else is
    /// read, so its other members are never misread as this version's.
    public init(json: [UInt8]) throws(LedgerFormatError) {
        if let format = Self.format(ofJSON: json), format != Self.format {
            throw .invalidField(
                context: Self.context,
                field: "format",
                value: format,
                expected: "\(Self.format) (a request this version of countersign reads)"
            )
        }
        var reader = CompactJSONReader(json, context: Self.context)
        var fields = Fields()
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "format": fields.format = try reader.readString()
            case "log": fields.log = try reader.readString()
            case "createdAt": fields.createdAt = try Self.readTime(&reader, "createdAt")
            case "case": fields.caseID = try reader.readString()
            case "pipeline": fields.pipeline = try Self.readPipeline(&reader)
            case "expiresAt": fields.expiresAt = try Self.readTime(&reader, "expiresAt")
            case "head": fields.head = try Self.readHead(&reader)
            case "step": fields.step = try Self.readStep(&reader)
            case "party": fields.party = try Self.readParty(&reader)
            case "documents": fields.documents = try Self.readDocuments(&reader, "documents")
            case "attaches": fields.attaches = try Self.readDocuments(&reader, "attaches")
            default: throw .unknownField(context: Self.context, field: key)
            }
        }
        try reader.finish()
        guard fields.format != nil else { throw .missingField(context: Self.context, field: "format") }
        self.init(
            log: fields.log,
            createdAt: try Self.required(fields.createdAt, "createdAt"),
            caseID: try Self.required(fields.caseID, "case"),
            pipeline: try Self.required(fields.pipeline, "pipeline"),
            expiresAt: fields.expiresAt,
            head: try Self.required(fields.head, "head"),
            step: try Self.required(fields.step, "step"),
            party: try Self.required(fields.party?.id, "party"),
            partyKeys: fields.party?.keys ?? [],
            documents: try Self.required(fields.documents, "documents"),
            attaches: try Self.required(fields.attaches, "attaches")
        )
        try check()
    }

    /// Reads and checks the request in the file at `path`, refusing a file over `maximumSize`
    /// before reading it.
    public static func read(from path: String) throws(SigningRequestError) -> SigningRequest {
        let file = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else {
            throw .unreadable(path: path, reason: "no such file")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular,
            let size = (attributes[.size] as? NSNumber)?.intValue
        else {
            throw .unreadable(path: path, reason: "not a regular file")
        }
        guard size <= maximumSize else { throw .oversized(path: path, size: size) }
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw .unreadable(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        let bytes: [UInt8]
        do {
            bytes = Array(try handle.read(upToCount: maximumSize + 1) ?? Data())
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        guard bytes.count <= maximumSize else { throw .oversized(path: path, size: bytes.count) }
        do {
            return try SigningRequest(json: bytes)
        } catch {
            throw .invalid(path: path, error)
        }
    }

    /// Writes the request to `path` (creating its folder), refusing to replace an existing file
    /// unless `overwrite`. The file appears whole or not at all.
    public func write(to path: String, overwrite: Bool) throws(SigningRequestError) {
        if !overwrite && FileManager.default.fileExists(atPath: path) { throw .exists(path: path) }
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(json).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }

    // MARK: Reading the members

    /// The `format` member of a JSON object, read without decoding the rest; `nil` when the bytes
    /// are not a JSON object with a string `format`.
    static func format(ofJSON json: [UInt8]) -> String? {
        var reader = CompactJSONReader(json, context: context)
        var format: String?
        do {
            try reader.readObject { reader, key throws(LedgerFormatError) in
                if key == "format" { format = try reader.readString() } else { try reader.skipValue() }
            }
        } catch {
            return nil
        }
        return format
    }

    /// The members read so far.
    private struct Fields {
        var format: String?
        var log: String?
        var createdAt: Date?
        var caseID: String?
        var pipeline: PipelineInfo?
        var expiresAt: Date?
        var head: Head?
        var step: StepInfo?
        var party: (id: String, keys: [String])?
        var documents: [Document]?
        var attaches: [Document]?
    }

    private static func required<T>(_ value: T?, _ field: String) throws(LedgerFormatError) -> T {
        guard let value else { throw .missingField(context: context, field: field) }
        return value
    }

    private static func invalid(_ field: String, _ value: String, _ expected: String) -> LedgerFormatError {
        .invalidField(context: context, field: field, value: value, expected: expected)
    }

    private static func readTime(_ reader: inout CompactJSONReader, _ field: String) throws(LedgerFormatError) -> Date {
        let text = try reader.readString()
        guard let date = Timestamp.parseCanonical(text) else {
            throw invalid(field, text, "an RFC 3339 UTC time to the second, like 2026-11-23T10:00:00Z")
        }
        return date
    }

    private static func readSHA256(_ reader: inout CompactJSONReader, _ field: String) throws(LedgerFormatError) -> Digest {
        let text = try reader.readString()
        guard let digest = StepPredicate.lowercaseSHA256(text[...]) else {
            throw invalid(field, text, "64 lowercase hex digits")
        }
        return digest
    }

    private static func readFingerprint(
        _ reader: inout CompactJSONReader,
        _ field: String
    ) throws(LedgerFormatError) -> Fingerprint {
        let text = try reader.readString()
        guard let fingerprint = Fingerprint(text) else {
            throw invalid(field, text, "sha256: and 64 lowercase hex digits")
        }
        return fingerprint
    }

    private static func readStrings(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> [String] {
        var strings: [String] = []
        try reader.readArray { reader throws(LedgerFormatError) in strings.append(try reader.readString()) }
        return strings
    }

    private static func readPipeline(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> PipelineInfo {
        var id: String?
        var title: String?
        var version: String?
        var digest: Digest?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "id": id = try reader.readString()
            case "title": title = try reader.readString()
            case "version": version = try reader.readString()
            case "digest":
                let text = try reader.readString()
                guard text.hasPrefix("sha256:"), let value = StepPredicate.lowercaseSHA256(text.dropFirst(7)) else {
                    throw invalid("pipeline.digest", text, "sha256: and 64 lowercase hex digits")
                }
                digest = value
            default: throw .unknownField(context: context, field: "pipeline." + key)
            }
        }
        return PipelineInfo(
            id: try required(id, "pipeline.id"),
            title: try required(title, "pipeline.title"),
            version: version,
            digest: try required(digest, "pipeline.digest")
        )
    }

    private static func readHead(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> Head {
        var index: Int?
        var leafHash: Digest?
        var signedAt: Date?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "index": index = try reader.readInteger()
            case "leafHash": leafHash = try readSHA256(&reader, "head.leafHash")
            case "signedAt": signedAt = try readTime(&reader, "head.signedAt")
            default: throw .unknownField(context: context, field: "head." + key)
            }
        }
        return Head(
            index: try required(index, "head.index"),
            leafHash: try required(leafHash, "head.leafHash"),
            signedAt: try required(signedAt, "head.signedAt")
        )
    }

    private static func readStep(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> StepInfo {
        var id: String?
        var signers: Signers?
        var approvedBy: [String]?
        var needs: [String]?
        var produces: [String]?
        var condition: String?
        var require: [String]?
        var dueAt: Date?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "id": id = try reader.readString()
            case "by": signers = try readSigners(&reader)
            case "approvedBy": approvedBy = try readStrings(&reader)
            case "needs": needs = try readStrings(&reader)
            case "produces": produces = try readStrings(&reader)
            case "if": condition = try reader.readString()
            case "require": require = try readStrings(&reader)
            case "dueAt": dueAt = try readTime(&reader, "step.dueAt")
            default: throw .unknownField(context: context, field: "step." + key)
            }
        }
        return StepInfo(
            id: try required(id, "step.id"),
            signers: try required(signers, "step.by"),
            approvedBy: try required(approvedBy, "step.approvedBy"),
            needs: try required(needs, "step.needs"),
            produces: try required(produces, "step.produces"),
            condition: condition,
            require: try required(require, "step.require"),
            dueAt: dueAt
        )
    }

    /// `{"rule": "one" | "any" | "all" | "quorum", "required": K, "of": [PARTY...]}`: `required`
    /// is what the rule implies (1 for one and any, every party for all, K for a quorum).
    private static func readSigners(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> Signers {
        var rule: String?
        var required: Int?
        var of: [String]?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "rule": rule = try reader.readString()
            case "required": required = try reader.readInteger()
            case "of": of = try readStrings(&reader)
            default: throw .unknownField(context: context, field: "step.by." + key)
            }
        }
        let name = try self.required(rule, "step.by.rule")
        let count = try self.required(required, "step.by.required")
        let parties = try self.required(of, "step.by.of")
        let signers: Signers
        switch name {
        case "one": signers = Signers(parties: parties, rule: .one)
        case "any": signers = Signers(parties: parties, rule: .any)
        case "all": signers = Signers(parties: parties, rule: .all)
        case "quorum": signers = Signers(parties: parties, rule: .quorum(count))
        default: throw invalid("step.by.rule", name, "one of one, any, all, quorum")
        }
        guard signers.required == count else {
            throw invalid("step.by.required", "\(count)", "\(signers.required), as rule \"\(name)\" over \(parties.count) parties implies")
        }
        if name == "one", parties.count != 1 {
            throw invalid("step.by.of", parties.joined(separator: ","), "one party, as rule \"one\" says")
        }
        return signers
    }

    static func ruleName(_ rule: Signers.Rule) -> String {
        switch rule {
        case .one: "one"
        case .any: "any"
        case .all: "all"
        case .quorum: "quorum"
        }
    }

    private static func readParty(
        _ reader: inout CompactJSONReader
    ) throws(LedgerFormatError) -> (id: String, keys: [String]) {
        var id: String?
        var keys: [String]?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "id": id = try reader.readString()
            case "keys": keys = try readStrings(&reader)
            default: throw .unknownField(context: context, field: "party." + key)
            }
        }
        return (try required(id, "party.id"), try required(keys, "party.keys"))
    }

    private static func readDocuments(
        _ reader: inout CompactJSONReader,
        _ field: String
    ) throws(LedgerFormatError) -> [Document] {
        var documents: [Document] = []
        try reader.readArray { reader throws(LedgerFormatError) in
            let position = "\(field)[\(documents.count)]"
            var name: String?
            var fingerprint: Fingerprint?
            var sha256: Digest?
            var bytes: [UInt8]?
            try reader.readObject { reader, key throws(LedgerFormatError) in
                switch key {
                case "name": name = try reader.readString()
                case "fingerprint": fingerprint = try readFingerprint(&reader, position + ".fingerprint")
                case "sha256": sha256 = try readSHA256(&reader, position + ".sha256")
                case "bytes":
                    let encoded = try reader.readStringBytes()
                    guard let decoded = StrictBase64.decode(encoded) else {
                        throw .invalidBase64(context: context, field: position + ".bytes")
                    }
                    bytes = decoded
                default: throw .unknownField(context: context, field: position + "." + key)
                }
            }
            documents.append(
                Document(
                    name: try required(name, position + ".name"),
                    fingerprint: try required(fingerprint, position + ".fingerprint"),
                    sha256: try required(sha256, position + ".sha256"),
                    bytes: try required(bytes, position + ".bytes")
                )
            )
        }
        guard documents.map(\.name) == documents.map(\.name).sorted() else {
            throw invalid(field, documents.map(\.name).joined(separator: ","), "documents sorted by name")
        }
        return documents
    }
}
