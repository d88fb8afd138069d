internal import COpenSSL
import Foundation

/// A cryptographic hash value: the raw bytes, printable as lowercase hex.
public struct Digest: Hashable, Sendable, CustomStringConvertible {
    /// The raw hash bytes (32 for SHA-256, 64 for SHA-512).
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses lowercase or uppercase hex; `nil` if `hex` is not an even run of hex digits.
    public init?(hex: some StringProtocol) {
        guard let bytes = [UInt8](hex: hex) else { return nil }
        self.bytes = bytes
    }

    /// Lowercase hex, as every Countersign format writes digests.
    public var hex: String { bytes.hexString }

    public var description: String { hex }
}

/// SHA-256 through libcrypto, one shot.
public enum SHA256 {
    /// The digest length in bytes.
    public static let byteCount = 32

    /// Hashes `data` in one call.
    public static func hash(_ data: some DataProtocol) -> Digest {
        HashFunction.sha256.hash(data)
    }

    /// Hashes the concatenation of `parts` without joining them first.
    public static func hash(parts: [[UInt8]]) -> Digest {
        HashFunction.sha256.hash(parts: parts)
    }
}

/// SHA-512 through libcrypto, one shot (BagIt manifests).
public enum SHA512 {
    /// Hashes `data` in one call.
    public static func hash(_ data: some DataProtocol) -> Digest {
        HashFunction.sha512.hash(data)
    }
}

/// A libcrypto message digest fetched once and shared by every caller.
struct HashFunction: @unchecked Sendable {
    // @unchecked: an EVP_MD fetched from the default provider is immutable and thread-safe to share.
    let md: OpaquePointer
    let size: Int

    static let sha256 = HashFunction(name: "SHA256")
    static let sha512 = HashFunction(name: "SHA512")

    private init(name: String) {
        guard let md = EVP_MD_fetch(nil, name, nil) else {
            preconditionFailure("libcrypto has no \(name); the OpenSSL installation is broken")
        }
        self.md = md
        self.size = Int(EVP_MD_get_size(md))
    }

    func hash(_ data: some DataProtocol) -> Digest {
        if let result = data.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(data).withUnsafeBytes { hash($0) }
    }

    func hash(_ buffer: UnsafeRawBufferPointer) -> Digest {
        var out = [UInt8](repeating: 0, count: size)
        let ok = out.withUnsafeMutableBufferPointer { outBuffer in
            EVP_Digest(buffer.baseAddress, buffer.count, outBuffer.baseAddress, nil, md, nil)
        }
        precondition(ok == 1, "EVP_Digest failed")
        return Digest(bytes: out)
    }

    func hash(parts: [[UInt8]]) -> Digest {
        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        var ok = EVP_DigestInit_ex2(context, md, nil)
        for part in parts where ok == 1 {
            ok = part.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        }
        var out = [UInt8](repeating: 0, count: size)
        if ok == 1 {
            ok = out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, nil) }
        }
        precondition(ok == 1, "SHA digest failed")
        return Digest(bytes: out)
    }
}

extension Digest {
    /// Standard base64 with padding, as C2SP notes and proofs write hashes.
    public var base64: String { Data(bytes).base64EncodedString() }
}
