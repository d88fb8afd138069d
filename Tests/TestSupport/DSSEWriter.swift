import Foundation

/// Writes a DSSE envelope in one of the encodings the DSSE specification allows but Countersign
/// never writes itself (URL-safe or unpadded base64, no `keyid`, unknown members, another layout),
/// for tests of what every verifier must accept. It knows nothing of Countersign's types: it takes
/// the payload and the signatures as bytes.
public struct DSSEWriter: Sendable {
    /// RFC 4648 §4 (`+`, `/`) or §5 (`-`, `_`).
    public enum Alphabet: Sendable {
        case standard
        case urlSafe
    }

    /// How a signature's `keyid` is written.
    public enum KeyID: Sendable, Equatable {
        case absent
        case empty
        case null
        case value(String)
    }

    /// One signature: the signature bytes and how its `keyid` is written.
    public struct Signature: Sendable {
        public var bytes: [UInt8]
        public var keyID: KeyID

        public init(bytes: [UInt8], keyID: KeyID) {
            self.bytes = bytes
            self.keyID = keyID
        }
    }

    public var alphabet: Alphabet
    public var padded: Bool
    /// Members added at the top of the envelope object, as JSON text (`"x":1`), or `nil`.
    public var extraMembers: String?
    /// Members added to each signature object, as JSON text, or `nil`.
    public var extraSignatureMembers: String?
    /// Spaces and line breaks between the tokens, members in another order.
    public var pretty: Bool

    public init(
        alphabet: Alphabet = .standard,
        padded: Bool = true,
        extraMembers: String? = nil,
        extraSignatureMembers: String? = nil,
        pretty: Bool = false
    ) {
        self.alphabet = alphabet
        self.padded = padded
        self.extraMembers = extraMembers
        self.extraSignatureMembers = extraSignatureMembers
        self.pretty = pretty
    }

    /// `bytes` in base64 of `alphabet`, with or without padding.
    public static func base64(_ bytes: [UInt8], alphabet: Alphabet, padded: Bool) -> String {
        var text = Data(bytes).base64EncodedString()
        if alphabet == .urlSafe {
            text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        if !padded { text = text.replacingOccurrences(of: "=", with: "") }
        return text
    }

    /// The envelope's bytes.
    public func envelope(payloadType: String, payload: [UInt8], signatures: [Signature]) -> [UInt8] {
        let space = pretty ? "\n  " : ""
        let signatureObjects = signatures.map { signature in
            var members: [String] = []
            switch signature.keyID {
            case .absent: break
            case .empty: members.append(#""keyid":"""#)
            case .null: members.append(#""keyid":null"#)
            case .value(let keyID): members.append(#""keyid":"\#(keyID)""#)
            }
            members.append(#""sig":"\#(Self.base64(signature.bytes, alphabet: alphabet, padded: padded))""#)
            if let extraSignatureMembers { members.append(extraSignatureMembers) }
            if pretty { members.reverse() }
            return "{" + members.joined(separator: pretty ? ", " : ",") + "}"
        }
        var members = [
            #""payloadType":"\#(payloadType)""#,
            #""payload":"\#(Self.base64(payload, alphabet: alphabet, padded: padded))""#,
            #""signatures":["# + signatureObjects.joined(separator: ",") + "]",
        ]
        if let extraMembers { members.append(extraMembers) }
        if pretty { members.reverse() }
        let text = "{" + space + members.joined(separator: "," + space) + (pretty ? "\n}\n" : "}")
        return Array(text.utf8)
    }
}
