import Foundation

/// The in-toto Statement v1 rules, checked on JSON bytes for tests: written from the in-toto
/// attestation specification (`spec/v1/statement.md`, `resource_descriptor.md`, `digest_set.md`,
/// `field_types.md` and the parsing rules of `spec/v1/README.md`), and independent of Countersign's
/// own decoders — it reads the bytes with `JSONSerialization` and knows nothing of the project's
/// types, so a statement the project's reader accepts wrongly still fails here.
///
/// The rules:
/// - the statement is a JSON object whose `_type` is `https://in-toto.io/Statement/v1`;
/// - `subject` is a non-empty array (in-toto's reference validator wants at least one subject,
///   and so do sigstore's verifiers) of ResourceDescriptor objects, each with a `digest` set
///   (statement.md), each naming at least one of `uri`, `digest`, `content`
///   (resource_descriptor.md), with `name` and `uri` strings unique within the subject;
/// - a `digest` is a non-empty map from algorithm to string; the standard algorithms of
///   digest_set.md take lowercase hex, of their fixed length where they have one; other
///   algorithms are allowed (consumers ignore them);
/// - the other ResourceDescriptor fields have their types (`content` base64, `mediaType` a string,
///   `downloadLocation` a URI, `annotations` an object);
/// - `predicateType` is a TypeURI: an RFC 3986 URI with a scheme, case-normalised (scheme and
///   authority in lowercase);
/// - `predicate`, when present, is an object;
/// - unknown members are allowed anywhere (the parsing rules: consumers ignore them).
public enum InTotoStatementValidator {
    /// The statement type of this version of the specification.
    public static let statementType = "https://in-toto.io/Statement/v1"
    /// The DSSE payload type of an in-toto statement.
    public static let payloadType = "application/vnd.in-toto+json"

    /// digest_set.md's standard algorithms whose values are lowercase hex, with their size in bytes
    /// where it is fixed (`nil`: any whole number of bytes, as for the extendable-output functions).
    static let hexAlgorithms: [String: Int?] = [
        "sha256": 32, "sha224": 28, "sha384": 48, "sha512": 64, "sha512_224": 28, "sha512_256": 32,
        "sha3_224": 28, "sha3_256": 32, "sha3_384": 48, "sha3_512": 64, "shake128": nil, "shake256": nil,
        "blake2b": nil, "blake2s": nil, "ripemd160": 20, "sm3": 32, "gost": nil, "sha1": 20, "md5": 16,
        "dirHash": 32,
    ]
    /// The git object digests: SHA-1 (20 bytes) or SHA-256 (32 bytes), lowercase hex.
    static let gitAlgorithms: Set<String> = ["gitCommit", "gitTree", "gitBlob", "gitTag"]

    /// Every rule the statement `json` breaks, in words; empty when it is a valid in-toto Statement v1.
    public static func problems(ofStatement json: [UInt8]) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed]) else {
            return ["the statement is not JSON"]
        }
        guard let statement = object as? [String: Any] else { return ["the statement is not a JSON object"] }
        var problems: [String] = []
        switch statement["_type"] {
        case nil: problems.append("_type is missing")
        case let type as String where type == statementType: break
        case let type as String: problems.append("_type is \"\(type)\", not \"\(statementType)\"")
        default: problems.append("_type is not a string")
        }
        switch statement["subject"] {
        case nil: problems.append("subject is missing")
        case let subjects as [Any]:
            if subjects.isEmpty { problems.append("subject is empty: a statement applies to at least one artifact") }
            problems += subjectProblems(subjects)
        default: problems.append("subject is not an array")
        }
        switch statement["predicateType"] {
        case nil: problems.append("predicateType is missing")
        case let type as String:
            if let problem = uriProblem(type) { problems.append("predicateType \"\(type)\" \(problem)") }
        default: problems.append("predicateType is not a string")
        }
        if let predicate = statement["predicate"], !(predicate is [String: Any]) {
            problems.append("predicate is not an object")
        }
        return problems
    }

    /// Every rule a DSSE envelope carrying an in-toto statement breaks: it is a JSON object with
    /// `payloadType` `application/vnd.in-toto+json`, a base64 `payload` (standard or URL-safe
    /// alphabet, padded or not: DSSE accepts both) that is a valid statement, and a non-empty
    /// `signatures` array of objects with a base64 `sig` and, when given, a string (or null) `keyid`.
    public static func problems(ofEnvelope bytes: [UInt8]) -> [String] {
        guard let envelope = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            return ["the envelope is not a JSON object"]
        }
        var problems: [String] = []
        if envelope["payloadType"] as? String != payloadType {
            problems.append("payloadType is not \"\(payloadType)\"")
        }
        switch envelope["signatures"] {
        case let signatures as [Any] where !signatures.isEmpty:
            for (index, signature) in signatures.enumerated() {
                guard let signature = signature as? [String: Any] else {
                    problems.append("signatures[\(index)] is not an object")
                    continue
                }
                if (signature["sig"] as? String).flatMap(base64) == nil {
                    problems.append("signatures[\(index)].sig is not base64")
                }
                if let keyID = signature["keyid"], !(keyID is String || keyID is NSNull) {
                    problems.append("signatures[\(index)].keyid is not a string")
                }
            }
        default: problems.append("signatures is not a non-empty array")
        }
        guard let payload = (envelope["payload"] as? String).flatMap(base64) else {
            return problems + ["payload is not base64"]
        }
        return problems + self.problems(ofStatement: payload)
    }

    /// The subjects' problems, each naming its index.
    private static func subjectProblems(_ subjects: [Any]) -> [String] {
        var problems: [String] = []
        var names: Set<String> = []
        var uris: Set<String> = []
        for (index, item) in subjects.enumerated() {
            let at = "subject[\(index)]"
            guard let subject = item as? [String: Any] else {
                problems.append("\(at) is not an object")
                continue
            }
            if subject["uri"] == nil && subject["digest"] == nil && subject["content"] == nil {
                problems.append("\(at) has none of uri, digest, content")
            }
            for field in ["name", "mediaType"] where subject[field] != nil && !(subject[field] is String) {
                problems.append("\(at).\(field) is not a string")
            }
            if let name = subject["name"] as? String, !names.insert(name).inserted {
                problems.append("\(at).name \"\(name)\" names another subject too")
            }
            for field in ["uri", "downloadLocation"] {
                guard let value = subject[field] else { continue }
                guard let uri = value as? String else {
                    problems.append("\(at).\(field) is not a string")
                    continue
                }
                if let problem = uriProblem(uri) { problems.append("\(at).\(field) \"\(uri)\" \(problem)") }
                if field == "uri", !uris.insert(uri).inserted {
                    problems.append("\(at).uri \"\(uri)\" names another subject too")
                }
            }
            if let content = subject["content"], (content as? String).flatMap(base64) == nil {
                problems.append("\(at).content is not base64")
            }
            if let annotations = subject["annotations"], !(annotations is [String: Any]) {
                problems.append("\(at).annotations is not an object")
            }
            switch subject["digest"] {
            case nil: problems.append("\(at).digest is missing: every subject of a statement has one")
            case let digest as [String: Any]:
                if digest.isEmpty { problems.append("\(at).digest is empty") }
                for (algorithm, value) in digest.sorted(by: { $0.key < $1.key }) {
                    guard let text = value as? String else {
                        problems.append("\(at).digest.\(algorithm) is not a string")
                        continue
                    }
                    if let problem = digestProblem(algorithm, text) {
                        problems.append("\(at).digest.\(algorithm) \(problem)")
                    }
                }
            default: problems.append("\(at).digest is not an object")
            }
        }
        return problems
    }

    /// What is wrong with `value` as a digest of `algorithm`, if it is a standard algorithm.
    static func digestProblem(_ algorithm: String, _ value: String) -> String? {
        let sizes: [Int]?
        if gitAlgorithms.contains(algorithm) {
            sizes = [20, 32]
        } else if let size = hexAlgorithms[algorithm] {
            sizes = size.map { [$0] }
        } else {
            return nil
        }
        let isLowercaseHex = value.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        guard isLowercaseHex, !value.isEmpty, value.utf8.count % 2 == 0 else {
            return "\"\(value)\" is not lowercase hex"
        }
        if let sizes, !sizes.contains(value.utf8.count / 2) {
            let expected = sizes.map { "\($0 * 2)" }.joined(separator: " or ")
            return "has \(value.utf8.count) hex digits, not \(expected)"
        }
        return nil
    }

    /// What keeps `text` from being a case-normalised RFC 3986 URI (field_types.md's ResourceURI and
    /// TypeURI): a scheme (a letter, then letters, digits, `+`, `-`, `.`) and `:`, only characters a
    /// URI may hold, the scheme and any authority (after `//`) in lowercase.
    static func uriProblem(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return "has no scheme" }
        let scheme = bytes[..<colon]
        func isLetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) }
        func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
        guard isLetter(scheme.first!),
            scheme.allSatisfy({ isLetter($0) || isDigit($0) || "+-.".utf8.contains($0) })
        else { return "has no valid scheme" }
        let allowed = Set("-._~:/?#[]@!$&'()*+,;=%".utf8)
        guard bytes.allSatisfy({ isLetter($0) || isDigit($0) || allowed.contains($0) }) else {
            return "holds a character no URI may hold"
        }
        var normalised = Array(scheme)
        let rest = bytes[(colon + 1)...]
        if rest.starts(with: "//".utf8) {
            normalised += rest.dropFirst(2).prefix { !"/?#".utf8.contains($0) }
        }
        if normalised.contains(where: { (0x41...0x5A).contains($0) }) {
            return "is not case-normalised: its scheme and authority are not lowercase"
        }
        return nil
    }

    /// Base64 in the standard or the URL-safe alphabet, padded or not.
    public static func base64(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if text.contains("-") || text.contains("_"), text.contains("+") || text.contains("/") { return nil }
        if !standard.hasSuffix("=") { standard += String(repeating: "=", count: (4 - standard.count % 4) % 4) }
        return Data(base64Encoded: standard).map(Array.init)
    }
}
