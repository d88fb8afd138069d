/// What is wrong with a ledger entry, a signed note, a checkpoint or a key string, in words a user
/// can act on. `context` names the format ("envelope", "statement"); `field` is a JSON path.
/// Messages never contain private key material.
public enum LedgerFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not JSON of the expected shape; `offset` is the byte where reading stopped.
    case json(context: String, offset: Int, reason: String)
    /// A required member is absent.
    case missingField(context: String, field: String)
    /// A member the format does not define.
    case unknownField(context: String, field: String)
    /// A member holds a value the format does not allow.
    case invalidField(context: String, field: String, value: String, expected: String)
    /// A member is not standard padded base64.
    case invalidBase64(context: String, field: String)
    /// An envelope member is not base64 as DSSE allows it (`DSSEBase64`).
    case envelopeBase64(field: String)
    /// An envelope carries one to `Envelope.maximumSignatures` signatures (a case entry exactly one).
    case envelopeSignatureCount(Int)
    /// An Ed25519 signature is 64 bytes.
    case envelopeSignatureLength(Int)
    /// The text is not a signed note.
    case malformedNote(String)
    /// More signature lines than `SignedNote.maximumSignatures`.
    case tooManySignatures(Int, limit: Int)
    /// A key name that is empty or holds a space, `+` or control character.
    case invalidKeyName(String)
    /// A verifier key string that cannot be used (the string is public, so it is quoted).
    case invalidVerifierKey(String, reason: String)
    /// A signer key string that cannot be used (never quoted: it is secret).
    case invalidSignerKey(reason: String)
    /// Two trusted keys share a name and key id (`NAME+KEYID`).
    case ambiguousVerifier(String)
    /// A signature by a trusted key (`NAME+KEYID`) does not verify.
    case noteSignatureInvalid(String)
    /// No signature by a trusted key; lists the keys (`NAME+KEYID`) that did sign.
    case noteUnverified(signedBy: [String])
    /// The note text is not a tlog-checkpoint body.
    case malformedCheckpoint(String)
    /// A witness signature line is not a `cosignature/v1`.
    case malformedCosignature(name: String, reason: String)
    /// Signing failed in libcrypto.
    case crypto(CryptoError)

    public var description: String {
        switch self {
        case .json(let context, let offset, let reason):
            "\(context) is not valid JSON of the expected shape at byte \(offset): \(reason)"
        case .missingField(let context, let field): "\(context) has no \"\(field)\" member"
        case .unknownField(let context, let field): "\(context) has an unknown member \"\(field)\""
        case .invalidField(let context, let field, let value, let expected):
            "\(context) member \"\(field)\" is \"\(value)\"; expected \(expected)"
        case .invalidBase64(let context, let field):
            "\(context) member \"\(field)\" is not standard base64 with padding (RFC 4648 §4)"
        case .envelopeBase64(let field):
            "envelope member \"\(field)\" is not base64: DSSE takes the standard or the URL-safe alphabet "
                + "(RFC 4648 §4, §5), padded or not, one alphabet per member, and no other character "
                + "(no whitespace or line breaks)"
        case .envelopeSignatureCount(let count):
            count == 0
                ? "envelope has no signature"
                : "envelope has \(count) or more signatures; at most \(Envelope.maximumSignatures) are accepted"
        case .envelopeSignatureLength(let length):
            "envelope signature is \(length) bytes; an Ed25519 signature is 64"
        case .malformedNote(let reason): "not a signed note: \(reason)"
        case .tooManySignatures(let count, let limit):
            "signed note has \(count) signature lines; at most \(limit) are accepted"
        case .invalidKeyName(let name):
            "\"\(name)\" is not a valid note key name: it must be non-empty, without spaces, '+' or control characters"
        case .invalidVerifierKey(let vkey, let reason): "verifier key \"\(vkey)\" is not usable: \(reason)"
        case .invalidSignerKey(let reason): "signer key is not usable: \(reason)"
        case .ambiguousVerifier(let key): "two trusted keys are named \(key); remove one from the trusted keys"
        case .noteSignatureInvalid(let key):
            "signature by trusted key \(key) does not verify: the note was altered or the key is wrong"
        case .noteUnverified(let signers):
            "signed note has no signature by a trusted key (signed by: \(signers.joined(separator: ", ")))"
        case .malformedCheckpoint(let reason): "not a tlog checkpoint: \(reason)"
        case .malformedCosignature(let name, let reason): "cosignature by \(name) is not cosignature/v1: \(reason)"
        case .crypto(let error): error.description
        }
    }
}
