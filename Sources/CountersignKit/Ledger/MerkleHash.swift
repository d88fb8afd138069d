/// The RFC 6962 / RFC 9162 hash functions of the log.
public enum MerkleHash {
    /// The root of the empty tree: SHA-256 of nothing.
    public static let empty = SHA256.hash([UInt8]())

    /// A leaf: `SHA-256(0x00 || entry)`.
    public static func leaf(_ entry: [UInt8]) -> Digest {
        SHA256.hash(parts: [[0x00], entry])
    }

    /// An interior node: `SHA-256(0x01 || left || right)`.
    public static func node(_ left: Digest, _ right: Digest) -> Digest {
        SHA256.hash(parts: [[0x01], left.bytes, right.bytes])
    }
}
