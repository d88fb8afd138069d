import CountersignKit
import Foundation
import Testing

@Suite("DSSE envelope")
struct EnvelopeTests {
    /// RFC 8032 §7.1 test 1 secret key.
    static let seed = [UInt8](hex: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")!

    /// `StatementTests.expectedJSON` signed with `seed`, computed independently with Python's
    /// `cryptography` package and `json`/`base64` modules.
    static let expectedEnvelope =
        #"{"payloadType":"application/vnd.in-toto+json","payload":""#
        + "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEiLCJzdWJqZWN0IjpbeyJuYW1lIjoiYXBwbGljYXRpb24iLCJk"
        + "aWdlc3QiOnsic2hhMjU2IjoiMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTEx"
        + "MTExMSJ9fSx7Im5hbWUiOiJ2YWx1YXRpb24iLCJkaWdlc3QiOnsic2hhMjU2IjoiMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy"
        + "MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMiJ9fV0sInByZWRpY2F0ZVR5cGUiOiJodHRwczovL2NvdW50ZXJzaWduLmRl"
        + "di9zdGVwL3YxIiwicHJlZGljYXRlIjp7InBpcGVsaW5lIjoibW9ydGdhZ2UtYXBwcm92YWwiLCJwaXBlbGluZURpZ2VzdCI6InNoYTI1"
        + "NjozMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzIiwiY2FzZSI6Ik0t"
        + "MjAyNi0wMDQyIiwic3RlcCI6ImxlZ2FsLXJldmlldyIsInBhcnR5IjoibGF3eWVyIiwiZGVjaXNpb24iOiJhcHByb3ZlIiwic2lnbmVk"
        + "QXQiOiIyMDI2LTExLTIzVDEwOjAwOjAwWiIsInByZXZpb3VzIjoiNDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0"
        + "NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NCIsIm5vdGUiOiJjaGVja2VkIFwidGl0bGVcIiDinJNcblx0dGFiXHUwMDAxIn19"
        + #"","signatures":[{"keyid":"21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9","#
        + #""sig":"TwEJqdmIXkmZapBms5qZMR3XyoedZ9Aw7DqdI3aQEur/ZQtaeJFe6No/tcQI3dsN/8yVvi8awBgF4PeVFaNBDw=="}]}"#

    static func key() throws -> Ed25519PrivateKey { try Ed25519PrivateKey(seed: seed) }

    /// A compact envelope with the given members, for parser tests.
    static func envelope(
        type: String = #""application/vnd.in-toto+json""#,
        payload: String = #""aGVsbG8=""#,
        signatures: String? = nil
    ) -> [UInt8] {
        let signature =
            #"{"keyid":"\#(String(repeating: "a", count: 64))","sig":"\#(String(repeating: "A", count: 86))=="}"#
        return Array(
            #"{"payloadType":\#(type),"payload":\#(payload),"signatures":[\#(signatures ?? signature)]}"#.utf8
        )
    }

    @Test("signing gives the independently computed envelope byte for byte")
    func signsByteForByte() throws {
        let statement = try StatementTests.example()
        let envelope = try Envelope.sign(statement: statement, key: try Self.key())
        #expect(String(decoding: envelope.bytes, as: UTF8.self) == Self.expectedEnvelope)
        #expect(envelope.signatures[0].keyID == "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9")
        #expect(envelope.verify(with: try Self.key().publicKey))
    }

    @Test("the pre-authentication encoding matches the DSSE protocol example")
    func preAuthenticationEncoding() {
        let encoding = Envelope.preAuthenticationEncoding(
            payloadType: "http://example.com/HelloWorld",
            payload: Array("hello world".utf8)
        )
        #expect(String(decoding: encoding, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
    }

    @Test("parsing keeps the exact bytes and reads every field; the statement decodes")
    func parses() throws {
        let envelope = try Envelope(bytes: Array(Self.expectedEnvelope.utf8))
        #expect(envelope.bytes == Array(Self.expectedEnvelope.utf8))
        #expect(envelope.payloadType == Envelope.inTotoPayloadType)
        #expect(envelope.payload == Array(StatementTests.expectedJSON.utf8))
        #expect(envelope.signature.count == 64)
        #expect(try envelope.statement() == StatementTests.example())
        let key = try Self.key().publicKey
        #expect(envelope.signer(of: envelope.signatures[0], among: [key], publicKey: { $0 }) == .verified(key))
    }

    @Test("payloads of every length modulo 3 survive signing and parsing", arguments: 0...7)
    func payloadLengths(length: Int) throws {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: 0xF0 + $0) }
        let envelope = try Envelope.sign(payload: payload, payloadType: "application/octet-stream", key: try Self.key())
        let text = String(decoding: envelope.bytes, as: UTF8.self)
        #expect(text.contains(#""payload":"\#(Data(payload).base64EncodedString())""#))
        let parsed = try Envelope(bytes: envelope.bytes)
        #expect(parsed.payload == payload)
        #expect(parsed.verify(with: try Self.key().publicKey))
    }

    @Test("parsing accepts whitespace, another member order and escaped slashes")
    func parsesOtherLayouts() throws {
        let original = try Envelope(bytes: Array(Self.expectedEnvelope.utf8))
        let payload = Data(original.payload).base64EncodedString()
        let signature = Data(original.signature).base64EncodedString()
        let text = """
            {
              "signatures": [ { "sig": "\(signature)", "keyid": "\(original.signatures[0].keyID!)" } ],
              "payload": "\(payload)",
              "payloadType": "application\\/vnd.in-toto+json"
            }

            """
        let reparsed = try Envelope(bytes: Array(text.utf8))
        #expect(reparsed.payloadType == original.payloadType)
        #expect(reparsed.payload == original.payload)
        #expect(reparsed.verify(with: try Self.key().publicKey))
        #expect(reparsed != original)
    }

    @Test("a changed payload, signature, key id or key does not verify")
    func tamper() throws {
        let key = try Self.key()
        let envelope = try Envelope.sign(payload: Array("approve".utf8), key: key)
        let text = String(decoding: envelope.bytes, as: UTF8.self)
        // "approve" is YXBwcm92ZQ==; "apprpve" is YXBwcnB2ZQ== — one payload byte changed.
        let changedPayload = try Envelope(
            bytes: Array(text.replacingOccurrences(of: "YXBwcm92ZQ==", with: "YXBwcnB2ZQ==").utf8)
        )
        #expect(changedPayload.payload == Array("apprpve".utf8))
        #expect(!changedPayload.verify(with: key.publicKey))
        #expect(
            changedPayload.signer(of: changedPayload.signatures[0], among: [key.publicKey], publicKey: { $0 })
                == .failed(named: key.publicKey)
        )

        var signature = envelope.signature
        signature[10] ^= 0x01
        let changedSignature = try Envelope(
            bytes: Array(
                text.replacingOccurrences(
                    of: Data(envelope.signature).base64EncodedString(),
                    with: Data(signature).base64EncodedString()
                ).utf8
            )
        )
        #expect(!changedSignature.verify(with: key.publicKey))

        let otherType = try Envelope(
            bytes: Array(text.replacingOccurrences(of: "in-toto+json", with: "in-toto+jsoN").utf8)
        )
        #expect(!otherType.verify(with: key.publicKey))

        let other = try Ed25519PrivateKey()
        #expect(!envelope.verify(with: other.publicKey))
        #expect(
            envelope.signer(of: envelope.signatures[0], among: [other.publicKey], publicKey: { $0 })
                == .unknown(keyID: key.publicKey.keyID)
        )
        // A keyid naming another key than the one that signed is refused, not followed or ignored.
        let relabelled = try Envelope(
            bytes: Array(text.replacingOccurrences(of: key.publicKey.keyID, with: other.publicKey.keyID).utf8)
        )
        #expect(!relabelled.verify(with: key.publicKey))
        #expect(
            relabelled.signer(of: relabelled.signatures[0], among: [other.publicKey, key.publicKey], publicKey: { $0 })
                == .misnamed(keyID: other.publicKey.keyID, verifying: key.publicKey)
        )
    }

    @Test("parsing refuses malformed envelopes with a clear error")
    func refusesMalformed() {
        #expect(throws: Never.self) { try Envelope(bytes: Self.envelope()) }
        #expect {
            try Envelope(bytes: Array("not json".utf8))
        } throws: { error in
            (error as? LedgerFormatError)?.description
                == "envelope is not valid JSON of the expected shape at byte 0: expected '{'"
        }
        for payload in [#""aGVsbG9=""#, #""YR==""#, #""aGVs bG8=""#, #""aGVsbG8*""#] {
            #expect(throws: LedgerFormatError.envelopeBase64(field: "payload"), "\(payload)") {
                try Envelope(bytes: Self.envelope(payload: payload))
            }
        }
        #expect(throws: LedgerFormatError.envelopeSignatureCount(0)) {
            try Envelope(bytes: Self.envelope(signatures: ""))
        }
        let one = #"{"keyid":"\#(String(repeating: "b", count: 64))","sig":"\#(String(repeating: "A", count: 86))=="}"#
        #expect(
            throws: LedgerFormatError.invalidField(
                context: "envelope",
                field: "signatures[1].keyid",
                value: String(repeating: "b", count: 64),
                expected: "each key to sign once"
            )
        ) {
            try Envelope(bytes: Self.envelope(signatures: one + "," + one))
        }
        let seventeen = (0..<17).map { number in
            #"{"keyid":"\#(String(format: "%064x", number))","sig":"\#(String(repeating: "A", count: 86))=="}"#
        }
        #expect(throws: LedgerFormatError.envelopeSignatureCount(17)) {
            try Envelope(bytes: Self.envelope(signatures: seventeen.joined(separator: ",")))
        }
        #expect(throws: LedgerFormatError.envelopeSignatureLength(63)) {
            try Envelope(
                bytes: Self.envelope(
                    signatures:
                        #"{"keyid":"\#(String(repeating: "b", count: 64))","sig":"\#(String(repeating: "B", count: 84))"}"#
                )
            )
        }
        #expect(throws: LedgerFormatError.missingField(context: "envelope", field: "signatures[0].sig")) {
            try Envelope(bytes: Self.envelope(signatures: #"{"keyid":""}"#))
        }
        #expect(throws: LedgerFormatError.missingField(context: "envelope", field: "payload")) {
            try Envelope(bytes: Array(#"{"payloadType":"x","signatures":[]}"#.utf8))
        }
        #expect(throws: LedgerFormatError.missingField(context: "envelope", field: "payloadType")) {
            try Envelope(bytes: Array(#"{"extra":"x"}"#.utf8))
        }
        #expect(throws: LedgerFormatError.self) { try Envelope(bytes: Self.envelope() + Array("{}".utf8)) }
        #expect(throws: LedgerFormatError.self) { try Envelope(bytes: Self.envelope(type: "42")) }
        #expect(throws: LedgerFormatError.self) {
            try Envelope(
                bytes: Self.envelope(signatures: #"{"keyid":"ABC","sig":"\#(String(repeating: "A", count: 86))=="}"#)
            )
        }
    }
}
