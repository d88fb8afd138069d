/// Which of the candidate keys made one signature of an envelope (`Envelope.signer(of:among:)`).
///
/// DSSE's `keyid` is an unauthenticated hint (protocol.md): it only narrows the candidates to the
/// key it names, and the signature alone decides. A `keyid` that names another key than the one
/// that verifies is refused (`misnamed`) rather than followed or ignored, so a signature always
/// names its signer truthfully or not at all.
public enum SignerMatch<Key> {
    /// `key` verifies the signature, and is the key its `keyid` names when it names one.
    case verified(Key)
    /// The `keyid` names `named`, which does not verify the signature, and no other candidate does:
    /// the entry was altered after signing (or signed with a key that is not a candidate).
    case failed(named: Key)
    /// The `keyid` names no candidate, and no candidate verifies the signature.
    case unknown(keyID: String)
    /// The signature carries no `keyid` and no candidate verifies it.
    case unverified
    /// The `keyid` names `keyID`, but the signature verifies with another candidate, `verifying`.
    case misnamed(keyID: String, verifying: Key)

    /// The key that verifies, when it is the one the signature names (or it names none).
    public var verified: Key? {
        if case .verified(let key) = self { key } else { nil }
    }
}

extension SignerMatch: Sendable where Key: Sendable {}

extension SignerMatch: Equatable where Key: Equatable {}

extension Envelope.Signature {
    /// Why a signature whose keyid names `keyID` but that `verifying` made (`SignerMatch.misnamed`)
    /// is refused, naming both keys by their first 16 hex digits.
    public static func misnamedReason(keyID: String, verifying: String) -> String {
        "its keyid names key \(keyID.prefix(16))…, but the signature was made with key \(verifying.prefix(16))…: "
            + "a keyid, when present, must name the key that signed"
    }
}
