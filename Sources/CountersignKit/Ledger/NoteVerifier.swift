/// A public key that checks signature lines of C2SP signed notes: a log's Ed25519 key (type 0x01,
/// c2sp.org/signed-note) or a witness's timestamped Ed25519 cosignature key (type 0x04,
/// c2sp.org/tlog-cosignature).
///
/// Its text form is the verifier key ("vkey") of the spec: `NAME+HEX8+BASE64(type || public key)`.
public struct NoteVerifier: Hashable, Sendable, CustomStringConvertible {
    /// The signature algorithm a key signs with, identified by its C2SP type byte.
    public enum SignatureType: UInt8, Sendable {
        /// Ed25519 over the note text (c2sp.org/signed-note).
        case ed25519 = 0x01
        /// Timestamped Ed25519 witness cosignature, `cosignature/v1` (c2sp.org/tlog-cosignature).
        case cosignatureV1 = 0x04
    }

    /// The key name, as signature lines carry it.
    public let name: String
    /// `SHA-256(name || 0x0A || type || public key)[:4]`, big-endian.
    public let keyID: UInt32
    /// What the key signs.
    public let type: SignatureType
    /// The Ed25519 public key.
    public let publicKey: Ed25519PublicKey

    /// A verifier for `publicKey` under `name`; throws when `name` is not a valid key name.
    public init(name: String, publicKey: Ed25519PublicKey, type: SignatureType = .ed25519) throws(LedgerFormatError) {
        guard Self.isValidName(name) else { throw .invalidKeyName(name) }
        self.name = name
        self.type = type
        self.publicKey = publicKey
        self.keyID = Self.keyID(name: name, type: type, publicKey: publicKey)
    }

    /// Parses a verifier key `NAME+HEX8+BASE64(type || public key)` of type 0x01 or 0x04, checking
    /// that the key id it states is the one its name and key derive.
    public init(vkey: String) throws(LedgerFormatError) {
        let parts = Self.split(vkey, atPlus: 2)
        guard parts.count == 3 else { throw .invalidVerifierKey(vkey, reason: "expected NAME+KEYID+KEY") }
        let name = parts[0]
        guard Self.isValidName(name) else { throw .invalidVerifierKey(vkey, reason: "the key name is not valid") }
        guard let stated = Self.parseKeyID(parts[1]) else {
            throw .invalidVerifierKey(vkey, reason: "the key id is not 8 hex digits")
        }
        guard let material = StrictBase64.decode(parts[2]), material.count == 33 else {
            throw .invalidVerifierKey(vkey, reason: "the key is not base64 of a type byte and a 32-byte Ed25519 key")
        }
        guard let type = SignatureType(rawValue: material[0]) else {
            throw .invalidVerifierKey(
                vkey,
                reason: "signature type 0x\([material[0]].hexString) is not supported (only 0x01 and 0x04)"
            )
        }
        let publicKey: Ed25519PublicKey
        do { publicKey = try Ed25519PublicKey(raw: Array(material[1...])) } catch {
            throw .invalidVerifierKey(vkey, reason: error.description)
        }
        try self.init(name: name, publicKey: publicKey, type: type)
        guard keyID == stated else {
            throw .invalidVerifierKey(vkey, reason: "the key id does not match the name and key")
        }
    }

    /// The verifier key text, `NAME+HEX8+BASE64(type || public key)` with a lowercase key id.
    public var vkey: String {
        name + "+" + Self.hex(keyID) + "+" + StrictBase64.encode([type.rawValue] + publicKey.raw)
    }

    public var description: String { vkey }

    /// Whether `signature` — a signature line's bytes after the 4-byte key id — is this key's valid
    /// signature of `text`, the note text including its final newline.
    public func isValidSignature(_ signature: [UInt8], for text: [UInt8]) -> Bool {
        switch type {
        case .ed25519:
            return publicKey.isValidSignature(signature, for: text)
        case .cosignatureV1:
            guard let cosignature = try? Cosignature(name: name, keyID: keyID, timestamped: signature) else {
                return false
            }
            return publicKey.isValidSignature(cosignature.signature, for: cosignature.message(for: text))
        }
    }

    /// Whether `signature` was made by this key: same name and key id.
    public func matches(_ signature: SignedNote.Signature) -> Bool {
        signature.name == name && signature.keyID == keyID
    }

    /// `SHA-256(name || 0x0A || type || public key)[:4]` read big-endian, the key id of C2SP notes.
    public static func keyID(name: String, type: SignatureType, publicKey: Ed25519PublicKey) -> UInt32 {
        let digest = SHA256.hash(parts: [Array(name.utf8), [0x0A, type.rawValue], publicKey.raw])
        return digest.bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Whether `name` may name a note key: non-empty, no Unicode space, no `+`, no control character.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0.properties.isWhitespace || $0 == "+" || $0.value < 0x20 }
    }

    /// Eight lowercase hex digits.
    static func hex(_ keyID: UInt32) -> String {
        withUnsafeBytes(of: keyID.bigEndian) { Array($0) }.hexString
    }

    /// `text` split at its first `maxSplits` plus signs (base64 key material may hold more).
    static func split(_ text: String, atPlus maxSplits: Int) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "+"), maxSplits: maxSplits, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// A key id from exactly eight hex digits of either case.
    static func parseKeyID(_ text: String) -> UInt32? {
        guard text.utf8.count == 8, let bytes = [UInt8](hex: text) else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
