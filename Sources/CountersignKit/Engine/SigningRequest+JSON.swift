import Foundation

/// A signing request's file: one JSON object, members in the order docs/SIGNING-REQUESTS.md lists
/// them. Reading is strict — the `format` this version writes, every required member, no unknown
/// or duplicate member, hashes as 64 lowercase hex digits, bytes as standard padded base64 — and
/// ends with `check`, so a request read is one whose members agree.
extension SigningRequest {
    /// The file's bytes: compact JSON and a final newline.
    public var json: [UInt8] {
        var writer = CompactJSONWriter(
            capacity: 1_024 + (documents + attaches).reduce(0) { $0 + $1.bytes.count * 4 / 3 }
        )
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
}
