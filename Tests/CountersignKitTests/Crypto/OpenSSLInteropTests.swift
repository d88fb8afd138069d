import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Interoperability with the openssl command")
struct OpenSSLInteropTests {
    let message = Array("DSSEv1 28 application/vnd.in-toto+json 2 {}".utf8)

    @Test("a key made by openssl genpkey signs here and openssl pkeyutl verifies it")
    func opensslKeySignsHere() throws {
        let folder = TemporaryDirectory()
        #expect(try openssl("genpkey", "-algorithm", "ed25519", "-out", folder.path("k.pem")) == 0)
        #expect(try openssl("pkey", "-in", folder.path("k.pem"), "-pubout", "-out", folder.path("pub.pem")) == 0)
        let key = try Ed25519PrivateKey(pem: String(contentsOfFile: folder.path("k.pem"), encoding: .utf8))
        try Data(message).write(to: folder.url.appendingPathComponent("msg"))
        try Data(try key.signature(for: message)).write(to: folder.url.appendingPathComponent("sig"))
        let verify = {
            try openssl(
                "pkeyutl",
                "-verify",
                "-pubin",
                "-inkey",
                folder.path("pub.pem"),
                "-rawin",
                "-in",
                folder.path("msg"),
                "-sigfile",
                folder.path("sig")
            )
        }
        #expect(try verify() == 0)
        let publicPEM = try String(contentsOfFile: folder.path("pub.pem"), encoding: .utf8)
        #expect(try Ed25519PublicKey(pem: publicPEM) == key.publicKey)
        try Data(message + [0x21]).write(to: folder.url.appendingPathComponent("msg"))
        #expect(try verify() != 0)
    }

    @Test("a key made here signs with openssl pkeyutl and verifies here")
    func keyMadeHereSignsInOpenSSL() throws {
        let folder = TemporaryDirectory()
        let key = try Ed25519PrivateKey()
        try KeyFile.write(key, to: folder.path("k.pem"), overwrite: false)
        try Data(message).write(to: folder.url.appendingPathComponent("msg"))
        #expect(
            try openssl(
                "pkeyutl",
                "-sign",
                "-inkey",
                folder.path("k.pem"),
                "-rawin",
                "-in",
                folder.path("msg"),
                "-out",
                folder.path("sig")
            ) == 0
        )
        let signature = try Data(contentsOf: folder.url.appendingPathComponent("sig"))
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: message.dropLast()))
        #expect(
            try openssl(
                "pkey",
                "-in",
                folder.path("k.pem"),
                "-pubout",
                "-outform",
                "DER",
                "-out",
                folder.path("pub.der")
            ) == 0
        )
        #expect(Array(try Data(contentsOf: folder.url.appendingPathComponent("pub.der"))) == key.publicKey.spkiDER)
    }

    @Test("key files are written 0600 and refused when group or others can read them")
    func keyFileModes() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("keys/k.pem")
        let key = try Ed25519PrivateKey()
        try KeyFile.write(key, to: path, overwrite: false)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try KeyFile.load(path).publicKey == key.publicKey)
        #expect(throws: CryptoError.keyFileExists(path: path)) { try KeyFile.write(key, to: path, overwrite: false) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: CryptoError.keyFileTooOpen(path: path, mode: 0o644)) { try KeyFile.load(path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        #expect(throws: CryptoError.keyFileTooOpen(path: path, mode: 0o640)) { try KeyFile.load(path) }
    }
}
