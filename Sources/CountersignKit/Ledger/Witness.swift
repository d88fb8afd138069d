import Foundation

/// A party that cosigns the log's checkpoints (c2sp.org/tlog-cosignature) only when each is
/// consistent with the last one it cosigned, so no single operator can rewrite or truncate history
/// unnoticed.
///
/// The witness remembers the last checkpoint it cosigned in its state file (a signed note carrying
/// its cosignature). Its cosignatures are named by the party id, so whoever holds the party files
/// can tell which party cosigned; the key id binds that name to the party's key.
public struct Witness: Sendable {
    /// The key name of the cosignatures: the witnessing party's id.
    public let name: String
    /// The key it cosigns with.
    public let key: Ed25519PrivateKey
    /// Keys the log may sign checkpoints with (under the checkpoint's origin as key name).
    public let logKeys: [Ed25519PublicKey]
    /// Keys its earlier cosignatures may have been made with (its registered keys, for rotation).
    public let ownKeys: [Ed25519PublicKey]
    /// Where it keeps the last checkpoint it cosigned.
    public let stateFile: URL

    /// How far a checkpoint's log time may lie in the witness's future (clock skew between machines).
    public static let allowedClockSkew: TimeInterval = 300

    /// A witness named `name` cosigning with `key`; `ownKeys` defaults to `key`'s public key.
    public init(
        name: String,
        key: Ed25519PrivateKey,
        logKeys: [Ed25519PublicKey],
        ownKeys: [Ed25519PublicKey]? = nil,
        stateFile: URL
    ) {
        self.name = name
        self.key = key
        self.logKeys = logKeys
        self.ownKeys = ownKeys ?? [key.publicKey]
        self.stateFile = stateFile
    }

    /// The last checkpoint this witness cosigned and when, from its state file; `nil` before the
    /// first. Throws when the file is there but holds no valid cosignature by this witness.
    public func lastCosigned() throws(WitnessError) -> (checkpoint: Checkpoint, cosignedAt: Date)? {
        guard FileManager.default.fileExists(atPath: stateFile.path) else { return nil }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: stateFile)
        } catch {
            throw .stateUnavailable(path: stateFile.path, reason: error.localizedDescription)
        }
        let note: SignedNote
        let checkpoint: Checkpoint
        do {
            note = try SignedNote(parsing: Array(bytes))
            checkpoint = try Checkpoint(note: note)
        } catch {
            throw .invalidState(path: stateFile.path, reason: "\(error)")
        }
        let verifiers = ownKeys.compactMap { try? NoteVerifier(name: name, publicKey: $0, type: .cosignatureV1) }
        let times = note.signatures.compactMap { line -> Date? in
            guard let verifier = verifiers.first(where: { $0.matches(line) }),
                let cosignature = try? Cosignature(line),
                cosignature.isValid(for: checkpoint, by: verifier)
            else { return nil }
            return cosignature.time
        }
        guard let cosignedAt = times.max() else {
            throw .invalidState(path: stateFile.path, reason: "it carries no valid cosignature by \(name)")
        }
        return (checkpoint, cosignedAt)
    }

    /// Checks the signed checkpoint note `bytes` (read from `source`) and cosigns it at `now`: the
    /// log's signature must verify, the checkpoint must be of `ledger`, and — when this witness
    /// cosigned before — name the same log, be no smaller, and the ledger's consistency proof must
    /// link the old root to the new; its log time may not go back from the one last cosigned nor lie
    /// more than 5 minutes in the witness's future. Then the cosignature is added to the ledger's stored
    /// checkpoint of that size (keeping its other signatures), the state file is replaced
    /// atomically, and the cosigned note is returned. Nothing is written when a check fails.
    public func cosign(_ bytes: [UInt8], source: String, in ledger: Ledger, at now: Date) throws -> SignedNote {
        let (note, checkpoint) = try verifiedCheckpoint(bytes, source: source)
        let previous = try lastCosigned()
        if let (old, cosignedAt) = previous {
            guard old.origin == checkpoint.origin else {
                throw WitnessError.originChanged(old: old.origin, new: checkpoint.origin)
            }
            guard checkpoint.size >= old.size else {
                throw WitnessError.logShrank(size: checkpoint.size, cosignedSize: old.size, cosignedAt: cosignedAt)
            }
            if let oldTime = old.logTime, let newTime = checkpoint.logTime, newTime < oldTime {
                throw WitnessError.timeWentBack(logTime: newTime, cosignedLogTime: oldTime)
            }
        }
        // A log time ahead of this witness's clock (beyond the skew machines may have) is a log
        // vouching for a future it has not reached.
        if let logTime = checkpoint.logTime, logTime.timeIntervalSince(now) > Self.allowedClockSkew {
            throw WitnessError.timeInFuture(logTime: logTime, now: now)
        }
        let size = try treeSize(checkpoint, in: ledger)
        if let (old, cosignedAt) = previous {
            let proof = try ledger.consistencyProof(from: Int(old.size), to: size)
            guard
                MerkleProofVerifier.verifyConsistency(
                    oldSize: Int(old.size),
                    oldRoot: old.rootHash,
                    newSize: size,
                    newRoot: checkpoint.rootHash,
                    proof: proof.hashes
                )
            else {
                throw WitnessError.logRewritten(size: checkpoint.size, cosignedSize: old.size, cosignedAt: cosignedAt)
            }
        }
        guard try ledger.root(size: size).root == checkpoint.rootHash else {
            throw WitnessError.notThisLedger(
                size: checkpoint.size,
                reason: "the ledger's tree of \(size) entries has another root hash"
            )
        }
        let cosignature = try Cosignature.sign(checkpoint, name: name, key: key, time: now)
        let cosigned = try storedNote(of: checkpoint, in: ledger, default: note).adding(cosignature.noteSignature)
        try ledger.store.saveCheckpoint(StoredCheckpoint(size: size, note: cosigned.serialized))
        try saveState(cosigned)
        return cosigned
    }

    /// The note and its checkpoint, once a signature under the origin by a log key verifies.
    private func verifiedCheckpoint(_ bytes: [UInt8], source: String) throws(WitnessError) -> (SignedNote, Checkpoint) {
        let note: SignedNote
        let checkpoint: Checkpoint
        do {
            note = try SignedNote(parsing: bytes)
            checkpoint = try Checkpoint(note: note)
        } catch {
            throw .malformedCheckpoint(source: source, reason: error.description)
        }
        let verifiers = logKeys.compactMap { try? NoteVerifier(name: checkpoint.origin, publicKey: $0) }
        do {
            _ = try note.verify(with: verifiers)
        } catch .noteUnverified {
            throw .unknownLogKey(origin: checkpoint.origin, signedBy: note.signatures.map(\.name))
        } catch {
            throw .badLogSignature(reason: error.description)
        }
        return (note, checkpoint)
    }

    /// The checkpoint's size as a tree size of `ledger`, which must hold that many entries.
    private func treeSize(_ checkpoint: Checkpoint, in ledger: Ledger) throws -> Int {
        let logSize = try ledger.size()
        guard checkpoint.size <= UInt64(logSize) else {
            throw WitnessError.notThisLedger(size: checkpoint.size, reason: "the ledger holds only \(logSize) entries")
        }
        return Int(checkpoint.size)
    }

    /// The ledger's stored note of this checkpoint (with the signatures gathered so far), or
    /// `note` when none is stored at its size.
    private func storedNote(of checkpoint: Checkpoint, in ledger: Ledger, default note: SignedNote) throws -> SignedNote
    {
        guard let stored = try ledger.store.checkpoints().first(where: { $0.size == Int(checkpoint.size) }) else {
            return note
        }
        let storedNote = try SignedNote(parsing: stored.note)
        guard storedNote.text == note.text else {
            throw WitnessError.notThisLedger(
                size: checkpoint.size,
                reason: "the ledger stores a different checkpoint of that size:\n\(storedNote.text)"
            )
        }
        return storedNote
    }

    private func saveState(_ note: SignedNote) throws(WitnessError) {
        do {
            try FileManager.default.createDirectory(
                at: stateFile.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(note.serialized.utf8).write(to: stateFile, options: .atomic)
        } catch {
            throw .stateUnavailable(path: stateFile.path, reason: error.localizedDescription)
        }
    }
}
