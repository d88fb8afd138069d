/// A ledger entry: a DSSE v1 envelope (secure-systems-lab/dsse) with exactly one Ed25519 signature,
/// as FORMATS.md §4 fixes it.
///
/// An envelope keeps the exact bytes that were signed and stored; they are never re-serialised, so
/// the log's leaf hash and any other tool see the same bytes. The parsed fields are read from them.
public struct Envelope: Hashable, Sendable {
    /// The payload type of an in-toto statement.
    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    /// The compact JSON bytes, exactly as signed and stored.
    public let bytes: [UInt8]
    /// The DSSE `payloadType`.
    public let payloadType: String
    /// The decoded payload bytes (the serialised statement).
    public let payload: [UInt8]
    /// The signer's key id: lowercase hex SHA-256 of the raw Ed25519 public key (FORMATS.md §1).
    public let keyID: String
    /// The 64-byte Ed25519 signature over `preAuthenticationEncoding`.
    public let signature: [UInt8]

    /// Parses stored envelope bytes strictly: JSON with exactly the members `payloadType`, `payload`
    /// and `signatures` (in any order), standard padded base64, exactly one signature whose `keyid`
    /// is 64 lowercase hex digits and whose `sig` is 64 bytes.
    public init(bytes: [UInt8]) throws(LedgerFormatError) {
        var reader = CompactJSONReader(bytes, context: "envelope")
        var payloadType: String?
        var payload: [UInt8]?
        var signature: (keyID: String, bytes: [UInt8])?
        var signatureCount = 0
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "payloadType":
                payloadType = try reader.readString()
            case "payload":
                guard let decoded = StrictBase64.decode(try reader.readStringBytes()) else {
                    throw .invalidBase64(context: "envelope", field: "payload")
                }
                payload = decoded
            case "signatures":
                try reader.readArray { reader throws(LedgerFormatError) in
                    signatureCount += 1
                    signature = try Self.readSignature(&reader)
                }
            default:
                throw .unknownField(context: "envelope", field: key)
            }
        }
        try reader.finish()
        guard let payloadType else { throw .missingField(context: "envelope", field: "payloadType") }
        guard let payload else { throw .missingField(context: "envelope", field: "payload") }
        guard signatureCount == 1, let signature else { throw .envelopeSignatureCount(signatureCount) }
        self.bytes = bytes
        self.payloadType = payloadType
        self.payload = payload
        self.keyID = signature.keyID
        self.signature = signature.bytes
    }

    private init(bytes: [UInt8], payloadType: String, payload: [UInt8], keyID: String, signature: [UInt8]) {
        self.bytes = bytes
        self.payloadType = payloadType
        self.payload = payload
        self.keyID = keyID
        self.signature = signature
    }

    /// Signs `payload` with `key` and serialises the envelope as compact JSON:
    /// `{"payloadType":…,"payload":…,"signatures":[{"keyid":…,"sig":…}]}`.
    public static func sign(
        payload: [UInt8],
        payloadType: String = inTotoPayloadType,
        key: Ed25519PrivateKey
    ) throws(CryptoError) -> Envelope {
        let signature = try key.signature(for: preAuthenticationEncoding(payloadType: payloadType, payload: payload))
        let keyID = key.publicKey.keyID
        var writer = CompactJSONWriter(capacity: payload.count * 4 / 3 + 256)
        writer.object { writer in
            writer.member("payloadType", payloadType)
            writer.key("payload")
            writer.plainString(base64(payload))
            writer.key("signatures")
            writer.array { writer in
                writer.object { writer in
                    writer.member("keyid", keyID)
                    writer.key("sig")
                    writer.plainString(base64(signature))
                }
            }
        }
        return Envelope(
            bytes: writer.bytes,
            payloadType: payloadType,
            payload: payload,
            keyID: keyID,
            signature: signature
        )
    }

    /// Signs an in-toto statement (payload type `application/vnd.in-toto+json`).
    public static func sign(statement: Statement, key: Ed25519PrivateKey) throws(CryptoError) -> Envelope {
        try sign(payload: statement.json, key: key)
    }

    /// The DSSE pre-authentication encoding the signature covers:
    /// `"DSSEv1" SP len(type) SP type SP len(body) SP body`, lengths in ASCII decimal.
    public static func preAuthenticationEncoding(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let typeBytes = payloadType.utf8
        var encoding: [UInt8] = []
        encoding.reserveCapacity(payload.count + typeBytes.count + 32)
        encoding.append(contentsOf: "DSSEv1 ".utf8)
        appendDecimal(typeBytes.count, to: &encoding)
        encoding.append(UInt8(ascii: " "))
        encoding.append(contentsOf: typeBytes)
        encoding.append(UInt8(ascii: " "))
        appendDecimal(payload.count, to: &encoding)
        encoding.append(UInt8(ascii: " "))
        encoding.append(contentsOf: payload)
        return encoding
    }

    /// The bytes this envelope's signature covers.
    public var preAuthenticationEncoding: [UInt8] {
        Self.preAuthenticationEncoding(payloadType: payloadType, payload: payload)
    }

    /// Whether the envelope names `publicKey` as its signer and its signature by that key is valid.
    public func verify(with publicKey: Ed25519PublicKey) -> Bool {
        keyID == publicKey.keyID && publicKey.isValidSignature(signature, for: preAuthenticationEncoding)
    }

    /// Checks the signature as `verify(with:)` does, saying what is wrong when it fails.
    public func checkSignature(with publicKey: Ed25519PublicKey) throws(LedgerFormatError) {
        let expected = publicKey.keyID
        guard keyID == expected else { throw .envelopeKeyMismatch(envelope: keyID, expected: expected) }
        guard publicKey.isValidSignature(signature, for: preAuthenticationEncoding) else {
            throw .envelopeSignatureInvalid(keyID: keyID)
        }
    }

    /// Decodes the payload as an in-toto statement, refusing any other payload type.
    public func statement() throws(LedgerFormatError) -> Statement {
        guard payloadType == Self.inTotoPayloadType else {
            throw .invalidField(
                context: "envelope",
                field: "payloadType",
                value: payloadType,
                expected: Self.inTotoPayloadType
            )
        }
        return try Statement(json: payload)
    }

    private static func readSignature(
        _ reader: inout CompactJSONReader
    ) throws(LedgerFormatError) -> (keyID: String, bytes: [UInt8]) {
        var keyID: String?
        var signature: [UInt8]?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "keyid":
                let value = try reader.readStringBytes()
                guard value.count == 64, value.allSatisfy(isLowercaseHexDigit) else {
                    throw .invalidField(
                        context: "envelope",
                        field: "signatures[0].keyid",
                        value: String(decoding: value, as: UTF8.self),
                        expected: "64 lowercase hex digits (SHA-256 of the signer's public key)"
                    )
                }
                keyID = String(decoding: value, as: UTF8.self)
            case "sig":
                guard let decoded = StrictBase64.decode(try reader.readStringBytes()) else {
                    throw .invalidBase64(context: "envelope", field: "signatures[0].sig")
                }
                guard decoded.count == 64 else { throw .envelopeSignatureLength(decoded.count) }
                signature = decoded
            default:
                throw .unknownField(context: "envelope", field: "signatures[0].\(key)")
            }
        }
        guard let keyID else { throw .missingField(context: "envelope", field: "signatures[0].keyid") }
        guard let signature else { throw .missingField(context: "envelope", field: "signatures[0].sig") }
        return (keyID, signature)
    }

    private static func base64(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        StrictBase64.encode(bytes, into: &output)
        return output
    }

    private static func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        output.append(contentsOf: String(value).utf8)
    }

    private static func isLowercaseHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.bytes == rhs.bytes }

    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
