internal import COpenSSL
import CountersignKit
import Foundation

/// Issue 2: envelope verification against the raw libcrypto Ed25519 verify rate on one core.
enum CryptoBenchmarks {
    static func run() throws {
        Bench.section("Crypto (issue 2)")
        let key = try Ed25519PrivateKey()
        let envelopes = try SampleEnvelopes.make(count: 1_000, key: key)
        let parsed = try Envelope(bytes: envelopes[0])
        // Alternate the two measurements and keep the best of each, so a busy neighbour on the
        // machine slows both alike instead of skewing the ratio.
        var raw = 0.0
        var full = 0.0
        for _ in 0..<4 {
            raw = max(raw, try rawVerifyRate(key: key, message: parsed.preAuthenticationEncoding))
            full = max(
                full,
                try Bench.rate(seconds: 0.5) {
                    for bytes in envelopes {
                        let envelope = try Envelope(bytes: bytes)
                        guard envelope.verify(with: key.publicKey) else {
                            fatalError("benchmark envelope failed to verify")
                        }
                    }
                    return envelopes.count
                }
            )
        }
        Bench.report(
            "envelope parse + PAE + verify (1 core)",
            value: Bench.perSecond(full),
            against: "raw EVP verify \(Bench.perSecond(raw))",
            ratio: full / raw,
            target: "≥ 0.9",
            met: full / raw >= 0.9
        )
    }

    /// Ed25519 verifications per second calling libcrypto directly on a message of the same length.
    static func rawVerifyRate(key: Ed25519PrivateKey, message: [UInt8]) throws -> Double {
        let signature = try key.signature(for: message)
        guard let pkey = EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, key.publicKey.raw, 32) else {
            fatalError("libcrypto refused a valid public key")
        }
        defer { EVP_PKEY_free(pkey) }
        return Bench.rate(seconds: 0.5) {
            for _ in 0..<1_000 {
                let context = EVP_MD_CTX_new()
                let ok =
                    EVP_DigestVerifyInit(context, nil, nil, nil, pkey) == 1
                    && EVP_DigestVerify(context, signature, 64, message, message.count) == 1
                EVP_MD_CTX_free(context)
                precondition(ok)
            }
            return 1_000
        }
    }
}
