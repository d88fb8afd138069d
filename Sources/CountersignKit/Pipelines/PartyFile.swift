import Foundation

/// Writes party files for `countersign keygen`: registers a new public key in `parties/PARTY.yaml`,
/// creating the file when missing.
///
/// An existing file is edited as text, so its comments, order and other content stay as they were:
/// the key becomes a new `- ed25519: ...` line after the last item of a block `keys:` list, or the
/// first item under `keys:` when the list is empty (`keys: []`, `keys:`) or absent, or one more
/// `{ed25519: ...}` in a non-empty flow list (`keys: [{...}]`). The result is read back and must
/// hold the same party with exactly one more key; otherwise nothing is written.
public enum PartyFile {
    /// Adds `key` to the party file in `directory` (`PARTY.yaml`), creating it with `name` (default:
    /// the party id) when missing; `name` is ignored for an existing file. Refuses a key the file
    /// already holds. `displayPath` is how messages name the folder. Returns the party as written.
    @discardableResult
    public static func register(
        _ key: Ed25519PublicKey,
        party: String,
        name: String? = nil,
        directory: URL,
        displayPath: String
    ) throws(ConfigurationError) -> Party {
        let url = directory.appendingPathComponent("\(party).yaml")
        let path = (displayPath as NSString).appendingPathComponent("\(party).yaml")
        var existing: [UInt8]?
        if FileManager.default.fileExists(atPath: url.path) {
            do {
                existing = Array(try Data(contentsOf: url))
            } catch {
                throw .unreadable(path: path, reason: error.localizedDescription)
            }
        }
        let bytes = try adding(key, to: existing, party: party, name: name, path: path)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
        do {
            return try Party(bytes: bytes, path: path)
        } catch {
            throw .invalid(error)
        }
    }

    /// The bytes of the party file after adding `key`: a new file when `existing` is `nil`, else
    /// `existing` edited as described on the type. `path` names the file (and fixes the party id).
    public static func adding(
        _ key: Ed25519PublicKey,
        to existing: [UInt8]?,
        party: String,
        name: String?,
        path: String
    ) throws(ConfigurationError) -> [UInt8] {
        guard IdentifierRule.party.accepts(party) else {
            throw .invalidPartyID(IdentifierRule.party.problem(with: party))
        }
        let item = "ed25519: " + Data(key.spkiDER).base64EncodedString()
        guard let existing else {
            let text = "party: \(party)\nname: \(yamlText(name ?? party))\nkeys:\n  - \(item)\n"
            return Array(text.utf8)
        }
        let before: Party
        do {
            before = try Party(bytes: existing, path: path)
        } catch {
            throw .invalid(error)
        }
        if before.key(withID: key.keyID) != nil { throw .keyAlreadyRegistered(path: path, keyID: key.keyID) }
        guard let root = try? YAMLNode.parse(existing, file: path) else {
            throw .notEditable(path: path, reason: "it cannot be read back")
        }
        let edited = TextEdit.addingListItem(item, under: "keys", in: root, of: existing)
        guard let after = try? Party(bytes: edited, path: path), after.id == before.id, after.name == before.name,
            after.keys == before.keys + [PartyKey(publicKey: key)]
        else { throw .notEditable(path: path, reason: "its layout is not one this tool edits") }
        return edited
    }

    /// `text` as a YAML value: plain when it reads back unchanged, else double-quoted.
    static func yamlText(_ text: String) -> String {
        if let node = try? YAMLNode.parse(Array("name: \(text)\n".utf8), file: ""), node["name"]?.scalar == text,
            node["name"]?.isNull == false, !text.contains("\n")
        {
            return text
        }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                quoted +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
