internal import COpenSSL
import Foundation

/// Owns one libcrypto `EVP_PKEY` handle; the only place Countersign touches it.
final class OpenSSLKey: @unchecked Sendable {
    // @unchecked: the EVP_PKEY is never mutated after creation, and libcrypto allows concurrent
    // sign/verify operations on a shared key as long as each uses its own EVP_MD_CTX.
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// A fresh Ed25519 key pair from the system's CSPRNG.
    static func generateEd25519() throws(CryptoError) -> OpenSSLKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "ED25519", nil) else { throw .library(drainErrors()) }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_generate(context, &key) == 1, let key else {
            throw .library(drainErrors())
        }
        return OpenSSLKey(taking: key)
    }

    static func ed25519(rawPrivate bytes: [UInt8]) throws(CryptoError) -> OpenSSLKey {
        guard bytes.count == 32 else { throw .invalidKey("a private key is 32 bytes, got \(bytes.count)") }
        guard let key = EVP_PKEY_new_raw_private_key_ex(nil, "ED25519", nil, bytes, 32) else {
            throw .invalidKey(drainErrors())
        }
        return OpenSSLKey(taking: key)
    }

    static func ed25519(rawPublic bytes: [UInt8]) throws(CryptoError) -> OpenSSLKey {
        guard bytes.count == 32 else { throw .invalidKey("a public key is 32 bytes, got \(bytes.count)") }
        guard let key = EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, bytes, 32) else {
            throw .invalidKey(drainErrors())
        }
        return OpenSSLKey(taking: key)
    }

    /// Reads a PKCS#8 private key PEM (what `openssl genpkey` writes). An encrypted key is refused
    /// with a message saying so: libcrypto is given a pass-phrase callback that supplies none, so
    /// it never prompts on the terminal.
    static func privateKey(pem: String) throws(CryptoError) -> OpenSSLKey {
        if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("Proc-Type: 4,ENCRYPTED") {
            throw .encryptedKey(path: nil)
        }
        let key = withMemoryBIO(pem) { PEM_read_bio_PrivateKey($0, nil, { _, _, _, _ in -1 }, nil) }
        guard let key else { throw .invalidPEM("no PKCS#8 private key could be read (\(drainErrors()))") }
        let owned = OpenSSLKey(taking: key)
        guard EVP_PKEY_is_a(key, "ED25519") == 1 else { throw .invalidPEM("the key is not an Ed25519 key") }
        return owned
    }

    /// Reads an SPKI public key PEM (what `openssl pkey -pubout` writes).
    static func publicKey(pem: String) throws(CryptoError) -> OpenSSLKey {
        let key = withMemoryBIO(pem) { PEM_read_bio_PUBKEY($0, nil, nil, nil) }
        guard let key else { throw .invalidPEM("no public key could be read (\(drainErrors()))") }
        let owned = OpenSSLKey(taking: key)
        guard EVP_PKEY_is_a(key, "ED25519") == 1 else { throw .invalidPEM("the key is not an Ed25519 key") }
        return owned
    }

    /// Reads a DER SubjectPublicKeyInfo.
    static func publicKey(spki der: [UInt8]) throws(CryptoError) -> OpenSSLKey {
        let key: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let key else { throw .invalidKey("not a DER SubjectPublicKeyInfo (\(drainErrors()))") }
        let owned = OpenSSLKey(taking: key)
        guard EVP_PKEY_is_a(key, "ED25519") == 1 else { throw .invalidKey("the key is not an Ed25519 key") }
        return owned
    }

    var rawPublic: [UInt8] {
        var length = 32
        var out = [UInt8](repeating: 0, count: 32)
        let ok = EVP_PKEY_get_raw_public_key(pointer, &out, &length)
        precondition(ok == 1 && length == 32, "an Ed25519 EVP_PKEY always has a 32-byte public key")
        return out
    }

    var rawPrivate: [UInt8]? {
        var length = 32
        var out = [UInt8](repeating: 0, count: 32)
        guard EVP_PKEY_get_raw_private_key(pointer, &out, &length) == 1, length == 32 else { return nil }
        return out
    }

    var spkiDER: [UInt8] {
        var buffer: UnsafeMutablePointer<UInt8>?
        let length = i2d_PUBKEY(pointer, &buffer)
        precondition(length > 0, "i2d_PUBKEY failed on a valid key")
        defer { cs_openssl_free(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
    }

    var privatePEM: String {
        writePEM { PEM_write_bio_PKCS8PrivateKey($0, pointer, nil, nil, 0, nil, nil) }
    }

    var publicPEM: String {
        writePEM { PEM_write_bio_PUBKEY($0, pointer) }
    }

    func sign(_ message: [UInt8]) throws(CryptoError) -> [UInt8] {
        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        let ok =
            EVP_DigestSignInit(context, nil, nil, nil, pointer) == 1
            && EVP_DigestSign(context, &signature, &length, message, message.count) == 1
        guard ok, length == 64 else { throw .library(OpenSSLKey.drainErrors()) }
        return signature
    }

    func verify(_ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer) -> Bool {
        guard signature.count == 64 else { return false }
        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, pointer) == 1 else {
            ERR_clear_error()
            return false
        }
        let result = EVP_DigestVerify(
            context,
            signature.baseAddress?.assumingMemoryBound(to: UInt8.self),
            64,
            message.baseAddress?.assumingMemoryBound(to: UInt8.self),
            message.count
        )
        if result != 1 { ERR_clear_error() }
        return result == 1
    }

    /// Empties libcrypto's thread-local error queue into one line.
    static func drainErrors() -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "unknown error" : messages.joined(separator: "; ")
    }

    private static func withMemoryBIO<T>(_ text: String, _ body: (OpaquePointer) -> T) -> T {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { buffer in
            let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count))!
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    private func writePEM(_ write: (OpaquePointer) -> Int32) -> String {
        let bio = BIO_new(BIO_s_mem())!
        defer { BIO_free(bio) }
        precondition(write(bio) == 1, "PEM encoding of a valid key failed")
        var data: UnsafeMutablePointer<CChar>?
        let length = cs_bio_get_mem_data(bio, &data)
        return String(
            decoding: UnsafeRawBufferPointer(start: data, count: Int(length)).bindMemory(to: UInt8.self),
            as: UTF8.self
        )
    }
}
