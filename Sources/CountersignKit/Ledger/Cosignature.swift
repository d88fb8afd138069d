import Foundation

/// A witness cosignature, `cosignature/v1` (c2sp.org/tlog-cosignature, Ed25519, type 0x04): the
/// witness states that, at `timestamp`, the checkpoint is the largest consistent tree it has seen.
///
/// It is a further signature line on the checkpoint note whose bytes are
/// `key id (4) || timestamp (u64 big-endian) || Ed25519 signature (64)` over
/// `"cosignature/v1\ntime <timestamp>\n" + checkpoint body`.
public struct Cosignature: Hashable, Sendable {
    /// The witness's key name.
    public let name: String
    /// `SHA-256(name || 0x0A || 0x04 || public key)[:4]`, big-endian.
    public let keyID: UInt32
    /// When the witness cosigned, in POSIX seconds (at most 2^63 − 1).
    public let timestamp: UInt64
    /// The 64-byte Ed25519 signature.
    public let signature: [UInt8]

    /// Cosigns `checkpoint` as the witness `name` holding `key`, at `time` rounded down to the second.
    public static func sign(
        _ checkpoint: Checkpoint,
        name: String,
        key: Ed25519PrivateKey,
        time: Date
    ) throws(LedgerFormatError) -> Cosignature {
        let verifier = try NoteVerifier(name: name, publicKey: key.publicKey, type: .cosignatureV1)
        let seconds = time.timeIntervalSince1970.rounded(.down)
        guard seconds >= 0, seconds < 0x1p63 else {
            throw .malformedCosignature(name: name, reason: "time \(time) is before 1970 or too far ahead")
        }
        let timestamp = UInt64(seconds)
        let message = message(timestamp: timestamp, body: Array(checkpoint.body.utf8))
        let signature: [UInt8]
        do { signature = try key.signature(for: message) } catch { throw .crypto(error) }
        return Cosignature(name: name, keyID: verifier.keyID, timestamp: timestamp, signature: signature)
    }

    private init(name: String, keyID: UInt32, timestamp: UInt64, signature: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.timestamp = timestamp
        self.signature = signature
    }

    /// Reads a cosignature from a note signature line: 72 bytes after the key id, timestamp first.
    public init(_ line: SignedNote.Signature) throws(LedgerFormatError) {
        try self.init(name: line.name, keyID: line.keyID, timestamped: line.bytes)
    }

    init(name: String, keyID: UInt32, timestamped bytes: [UInt8]) throws(LedgerFormatError) {
        guard bytes.count == 72 else {
            throw .malformedCosignature(
                name: name,
                reason: "it is \(bytes.count + 4) bytes; a cosignature/v1 is 76 (key id, time, signature)"
            )
        }
        let timestamp = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard timestamp < 1 << 63 else {
            throw .malformedCosignature(name: name, reason: "its timestamp exceeds 2^63 - 1")
        }
        self.init(name: name, keyID: keyID, timestamp: timestamp, signature: Array(bytes[8...]))
    }

    /// When the witness cosigned.
    public var time: Date { Date(timeIntervalSince1970: TimeInterval(timestamp)) }

    /// The signature line to add to the checkpoint note.
    public var noteSignature: SignedNote.Signature {
        let timestampBytes = (0..<8).map { UInt8(truncatingIfNeeded: timestamp >> (56 - 8 * $0)) }
        return SignedNote.Signature(validName: name, keyID: keyID, bytes: timestampBytes + signature)
    }

    /// Whether this is `verifier`'s valid cosignature of `checkpoint`: same name and key id, a
    /// cosignature key, and a signature over this cosignature's time and the checkpoint body.
    public func isValid(for checkpoint: Checkpoint, by verifier: NoteVerifier) -> Bool {
        verifier.type == .cosignatureV1 && verifier.matches(noteSignature)
            && verifier.publicKey.isValidSignature(signature, for: message(for: Array(checkpoint.body.utf8)))
    }

    /// The bytes this cosignature signs for a note text (a checkpoint body).
    func message(for body: [UInt8]) -> [UInt8] {
        Self.message(timestamp: timestamp, body: body)
    }

    /// `"cosignature/v1\ntime <timestamp>\n" + body`.
    static func message(timestamp: UInt64, body: [UInt8]) -> [UInt8] {
        Array("cosignature/v1\ntime \(timestamp)\n".utf8) + body
    }
}
