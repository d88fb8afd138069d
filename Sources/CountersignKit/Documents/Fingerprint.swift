/// A document's identity: SHA-256 of its exclusive XML canonical form (C14N 1.0, without comments),
/// written `sha256:` and 64 lowercase hex digits. Encodes to and decodes from that string.
public struct Fingerprint: Hashable, Sendable, Codable, LosslessStringConvertible {
    private static let prefix = "sha256:"

    /// The SHA-256 digest of the canonical bytes.
    public let digest: Digest

    /// Wraps a SHA-256 digest (32 bytes).
    public init(digest: Digest) {
        precondition(digest.bytes.count == SHA256.byteCount, "a fingerprint is a SHA-256 digest")
        self.digest = digest
    }

    /// Parses `sha256:HEX` with exactly 64 lowercase hex digits; `nil` for anything else.
    public init?(_ description: String) {
        guard description.hasPrefix(Self.prefix) else { return nil }
        let hex = description.dropFirst(Self.prefix.count)
        guard hex.utf8.count == 2 * SHA256.byteCount, hex == hex.lowercased(), let digest = Digest(hex: hex) else {
            return nil
        }
        self.digest = digest
    }

    /// `sha256:` and the lowercase hex digest.
    public var description: String { Self.prefix + digest.hex }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let fingerprint = Fingerprint(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "not a fingerprint (sha256: and 64 lowercase hex digits): \(text)"
            )
        }
        self = fingerprint
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
