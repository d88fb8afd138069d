import Foundation

/// Reading a signing request's members, each strictly (`SigningRequest.init(json:)`): the errors
/// name the member by its path (`head.leafHash`, `documents[0].bytes`).
extension SigningRequest {
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
    struct Fields {
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

    static func required<T>(_ value: T?, _ field: String) throws(LedgerFormatError) -> T {
        guard let value else { throw .missingField(context: context, field: field) }
        return value
    }

    static func invalid(_ field: String, _ value: String, _ expected: String) -> LedgerFormatError {
        .invalidField(context: context, field: field, value: value, expected: expected)
    }

    static func readTime(_ reader: inout CompactJSONReader, _ field: String) throws(LedgerFormatError) -> Date {
        let text = try reader.readString()
        guard let date = Timestamp.parseCanonical(text) else {
            throw invalid(field, text, "an RFC 3339 UTC time to the second, like 2026-11-23T10:00:00Z")
        }
        return date
    }

    static func readSHA256(
        _ reader: inout CompactJSONReader,
        _ field: String
    ) throws(LedgerFormatError) -> Digest {
        let text = try reader.readString()
        guard let digest = StepPredicate.lowercaseSHA256(text[...]) else {
            throw invalid(field, text, "64 lowercase hex digits")
        }
        return digest
    }

    static func readFingerprint(
        _ reader: inout CompactJSONReader,
        _ field: String
    ) throws(LedgerFormatError) -> Fingerprint {
        let text = try reader.readString()
        guard let fingerprint = Fingerprint(text) else {
            throw invalid(field, text, "sha256: and 64 lowercase hex digits")
        }
        return fingerprint
    }

    static func readStrings(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> [String] {
        var strings: [String] = []
        try reader.readArray { reader throws(LedgerFormatError) in strings.append(try reader.readString()) }
        return strings
    }

    static func readPipeline(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> PipelineInfo {
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

    static func readHead(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> Head {
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

    static func readStep(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> StepInfo {
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
    static func readSigners(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> Signers {
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
            throw invalid(
                "step.by.required",
                "\(count)",
                "\(signers.required), as rule \"\(name)\" over \(parties.count) parties implies"
            )
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

    static func readParty(
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

    static func readDocuments(
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
