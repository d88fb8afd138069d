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

    /// A key from its raw 32 bytes; refuses a small-order point (see `isSmallOrder`).
    public init(raw: [UInt8]) throws(CryptoError) {
        try self.init(key: .ed25519(rawPublic: raw))
    }

    private init(key: OpenSSLKey) throws(CryptoError) {
        let raw = key.rawPublic
        guard !Self.isSmallOrder(raw) else {
            throw .invalidKey(
                "the public key is a small-order point, for which signatures can be forged without any private key"
            )
        }
        self.key = key
        self.raw = raw
        self.keyID = SHA256.hash(raw).hex
    }

    /// Whether `raw` encodes a point of small order (1, 2, 4 or 8): the identity, the point of order
    /// 2, the two of order 4 and the four of order 8, in every encoding, canonical or not. Signatures
    /// "by" such a key verify for many messages without any private key (RFC 8032 verification
    /// without the cofactor check, as libcrypto does it), so no such key is ever accepted. The list
    /// is the one libsodium refuses; the sign bit (the top bit of the last byte) is ignored, which
    /// covers the negated points and the non-canonical encodings of x = 0.
    public static func isSmallOrder(_ raw: [UInt8]) -> Bool {
        guard raw.count == 32 else { return false }
        return smallOrderPoints.contains { point in
            (0..<31).allSatisfy { raw[$0] == point[$0] } && raw[31] & 0x7F == point[31]
        }
    }

    /// The y coordinates (little-endian, sign bit clear) of the small-order points, and the
    /// non-canonical encodings y = p and y = p + 1 of y = 0 and y = 1.
    private static let smallOrderPoints: [[UInt8]] = {
        let ones = [UInt8](repeating: 0xFF, count: 30)
        return [
            [UInt8](repeating: 0, count: 32),  // y = 0: order 4
            [1] + [UInt8](repeating: 0, count: 31),  // y = 1: the identity, order 1
            [
                0x26, 0xE8, 0x95, 0x8F, 0xC2, 0xB2, 0x27, 0xB0, 0x45, 0xC3, 0xF4, 0x89, 0xF2, 0xEF, 0x98, 0xF0,
                0xD5, 0xDF, 0xAC, 0x05, 0xD3, 0xC6, 0x33, 0x39, 0xB1, 0x38, 0x02, 0x88, 0x6D, 0x53, 0xFC, 0x05,
            ],  // order 8
            [
                0xC7, 0x17, 0x6A, 0x70, 0x3D, 0x4D, 0xD8, 0x4F, 0xBA, 0x3C, 0x0B, 0x76, 0x0D, 0x10, 0x67, 0x0F,
                0x2A, 0x20, 0x53, 0xFA, 0x2C, 0x39, 0xCC, 0xC6, 0x4E, 0xC7, 0xFD, 0x77, 0x92, 0xAC, 0x03, 0x7A,
            ],  // order 8
            [0xEC] + ones + [0x7F],  // y = p - 1: order 2
            [0xED] + ones + [0x7F],  // y = p, a non-canonical 0
            [0xEE] + ones + [0x7F],  // y = p + 1, a non-canonical 1
        ]
    }()

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
