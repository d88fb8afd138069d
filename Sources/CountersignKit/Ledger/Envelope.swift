/// A ledger entry: a DSSE v1 envelope (secure-systems-lab/dsse) with Ed25519 signatures. A case
/// entry carries exactly one (FORMATS.md §4); a governance entry may carry several, one per key that
/// must consent (a new key's proof of possession, a rotation's old and new key; CONSORTIUM.md).
///
/// An envelope keeps the exact bytes that were signed and stored; they are never re-serialised, so
/// the log's leaf hash and any other tool see the same bytes. The parsed fields are read from them.
/// Parsing accepts every encoding the DSSE envelope specification allows (any JSON layout, standard
/// or URL-safe base64, padded or not, unknown members ignored, `keyid` optional); Countersign
/// itself writes one: compact JSON, standard padded base64, every `keyid` set.
public struct Envelope: Hashable, Sendable {
    /// The payload type of an in-toto statement.
    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    /// The largest envelope file `submit` and the reconcile inbox read (1 MiB). Countersign's own
    /// envelopes are a few kilobytes (documents travel beside them, not inside), so this only stops
    /// a file that could never be a sign-off from being read whole (docs/DECISIONS.md).
    public static let maximumSubmittedSize = 1 << 20

    /// The JSON bytes, exactly as signed and stored.
    public let bytes: [UInt8]
    /// The DSSE `payloadType`.
    public let payloadType: String
    /// The decoded payload bytes (the serialised statement).
    public let payload: [UInt8]
    /// One signature: the 64-byte Ed25519 signature over `preAuthenticationEncoding`, and the key
    /// id it names, if any.
    public struct Signature: Hashable, Sendable {
        /// Lowercase hex SHA-256 of the raw Ed25519 public key (FORMATS.md §1); `nil` when the
        /// envelope leaves `keyid` out or empty, which DSSE allows: then `Envelope.signer(of:among:)`
        /// finds the key by trying the candidates.
        public let keyID: String?
        public let bytes: [UInt8]
    }

    /// The signatures, in envelope order; never empty, no key id named twice.
    public let signatures: [Signature]

    /// The most signatures an envelope may carry.
    public static let maximumSignatures = 16

    /// The first signature (a case entry's only one).
    public var signature: [UInt8] { signatures[0].bytes }

    /// Parses envelope bytes as DSSE allows them: a JSON object (any layout, members in any order)
    /// with `payloadType`, `payload` and `signatures`; `payload` and each `sig` in standard or
    /// URL-safe base64, padded or not (`DSSEBase64`); one to `maximumSignatures` signatures, each
    /// with a 64-byte `sig` and an optional `keyid` — absent, `null` or `""` alike, otherwise 64
    /// lowercase hex digits, no two alike. Members the format does not define, at the top and in
    /// each signature, are ignored (DSSE envelope.md: consumers must); a member given twice is
    /// refused, since readers would disagree on which counts.
    public init(bytes: [UInt8]) throws(LedgerFormatError) {
        var reader = CompactJSONReader(bytes, context: "envelope")
        var payloadType: String?
        var payload: [UInt8]?
        var signatures: [Signature] = []
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "payloadType":
                payloadType = try reader.readString()
            case "payload":
                guard let decoded = DSSEBase64.decode(try reader.readStringBytes()) else {
                    throw .envelopeBase64(field: "payload")
                }
                payload = decoded
            case "signatures":
                try reader.readArray { reader throws(LedgerFormatError) in
                    guard signatures.count < Self.maximumSignatures else {
                        throw .envelopeSignatureCount(signatures.count + 1)
                    }
                    let signature = try Self.readSignature(&reader, index: signatures.count)
                    if let keyID = signature.keyID, signatures.contains(where: { $0.keyID == keyID }) {
                        throw .invalidField(
                            context: "envelope",
                            field: "signatures[\(signatures.count)].keyid",
                            value: keyID,
                            expected: "each key to sign once"
                        )
                    }
                    signatures.append(signature)
                }
            default:
                try reader.skipValue()
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
        var signed: [(keyID: String, bytes: [UInt8])] = []
        for key in keys where !signed.contains(where: { $0.keyID == key.publicKey.keyID }) {
            signed.append((key.publicKey.keyID, try key.signature(for: encoding)))
        }
        var writer = CompactJSONWriter(capacity: payload.count * 4 / 3 + 256 + 160 * signed.count)
        writer.object { writer in
            writer.member("payloadType", payloadType)
            writer.key("payload")
            writer.plainString(base64(payload))
            writer.key("signatures")
            writer.array { writer in
                for signature in signed {
                    writer.object { writer in
                        writer.member("keyid", signature.keyID)
                        writer.key("sig")
                        writer.plainString(base64(signature.bytes))
                    }
                }
            }
        }
        return Envelope(
            bytes: writer.bytes,
            payloadType: payloadType,
            payload: payload,
            signatures: signed.map { Signature(keyID: $0.keyID, bytes: $0.bytes) }
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

    /// Which of `candidates` made `signature` (one of this envelope's), as DSSE verifies: the
    /// signature's `keyid`, when it has one, narrows the candidates to the key it names; when that
    /// key does not verify, or the signature names none, each candidate is tried. The caller
    /// chooses the candidates (the keys of the party an entry names, or those a governance change
    /// names); `publicKey` reads a candidate's key.
    public func signer<Key>(
        of signature: Signature,
        among candidates: some Collection<Key>,
        publicKey: (Key) -> Ed25519PublicKey
    ) -> SignerMatch<Key> {
        let encoding = preAuthenticationEncoding
        func verifies(_ key: Key) -> Bool { publicKey(key).isValidSignature(signature.bytes, for: encoding) }
        let named = signature.keyID.flatMap { keyID in candidates.first { publicKey($0).keyID == keyID } }
        if let named, verifies(named) { return .verified(named) }
        let verifying = candidates.first { publicKey($0).keyID != signature.keyID && verifies($0) }
        switch (signature.keyID, named, verifying) {
        case (nil, _, let key?): return .verified(key)
        case (nil, _, nil): return .unverified
        case (let keyID?, _, let key?): return .misnamed(keyID: keyID, verifying: key)
        case (_?, let key?, nil): return .failed(named: key)
        case (let keyID?, nil, nil): return .unknown(keyID: keyID)
        }
    }

    /// Whether some signature of the envelope was made by `publicKey` (naming it, or naming no key).
    public func verify(with publicKey: Ed25519PublicKey) -> Bool {
        signatures.contains { signer(of: $0, among: [publicKey], publicKey: { $0 }).verified != nil }
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

    /// Reads the signature object at `index` of `signatures`.
    private static func readSignature(
        _ reader: inout CompactJSONReader,
        index: Int
    ) throws(LedgerFormatError) -> Signature {
        var keyID: String?
        var signature: [UInt8]?
        try reader.readObject { reader, key throws(LedgerFormatError) in
            switch key {
            case "keyid":
                // DSSE: an unset keyid is the same as an empty one; JSON `null` is unset.
                guard !(try reader.readNull()) else { return }
                let value = try reader.readStringBytes()
                guard !value.isEmpty else { return }
                guard value.count == 64, value.allSatisfy(isLowercaseHexDigit) else {
                    throw .invalidField(
                        context: "envelope",
                        field: "signatures[\(index)].keyid",
                        value: String(decoding: value, as: UTF8.self),
                        expected: "64 lowercase hex digits (SHA-256 of the signer's public key), or no keyid"
                    )
                }
                keyID = String(decoding: value, as: UTF8.self)
            case "sig":
                guard let decoded = DSSEBase64.decode(try reader.readStringBytes()) else {
                    throw .envelopeBase64(field: "signatures[\(index)].sig")
                }
                guard decoded.count == 64 else { throw .envelopeSignatureLength(decoded.count) }
                signature = decoded
            default:
                try reader.skipValue()
            }
        }
        guard let signature else { throw .missingField(context: "envelope", field: "signatures[\(index)].sig") }
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
