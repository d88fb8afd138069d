import Foundation

/// Why a witness refused to cosign a checkpoint. Every refusal leaves the ledger and the witness's
/// state file as they were.
public enum WitnessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not a signed checkpoint note.
    case malformedCheckpoint(source: String, reason: String)
    /// No signature on the note under its origin verifies with a key any party registers.
    case unknownLogKey(origin: String, signedBy: [String])
    /// A signature by a known key does not verify: the note was changed after it was signed.
    case badLogSignature(reason: String)
    /// The checkpoint names another log than the consortium's, whose origin the genesis fixed.
    case originChanged(old: String, new: String)
    /// The checkpoint is smaller than one this witness cosigned before.
    case logShrank(size: UInt64, cosignedSize: UInt64, cosignedAt: Date)
    /// The consistency proof from a cosigned tree to the new one does not verify (for one of the
    /// same size: the roots differ).
    case logRewritten(size: UInt64, cosignedSize: UInt64, cosignedAt: Date)
    /// The checkpoint is not a tree of this ledger (too large, or another root).
    case notThisLedger(size: UInt64, reason: String)
    /// A file of the witness's own state is not a checkpoint it cosigned.
    case invalidState(path: String, reason: String)
    /// The state file could not be read or written.
    case stateUnavailable(path: String, reason: String)
    /// The checkpoint's log time is earlier than that of the checkpoint last cosigned.
    case timeWentBack(logTime: Date, cosignedLogTime: Date)
    /// The checkpoint's log time lies in the witness's future, beyond the allowed skew.
    case timeInFuture(logTime: Date, now: Date)
    /// The witness's key is no key the consortium holds in force for it.
    case notAMember(party: String, keyID: String)

    public var description: String {
        switch self {
        case .malformedCheckpoint(let source, let reason):
            "\(source) is not a signed checkpoint: \(reason)"
        case .unknownLogKey(let origin, let signedBy):
            "the checkpoint is not signed under its origin '\(origin)' by a key of the consortium's log signer "
                + "(signed by: \(signedBy.joined(separator: ", ")))"
        case .badLogSignature(let reason):
            "the checkpoint's log signature does not verify, so the note was altered after signing: \(reason)"
        case .originChanged(let old, let new):
            "the checkpoint is for log '\(new)', but this witness cosigns log '\(old)', the one the consortium's "
                + "genesis names"
        case .logShrank(let size, let cosignedSize, let cosignedAt):
            "the log shrank: checkpoint \(size) is smaller than the checkpoint of size \(cosignedSize) "
                + "this witness cosigned on \(Timestamp.format(cosignedAt))"
        case .logRewritten(let size, let cosignedSize, let cosignedAt):
            "the log was rewritten: checkpoint \(size) is not consistent with the checkpoint of size "
                + "\(cosignedSize) this witness cosigned on \(Timestamp.format(cosignedAt))"
        case .notThisLedger(let size, let reason):
            "checkpoint \(size) is not a checkpoint of this ledger: \(reason)"
        case .invalidState(let path, let reason):
            "\(path) does not hold a checkpoint this witness cosigned: \(reason); move it out of the witness's "
                + "state (the other notes there, and the ledger's notes it cosigned, still hold it to its history)"
        case .timeWentBack(let logTime, let cosigned):
            "the log's time went back: the checkpoint says \(Timestamp.format(logTime)), but the one this witness "
                + "last cosigned said \(Timestamp.format(cosigned))"
        case .timeInFuture(let logTime, let now):
            "the checkpoint's log time \(Timestamp.format(logTime)) lies ahead of this witness's clock "
                + "(\(Timestamp.format(now))) by more than 5 minutes"
        case .notAMember(let party, let keyID):
            "key \(keyID.prefix(16))… is no key of '\(party)' in force in the consortium: only a member cosigns "
                + "(bring the key into force with `countersign propose parties/\(party).yaml`)"
        case .stateUnavailable(let path, let reason):
            "cannot use the witness state \(path): \(reason)"
        }
    }
}
