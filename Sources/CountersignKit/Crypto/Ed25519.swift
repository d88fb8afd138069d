import Foundation

/// An Ed25519 signing key (RFC 8032). Reads and writes the PKCS#8 PEM files `openssl genpkey` makes.
public struct Ed25519PrivateKey: Sendable {
    let key: OpenSSLKey

    /// The matching public key.
    public let publicKey: Ed25519PublicKey

    /// A new random key.
    public init() throws(CryptoError) {
        try self.init(key: .generateEd25519())
    }

    /// The key for a 32-byte RFC 8032 seed.
    public init(seed: [UInt8]) throws(CryptoError) {
        try self.init(key: .ed25519(rawPrivate: seed))
    }

    /// Parses a PKCS#8 PEM private key; anything but Ed25519 is refused.
    public init(pem: String) throws(CryptoError) {
        try self.init(key: .privateKey(pem: pem))
    }

    private init(key: OpenSSLKey) throws(CryptoError) {
        self.key = key
        self.publicKey = try Ed25519PublicKey(raw: key.rawPublic)
    }

    /// PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes it.
    public var pemRepresentation: String { key.privatePEM }

    /// The 64-byte Ed25519 signature of `message`.
    public func signature(for message: some DataProtocol) throws(CryptoError) -> [UInt8] {
        try key.sign(Array(message))
    }
}

/// An Ed25519 verification key. Equal when the raw 32 bytes are equal.
public struct Ed25519PublicKey: Hashable, Sendable {
    let key: OpenSSLKey

    /// The raw 32-byte public key (RFC 8032 encoding).
    public let raw: [UInt8]

    /// Countersign's key id: lowercase hex SHA-256 of the raw public key (FORMATS.md §1).
    public let keyID: String

    public init(raw: [UInt8]) throws(CryptoError) {
        try self.init(key: .ed25519(rawPublic: raw))
    }

    private init(key: OpenSSLKey) {
        self.key = key
        self.raw = key.rawPublic
        self.keyID = SHA256.hash(raw).hex
    }

    /// Parses DER SubjectPublicKeyInfo, the form party files carry in base64.
    public init(spkiDER: [UInt8]) throws(CryptoError) {
        try self.init(key: .publicKey(spki: spkiDER))
    }

    /// Parses an SPKI PEM public key (`openssl pkey -pubout`).
    public init(pem: String) throws(CryptoError) {
        try self.init(key: .publicKey(pem: pem))
    }

    /// DER SubjectPublicKeyInfo: `openssl pkey -pubout -outform DER`.
    public var spkiDER: [UInt8] { key.spkiDER }

    /// SPKI PEM: `openssl pkey -pubout`.
    public var pemRepresentation: String { key.publicPEM }

    /// Whether `signature` is a valid Ed25519 signature of `message` by this key.
    public func isValidSignature(_ signature: some DataProtocol, for message: some DataProtocol) -> Bool {
        let signatureBytes = Array(signature)
        return signatureBytes.withUnsafeBytes { signatureBuffer in
            if let result = message.withContiguousStorageIfAvailable({
                key.verify(signatureBuffer, for: UnsafeRawBufferPointer($0))
            }) {
                return result
            }
            return Array(message).withUnsafeBytes { key.verify(signatureBuffer, for: $0) }
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.raw == rhs.raw }

    public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}
