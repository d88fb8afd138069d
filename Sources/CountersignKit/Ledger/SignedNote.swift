/// A C2SP signed note (c2sp.org/signed-note): a text ending in a newline, a blank line, then one or
/// more signature lines `— NAME BASE64(key id || signature)`.
///
/// Parsing keeps every signature line, known or not, in order, so `serialized` gives back the exact
/// note that was read. A value always holds a valid text and at least one signature.
public struct SignedNote: Hashable, Sendable, CustomStringConvertible {
    /// The most signature lines a note may carry; the spec requires accepting at least 16.
    public static let maximumSignatures = 100

    /// One signature line.
    public struct Signature: Hashable, Sendable {
        /// The key name.
        public let name: String
        /// The key id: the first four bytes of the decoded signature, big-endian.
        public let keyID: UInt32
        /// The signature bytes after the key id (64 for Ed25519, 72 for a cosignature).
        public let bytes: [UInt8]

        /// A signature line; throws when `name` is not a valid key name or `bytes` is empty.
        public init(name: String, keyID: UInt32, bytes: [UInt8]) throws(LedgerFormatError) {
            guard NoteVerifier.isValidName(name) else { throw .invalidKeyName(name) }
            guard !bytes.isEmpty else { throw .malformedNote("the signature by \(name) is empty") }
            self.init(validName: name, keyID: keyID, bytes: bytes)
        }

        init(validName name: String, keyID: UInt32, bytes: [UInt8]) {
            self.name = name
            self.keyID = keyID
            self.bytes = bytes
        }

        /// The line as the note carries it, without its newline: `— NAME BASE64`.
        public var line: String {
            var keyIDBytes = [UInt8](repeating: 0, count: 4)
            for index in 0..<4 { keyIDBytes[index] = UInt8(truncatingIfNeeded: keyID >> (24 - 8 * index)) }
            return "\u{2014} " + name + " " + StrictBase64.encode(keyIDBytes + bytes)
        }

        /// `NAME+HEX8`, how the key is named in messages.
        var keyLabel: String { name + "+" + NoteVerifier.hex(keyID) }
    }

    /// The note text, including its final newline but not the blank separator line.
    public let text: String
    /// The signature lines, in order.
    public let signatures: [Signature]

    /// A note of `text` with `signatures`; throws when the text is not valid note text (it must end
    /// in a newline and contain no control character but newline) or the signature count is not
    /// between 1 and `maximumSignatures`.
    public init(text: String, signatures: [Signature]) throws(LedgerFormatError) {
        try Self.checkText(text)
        guard !signatures.isEmpty else { throw .malformedNote("a signed note needs at least one signature") }
        guard signatures.count <= Self.maximumSignatures else {
            throw .tooManySignatures(signatures.count, limit: Self.maximumSignatures)
        }
        self.text = text
        self.signatures = signatures
    }

    /// Parses a serialised note strictly: valid UTF-8, no control character but newline, the
    /// signatures after the last blank line, each line `— NAME BASE64` with at least 5 decoded bytes.
    public init(parsing bytes: [UInt8]) throws(LedgerFormatError) {
        guard let note = String(validating: bytes, as: UTF8.self) else {
            throw .malformedNote("the note is not valid UTF-8")
        }
        if let offset = bytes.firstIndex(where: { $0 < 0x20 && $0 != 0x0A }) {
            throw .malformedNote("control character 0x\([bytes[offset]].hexString) at byte \(offset)")
        }
        guard let split = Self.lastBlankLine(in: bytes) else {
            throw .malformedNote("no blank line separates the text from the signatures")
        }
        let signatureBlock = bytes[(split + 2)...]
        guard signatureBlock.last == 0x0A else {
            throw .malformedNote("the note must end with a signature line and a newline")
        }
        let lines = signatureBlock.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count <= Self.maximumSignatures else {
            throw .tooManySignatures(lines.count, limit: Self.maximumSignatures)
        }
        var signatures: [Signature] = []
        for line in lines { signatures.append(try Self.parseSignatureLine(line)) }
        let textEnd = note.utf8.index(note.utf8.startIndex, offsetBy: split + 1)
        self.text = String(note[..<textEnd])
        self.signatures = signatures
    }

    /// Parses a serialised note; see `init(parsing:)` for bytes.
    public init(parsing note: String) throws(LedgerFormatError) {
        try self.init(parsing: Array(note.utf8))
    }

    /// Signs `text` with `signer`.
    public static func sign(text: String, with signer: NoteSigner) throws(LedgerFormatError) -> SignedNote {
        try SignedNote(text: text, signatures: [try signature(of: text, by: signer)])
    }

    /// This note with `signer`'s signature added at the end, replacing one by the same key.
    public func signed(by signer: NoteSigner) throws(LedgerFormatError) -> SignedNote {
        try adding(try Self.signature(of: text, by: signer))
    }

    /// This note with `signature` added at the end, replacing any signature by the same name and
    /// key id (as golang.org/x/mod/sumdb/note does).
    public func adding(_ signature: Signature) throws(LedgerFormatError) -> SignedNote {
        let kept = signatures.filter { $0.name != signature.name || $0.keyID != signature.keyID }
        return try SignedNote(text: text, signatures: kept + [signature])
    }

    /// The note as text: the text, a blank line, one line per signature.
    public var serialized: String {
        text + "\n" + signatures.map { $0.line + "\n" }.joined()
    }

    public var description: String { serialized }

    /// Checks the signatures against trusted keys, as the spec requires: signatures whose name and
    /// key id match no verifier are ignored; one that matches must verify, or the whole note is
    /// refused; and at least one must verify. Returns the verifiers whose signatures verified, in
    /// the order their signatures appear.
    public func verify(with verifiers: [NoteVerifier]) throws(LedgerFormatError) -> [NoteVerifier] {
        let textBytes = Array(text.utf8)
        var verified: [NoteVerifier] = []
        for signature in signatures {
            let candidates = Set(verifiers.filter { $0.matches(signature) })
            guard let verifier = candidates.first else { continue }
            guard candidates.count == 1 else { throw .ambiguousVerifier(signature.keyLabel) }
            guard verifier.isValidSignature(signature.bytes, for: textBytes) else {
                throw .noteSignatureInvalid(signature.keyLabel)
            }
            if !verified.contains(verifier) { verified.append(verifier) }
        }
        guard !verified.isEmpty else { throw .noteUnverified(signedBy: signatures.map(\.keyLabel)) }
        return verified
    }

    private static func signature(of text: String, by signer: NoteSigner) throws(LedgerFormatError) -> Signature {
        do { return try signer.signature(for: Array(text.utf8)) } catch { throw .crypto(error) }
    }

    /// Note text must end with a newline and hold no control character but newline.
    static func checkText(_ text: String) throws(LedgerFormatError) {
        guard text.utf8.last == 0x0A else { throw .malformedNote("the note text must end with a newline") }
        if let scalar = text.unicodeScalars.first(where: { $0.value < 0x20 && $0 != "\n" }) {
            throw .malformedNote("the note text contains control character U+\(String(scalar.value, radix: 16))")
        }
    }

    private static func lastBlankLine(in bytes: [UInt8]) -> Int? {
        var index = bytes.count - 2
        while index >= 0 {
            if bytes[index] == 0x0A && bytes[index + 1] == 0x0A { return index }
            index -= 1
        }
        return nil
    }

    private static let signaturePrefix: [UInt8] = Array("\u{2014} ".utf8)

    private static func parseSignatureLine(_ line: ArraySlice<UInt8>) throws(LedgerFormatError) -> Signature {
        let text = String(decoding: line, as: UTF8.self)
        guard line.starts(with: signaturePrefix) else {
            throw .malformedNote("signature line \"\(text)\" does not start with an em dash and a space")
        }
        let rest = line.dropFirst(signaturePrefix.count)
        guard let space = rest.firstIndex(of: UInt8(ascii: " ")) else {
            throw .malformedNote("signature line \"\(text)\" has no space between key name and signature")
        }
        let name = String(decoding: rest[..<space], as: UTF8.self)
        guard NoteVerifier.isValidName(name) else { throw .invalidKeyName(name) }
        guard let decoded = StrictBase64.decode(rest[(space + 1)...]), decoded.count >= 5 else {
            throw .malformedNote("the signature by \(name) is not base64 of a key id and a signature")
        }
        let keyID = decoded.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
        return Signature(validName: name, keyID: keyID, bytes: Array(decoded[4...]))
    }
}
