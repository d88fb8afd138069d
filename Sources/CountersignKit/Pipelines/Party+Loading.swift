import Foundation

extension Party {
    /// Loads a party file. `path` names it in messages, and its file name (without `.yaml`) must
    /// equal the `party:` id. Throws every problem found, each at its line and column.
    public init(bytes: [UInt8], path: String) throws(Diagnostics) {
        var reader = DefinitionReader()
        let loaded = Self.read(bytes, path: path, reader: &reader)
        guard reader.diagnostics.isEmpty, let loaded else { throw reader.problems }
        self = loaded.party
    }

    /// The id a party file's name says it holds: `parties/lawyer.yaml` holds `lawyer`.
    static func expectedID(forPath path: String) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        return name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name
    }

    /// Reads a party, noting problems in `reader`; also returns where each key is written, for the
    /// registry's check that no key belongs to two parties.
    static func read(
        _ bytes: [UInt8],
        path: String,
        reader: inout DefinitionReader
    ) -> (party: Party, keyLocations: [SourceLocation])? {
        guard let root = reader.document(bytes, file: path),
            let fields = reader.fields(of: root, "the party file", required: ["party", "name"], optional: ["keys"])
        else { return nil }
        let id = fields["party"].flatMap { reader.identifier($0.value, .party, for: "party") }
        let expected = expectedID(forPath: path)
        if let id, id.text != expected {
            reader.error("party id '\(id.text)' must match the file name '\(expected).yaml'", at: id.location)
        }
        let name = fields["name"].flatMap { reader.text($0.value, for: "name") }
        var keys: [(key: PartyKey, location: SourceLocation)] = []
        if let node = fields["keys"]?.value, !node.isNull {
            if let items = node.sequence {
                for item in items {
                    guard let key = key(item, reader: &reader) else { continue }
                    if keys.contains(where: { $0.key.keyID == key.keyID }) {
                        reader.error("key \(key.keyID) is listed twice", at: item.location)
                        continue
                    }
                    keys.append((key, item.location))
                }
            } else {
                reader.error("'keys' must be a list of keys, not \(node.kindDescription)", at: node.location)
            }
        }
        guard let id, let name else { return nil }
        return (Party(id: id.text, name: name, keys: keys.map(\.key), bytes: bytes), keys.map(\.location))
    }

    /// One `- ed25519: BASE64-SPKI-DER` item with its optional `since` and `until`.
    private static func key(_ node: YAMLNode, reader: inout DefinitionReader) -> PartyKey? {
        guard let fields = reader.fields(of: node, "a key", required: ["ed25519"], optional: ["since", "until"]) else {
            return nil
        }
        let since = fields["since"].flatMap { time($0.value, for: "since", reader: &reader) }
        let until = fields["until"].flatMap { time($0.value, for: "until", reader: &reader) }
        if let since, let until, until <= since, let entry = fields["until"] {
            reader.error("'until' must be later than 'since'", at: entry.value.location)
        }
        guard let entry = fields["ed25519"], let text = reader.text(entry.value, for: "ed25519") else { return nil }
        guard let der = Data(base64Encoded: text) else {
            reader.error("'ed25519' must be base64 (of the key's SubjectPublicKeyInfo DER)", at: entry.value.location)
            return nil
        }
        do {
            return PartyKey(publicKey: try Ed25519PublicKey(spkiDER: Array(der)), since: since, until: until)
        } catch {
            if der.count == 44, Ed25519PublicKey.isSmallOrder(Array(der.suffix(32))) {
                reader.error(
                    "'ed25519' is a small-order point, for which anyone can forge signatures: it cannot be a key",
                    at: entry.value.location
                )
                return nil
            }
            reader.error(
                "'ed25519' is not an Ed25519 public key (SubjectPublicKeyInfo DER, as `openssl pkey -pubout -outform DER` writes)",
                at: entry.value.location
            )
            return nil
        }
    }

    private static func time(_ node: YAMLNode, for key: String, reader: inout DefinitionReader) -> Date? {
        guard let text = reader.text(node, for: key) else { return nil }
        guard let date = Timestamp.parse(text) else {
            reader.error(
                "'\(key)' must be an RFC 3339 time such as 2026-01-01T00:00:00Z, not '\(text)'",
                at: node.location
            )
            return nil
        }
        return date
    }
}
