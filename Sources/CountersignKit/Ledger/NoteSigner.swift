/// An Ed25519 key that signs C2SP signed notes (type 0x01), such as a log signing its checkpoints.
///
/// Its text form is the signer key of golang.org/x/mod/sumdb/note,
/// `PRIVATE+KEY+NAME+HEX8+BASE64(0x01 || 32-byte seed)`, which is secret.
public struct NoteSigner: Sendable {
    /// The key name written on signature lines.
    public let name: String
    /// The private key.
    public let key: Ed25519PrivateKey
    /// The matching verifier, whose `vkey` is what others are given.
    public let verifier: NoteVerifier

    /// The key id, as the verifier computes it.
    public var keyID: UInt32 { verifier.keyID }

    /// A signer for `key` under `name`; throws when `name` is not a valid key name.
    public init(name: String, key: Ed25519PrivateKey) throws(LedgerFormatError) {
        self.name = name
        self.key = key
        self.verifier = try NoteVerifier(name: name, publicKey: key.publicKey)
    }

    /// Parses a signer key `PRIVATE+KEY+NAME+HEX8+BASE64(0x01 || seed)`, checking that the key id it
    /// states is the one its name and derived public key give. Errors never repeat the key.
    public init(skey: String) throws(LedgerFormatError) {
        let parts = NoteVerifier.split(skey, atPlus: 4)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else {
            throw .invalidSignerKey(reason: "expected PRIVATE+KEY+NAME+KEYID+KEY")
        }
        let name = parts[2]
        guard NoteVerifier.isValidName(name) else { throw .invalidSignerKey(reason: "the key name is not valid") }
        guard let stated = NoteVerifier.parseKeyID(parts[3]) else {
            throw .invalidSignerKey(reason: "the key id is not 8 hex digits")
        }
        guard let material = StrictBase64.decode(parts[4]), material.count == 33 else {
            throw .invalidSignerKey(reason: "the key is not base64 of a type byte and a 32-byte Ed25519 seed")
        }
        guard material[0] == NoteVerifier.SignatureType.ed25519.rawValue else {
            throw .invalidSignerKey(reason: "only Ed25519 (type 0x01) signer keys are supported")
        }
        let key: Ed25519PrivateKey
        do { key = try Ed25519PrivateKey(seed: Array(material[1...])) } catch {
            throw .invalidSignerKey(reason: "the seed is not a usable Ed25519 key")
        }
        try self.init(name: name, key: key)
        guard keyID == stated else {
            throw .invalidSignerKey(reason: "the key id does not match the name and key")
        }
    }

    /// The secret signer key text, `PRIVATE+KEY+NAME+HEX8+BASE64(0x01 || seed)`.
    public var skey: String {
        guard let seed = key.key.rawPrivate else {
            preconditionFailure("an Ed25519 private key always exposes its 32-byte seed")
        }
        let material = [NoteVerifier.SignatureType.ed25519.rawValue] + seed
        return "PRIVATE+KEY+" + name + "+" + NoteVerifier.hex(keyID) + "+" + StrictBase64.encode(material)
    }

    /// The signature line for `text`, the note text including its final newline.
    public func signature(for text: [UInt8]) throws(CryptoError) -> SignedNote.Signature {
        SignedNote.Signature(validName: name, keyID: keyID, bytes: try key.signature(for: text))
    }
}
