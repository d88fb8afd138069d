/// A ledger entry: a DSSE v1 envelope (secure-systems-lab/dsse) with Ed25519 signatures. A case
/// entry carries exactly one (FORMATS.md §4); a governance entry may carry several, one per key that
/// must consent (a new key's proof of possession, a rotation's old and new key; CONSORTIUM.md).
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
    /// One signature: the signer's key id and the 64-byte Ed25519 signature over
    /// `preAuthenticationEncoding`.
    public struct Signature: Hashable, Sendable {
        /// Lowercase hex SHA-256 of the raw Ed25519 public key (FORMATS.md §1).
        public let keyID: String
        public let bytes: [UInt8]
    }

    /// The signatures, in envelope order; never empty, no key id twice.
    public let signatures: [Signature]

    /// The most signatures an envelope may carry.
    public static let maximumSignatures = 16

    /// The first signer's key id (a case entry's only signer).
    public var keyID: String { signatures[0].keyID }
    /// The first signature (a case entry's only one).
    public var signature: [UInt8] { signatures[0].bytes }

    /// Parses stored envelope bytes strictly: JSON with exactly the members `payloadType`, `payload`
    /// and `signatures` (in any order), standard padded base64, one to `maximumSignatures`
    /// signatures, each with a `keyid` of 64 lowercase hex digits (no two alike) and a 64-byte `sig`.
    public init(bytes: [UInt8]) throws(LedgerFormatError) {
        var reader = CompactJSONReader(bytes, context: "envelope")
        var payloadType: String?
        var payload: [UInt8]?
        var signatures: [Signature] = []
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
                    guard signatureCount <= Self.maximumSignatures else {
                        throw .envelopeSignatureCount(signatureCount)
                    }
                    let signature = try Self.readSignature(&reader)
                    guard !signatures.contains(where: { $0.keyID == signature.keyID }) else {
                        throw .invalidField(
                            context: "envelope",
                            field: "signatures[].keyid",
                            value: signature.keyID,
                            expected: "each key to sign once"
                        )
                    }
                    signatures.append(signature)
                }
            default:
                throw .unknownField(context: "envelope", field: key)
            }
        }
        try reader.finish()
        guard let payloadType else { throw .missingField(context: "envelope", field: "payloadType") }
        guard let payload else { throw .missingField(context: "envelope", field: "payload") }
        guard !signatures.isEmpty else { throw .envelopeSignatureCount(0) }
        self.bytes = bytes
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
    }

    private init(bytes: [UInt8], payloadType: String, payload: [UInt8], signatures: [Signature]) {
        self.bytes = bytes
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
    }

    /// Signs `payload` with `key` and serialises the envelope as compact JSON:
    /// `{"payloadType":…,"payload":…,"signatures":[{"keyid":…,"sig":…}]}`.
    public static func sign(
        payload: [UInt8],
        payloadType: String = inTotoPayloadType,
        key: Ed25519PrivateKey
    ) throws(CryptoError) -> Envelope {
        try sign(payload: payload, payloadType: payloadType, keys: [key])
    }

    /// Signs `payload` with every key of `keys` (in that order, each once) and serialises the
    /// envelope with one signature per key.
    public static func sign(
        payload: [UInt8],
        payloadType: String = inTotoPayloadType,
        keys: [Ed25519PrivateKey]
    ) throws(CryptoError) -> Envelope {
        precondition(!keys.isEmpty && keys.count <= maximumSignatures, "an envelope has 1 to 16 signatures")
        let encoding = preAuthenticationEncoding(payloadType: payloadType, payload: payload)
        var signatures: [Signature] = []
        for key in keys where !signatures.contains(where: { $0.keyID == key.publicKey.keyID }) {
            signatures.append(Signature(keyID: key.publicKey.keyID, bytes: try key.signature(for: encoding)))
        }
        var writer = CompactJSONWriter(capacity: payload.count * 4 / 3 + 256 + 160 * signatures.count)
        writer.object { writer in
            writer.member("payloadType", payloadType)
            writer.key("payload")
            writer.plainString(base64(payload))
            writer.key("signatures")
            writer.array { writer in
                for signature in signatures {
                    writer.object { writer in
                        writer.member("keyid", signature.keyID)
                        writer.key("sig")
                        writer.plainString(base64(signature.bytes))
                    }
                }
            }
        }
        return Envelope(bytes: writer.bytes, payloadType: payloadType, payload: payload, signatures: signatures)
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

    /// The signature by the key with this id, if the envelope carries one.
    public func signature(by keyID: String) -> Signature? {
        signatures.first { $0.keyID == keyID }
    }

    /// Whether the envelope carries a signature by `publicKey` and it is valid.
    public func verify(with publicKey: Ed25519PublicKey) -> Bool {
        guard let signature = signature(by: publicKey.keyID) else { return false }
        return publicKey.isValidSignature(signature.bytes, for: preAuthenticationEncoding)
    }

    /// Checks the signature as `verify(with:)` does, saying what is wrong when it fails.
    public func checkSignature(with publicKey: Ed25519PublicKey) throws(LedgerFormatError) {
        let expected = publicKey.keyID
        guard let signature = signature(by: expected) else {
            throw .envelopeKeyMismatch(envelope: keyID, expected: expected)
        }
        guard publicKey.isValidSignature(signature.bytes, for: preAuthenticationEncoding) else {
            throw .envelopeSignatureInvalid(keyID: expected)
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

    private static func readSignature(_ reader: inout CompactJSONReader) throws(LedgerFormatError) -> Signature {
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
        return Signature(keyID: keyID, bytes: signature)
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
