import CountersignKit
import Foundation
import TestSupport
import Testing

/// DSSE envelope.md and protocol.md: verifiers accept standard or URL-safe base64, ignore unknown
/// members and do without `keyid`; the envelope keeps its exact bytes.
@Suite("DSSE encodings every verifier accepts")
struct EnvelopeEncodingTests {
    static func key() throws -> Ed25519PrivateKey { try EnvelopeTests.key() }

    /// A payload whose standard base64 holds `+` and `/` (so the two alphabets differ) of `length` bytes.
    static func payload(length: Int) -> [UInt8] {
        (0..<length).map { [0xFB, 0xFF, 0xBF][$0 % 3] }
    }

    /// `payload` signed with `key`, written by `writer` with the signature's keyid as `keyID`.
    static func envelope(
        _ payload: [UInt8],
        _ writer: DSSEWriter,
        keyID: DSSEWriter.KeyID? = nil,
        key: Ed25519PrivateKey
    ) throws -> [UInt8] {
        let signed = try Envelope.sign(payload: payload, payloadType: "application/octet-stream", key: key)
        return writer.envelope(
            payloadType: "application/octet-stream",
            payload: payload,
            signatures: [.init(bytes: signed.signature, keyID: keyID ?? .value(key.publicKey.keyID))]
        )
    }

    static let writers: [(String, DSSEWriter)] = [
        ("standard, padded", DSSEWriter()),
        ("standard, unpadded", DSSEWriter(padded: false)),
        ("URL-safe, padded", DSSEWriter(alphabet: .urlSafe)),
        ("URL-safe, unpadded", DSSEWriter(alphabet: .urlSafe, padded: false)),
        ("URL-safe, unpadded, another layout", DSSEWriter(alphabet: .urlSafe, padded: false, pretty: true)),
    ]

    @Test(
        "either alphabet, padded or not, decodes the same payload and signature, whatever the length",
        arguments: 0..<writers.count,
        0...7
    )
    func alphabets(writer: Int, length: Int) throws {
        let key = try Self.key()
        let payload = Self.payload(length: length)
        let bytes = try Self.envelope(payload, Self.writers[writer].1, key: key)
        let envelope = try Envelope(bytes: bytes)
        #expect(envelope.bytes == bytes, "the exact bytes are kept")
        #expect(envelope.payload == payload)
        #expect(envelope.verify(with: key.publicKey), "\(Self.writers[writer].0), \(length) bytes")
    }

    @Test("each field chooses its alphabet; JSON escapes in a base64 string are the characters they stand for")
    func fieldsAndEscapes() throws {
        let key = try Self.key()
        let payload = Self.payload(length: 6)
        let signed = try Envelope.sign(payload: payload, payloadType: "t", key: key)
        let standard = DSSEWriter.base64(payload, alphabet: .standard, padded: true)
        let signature = DSSEWriter.base64(signed.signature, alphabet: .urlSafe, padded: false)
        for encoded in [
            standard, standard.replacingOccurrences(of: "/", with: "\\/"), "\\u002b" + standard.dropFirst(),
        ] {
            let text = #"{"payloadType":"t","payload":"\#(encoded)","signatures":[{"sig":"\#(signature)"}]}"#
            let envelope = try Envelope(bytes: Array(text.utf8))
            #expect(envelope.payload == payload, "\(encoded)")
            #expect(envelope.verify(with: key.publicKey))
        }
    }

    @Test("unknown members at the top and in a signature are ignored, of every JSON shape")
    func unknownMembers() throws {
        let key = try Self.key()
        let shapes = [
            #""x":null"#, #""x":true"#, #""x":false"#, #""x":-1.5e+3"#, #""x":0"#, #""x":"text""#,
            #""x":{"a":[1,{"b":null}],"c":"\u00e9"}"#, #""x":[]"#, #""x":{}"#,
            #""cert":"-----BEGIN"#
                + #" CERTIFICATE-----\n""#,
        ]
        for shape in shapes {
            let writer = DSSEWriter(extraMembers: shape, extraSignatureMembers: shape)
            let bytes = try Self.envelope(Array("statement".utf8), writer, key: key)
            let envelope = try Envelope(bytes: bytes)
            #expect(envelope.bytes == bytes)
            #expect(envelope.verify(with: key.publicKey), "\(shape)")
        }
    }

    @Test("the DSSE protocol's own example envelope parses: no keyid, spaces between members")
    func protocolExample() throws {
        let text = """
            {"payload": "aGVsbG8gd29ybGQ=",
             "payloadType": "http://example.com/HelloWorld",
             "signatures": [{"sig": "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="}]}
            """
        let envelope = try Envelope(bytes: Array(text.utf8))
        #expect(envelope.payload == Array("hello world".utf8))
        #expect(envelope.signatures.map(\.keyID) == [nil])
        #expect(
            String(decoding: envelope.preAuthenticationEncoding, as: UTF8.self)
                == "DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        )
    }

    @Test(
        "keyid absent, empty or null: the signer is the candidate that verifies",
        arguments: [DSSEWriter.KeyID.absent, .empty, .null]
    )
    func keyIDOptional(keyID: DSSEWriter.KeyID) throws {
        let key = try Self.key()
        let other = try Ed25519PrivateKey()
        let envelope = try Envelope(bytes: try Self.envelope(Array("x".utf8), DSSEWriter(), keyID: keyID, key: key))
        let signature = envelope.signatures[0]
        #expect(signature.keyID == nil)
        #expect(
            envelope.signer(of: signature, among: [other.publicKey, key.publicKey], publicKey: { $0 })
                == .verified(key.publicKey)
        )
        #expect(envelope.signer(of: signature, among: [other.publicKey], publicKey: { $0 }) == .unverified)
        #expect(envelope.signer(of: signature, among: [Ed25519PublicKey](), publicKey: { $0 }) == .unverified)
        #expect(envelope.verify(with: key.publicKey))
        #expect(!envelope.verify(with: other.publicKey))
    }

    @Test("a keyid that names another key than the one that verifies is refused, naming both")
    func misnamedKeyID() throws {
        let key = try Self.key()
        let other = try Ed25519PrivateKey()
        let bytes = try Self.envelope(Array("x".utf8), DSSEWriter(), keyID: .value(other.publicKey.keyID), key: key)
        let envelope = try Envelope(bytes: bytes)
        let match = envelope.signer(
            of: envelope.signatures[0],
            among: [key.publicKey, other.publicKey],
            publicKey: { $0 }
        )
        #expect(match == .misnamed(keyID: other.publicKey.keyID, verifying: key.publicKey))
        #expect(!envelope.verify(with: key.publicKey))
        #expect(
            Envelope.Signature.misnamedReason(keyID: other.publicKey.keyID, verifying: key.publicKey.keyID)
                == "its keyid names key \(other.publicKey.keyID.prefix(16))…, but the signature was made with key "
                + "\(key.publicKey.keyID.prefix(16))…: a keyid, when present, must name the key that signed"
        )
        // A keyid naming a key that is no candidate, with no candidate verifying.
        let stranger = String(repeating: "c", count: 64)
        let unknown = try Envelope(
            bytes: try Self.envelope(Array("x".utf8), DSSEWriter(), keyID: .value(stranger), key: key)
        )
        #expect(
            unknown.signer(of: unknown.signatures[0], among: [other.publicKey], publicKey: { $0 })
                == .unknown(keyID: stranger)
        )
    }

    @Test(
        "base64 neither alphabet allows is refused: mixed alphabets, whitespace, partial padding, stray bits or characters",
        arguments: [
            "+_8=",  // both alphabets in one field
            "-/8=",
            "aGVs\\nbG8=",  // a line break (JSON-escaped)
            "aGVs bG8=",  // a space
            "aGVsbG8=\\r\\n",
            " aGVsbG8=",
            "aGVsbG8==",  // padding past the group
            "YQ=",  // partial padding
            "Y",  // a lone character in the last group
            "YR",  // non-zero pad bits, unpadded
            "YR==",  // non-zero pad bits, padded
            "aG=sbG8=",  // padding inside
            "aGVsbG8*",  // a character of neither alphabet
            "aGVsbG8.",
        ]
    )
    func refusedBase64(text: String) throws {
        let bytes = EnvelopeTests.envelope(payload: "\"\(text)\"")
        #expect(throws: LedgerFormatError.envelopeBase64(field: "payload")) { try Envelope(bytes: bytes) }
        let signature = #"{"sig":"\#(text)"}"#
        #expect(throws: LedgerFormatError.envelopeBase64(field: "signatures[0].sig")) {
            try Envelope(bytes: EnvelopeTests.envelope(signatures: signature))
        }
    }

    @Test("the base64 error says what DSSE accepts")
    func base64Message() {
        #expect(
            LedgerFormatError.envelopeBase64(field: "payload").description
                == "envelope member \"payload\" is not base64: DSSE takes the standard or the URL-safe alphabet "
                + "(RFC 4648 §4, §5), padded or not, one alphabet per member, and no other character "
                + "(no whitespace or line breaks)"
        )
    }

    @Test("a member given twice is refused, known or not, at the top or in a signature")
    func duplicateMembers() {
        let sig = #""sig":"\#(String(repeating: "A", count: 86))==""#
        var cases = [
            #"{"payloadType":"x","payload":"","payload":"","signatures":[{\#(sig)}]}"#,
            #"{"payloadType":"x","payloadType":"y","payload":"","signatures":[{\#(sig)}]}"#,
            #"{"payloadType":"x","payload":"","signatures":[{\#(sig)}],"signatures":[{\#(sig)}]}"#,
            #"{"payloadType":"x","payload":"","x":1,"x":2,"signatures":[{\#(sig)}]}"#,
            #"{"payloadType":"x","payload":"","signatures":[{\#(sig),\#(sig)}]}"#,
            #"{"payloadType":"x","payload":"","signatures":[{"keyid":"","keyid":"",\#(sig)}]}"#,
            #"{"payloadType":"x","payload":"","signatures":[{\#(sig),"x":{"a":1,"a":1}}]}"#,
        ]
        // Past the first sixteen members too.
        let members = (0..<20).map { #""m\#($0)":0"# }.joined(separator: ",")
        cases.append(#"{"payloadType":"x","payload":"",\#(members),"signatures":[{\#(sig)}],"m3":1}"#)
        cases.append(#"{"payloadType":"x","payload":"",\#(members),"signatures":[{\#(sig)}],"m19":1}"#)
        for text in cases {
            #expect(throws: LedgerFormatError.self, "\(text)") { try Envelope(bytes: Array(text.utf8)) }
        }
        #expect(throws: Never.self) {
            try Envelope(bytes: Array(#"{"payloadType":"x","payload":"","signatures":[{\#(sig)},{\#(sig)}]}"#.utf8))
        }
    }

    @Test("an ignored member nests at most 64 levels, and many of them cost linear time")
    func ignoredMemberLimits() throws {
        func nested(_ depth: Int) -> [UInt8] {
            EnvelopeTests.envelope(
                signatures: #"{"sig":"\#(String(repeating: "A", count: 86))==","x":"#
                    + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
            )
        }
        #expect(throws: Never.self) { try Envelope(bytes: nested(64)) }
        #expect {
            try Envelope(bytes: nested(65))
        } throws: { error in
            (error as? LedgerFormatError)?.description.contains("a value nested deeper than 64 levels") == true
        }
        let many = (0..<50_000).map { #""m\#($0)":0"# }.joined(separator: ",")
        let envelope = try Envelope(
            bytes: EnvelopeTests.envelope(signatures: #"{\#(many),"sig":"\#(String(repeating: "A", count: 86))=="}"#)
        )
        #expect(envelope.signatures.count == 1)
    }

    @Test("signing still writes compact JSON, standard padded base64 and every keyid")
    func signingUnchanged() throws {
        let key = try Self.key()
        let envelope = try Envelope.sign(payload: Self.payload(length: 4), payloadType: "t", key: key)
        #expect(
            String(decoding: envelope.bytes, as: UTF8.self)
                == #"{"payloadType":"t","payload":"+/+/+w==","signatures":[{"keyid":"\#(key.publicKey.keyID)","sig":""#
                + Data(envelope.signature).base64EncodedString() + #""}]}"#
        )
    }
}
