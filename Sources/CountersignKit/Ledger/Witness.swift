import Foundation

/// A party that cosigns the log's checkpoints (c2sp.org/tlog-cosignature) only when each is
/// consistent with every checkpoint it cosigned before, so no single operator can rewrite or
/// truncate history unnoticed.
///
/// Its history is every note carrying its own valid cosignature under the log's origin that it can
/// find: those in its state (`WitnessState`, one note per size, in the party's own folder), those
/// the ledger stores (the operator cannot forge the witness's signature, only withhold notes), and
/// those in `otherNotes` (a state file of an earlier version). Its cosignatures are named by the
/// party id, so whoever holds the party files can tell which party cosigned; the key id binds that
/// name to the party's key.
public struct Witness: Sendable {
    /// The key name of the cosignatures: the witnessing party's id.
    public let name: String
    /// The key it cosigns with.
    public let key: Ed25519PrivateKey
    /// The log's origin, as the consortium's genesis fixed it: the only log this witness cosigns.
    public let origin: String
    /// Keys the log may sign checkpoints with (under `origin` as key name).
    public let logKeys: [Ed25519PublicKey]
    /// Keys its earlier cosignatures may have been made with (its registered keys, for rotation).
    public let ownKeys: [Ed25519PublicKey]
    /// Where it keeps every checkpoint it cosigned.
    public let state: WitnessState
    /// Further files that may hold a note it cosigned (`out/witness/PARTY.checkpoint` of an earlier
    /// version); a missing file, or one without its valid cosignature, adds nothing.
    public var otherNotes: [URL] = []

    /// How far a checkpoint's log time may lie in the witness's future (clock skew between machines).
    public static let allowedClockSkew: TimeInterval = 300

    /// A witness named `name` cosigning checkpoints of the log `origin` with `key`, keeping its
    /// state under `stateDirectory`; `ownKeys` defaults to `key`'s public key.
    public init(
        name: String,
        key: Ed25519PrivateKey,
        origin: String,
        logKeys: [Ed25519PublicKey],
        ownKeys: [Ed25519PublicKey]? = nil,
        stateDirectory: URL
    ) {
        self.name = name
        self.key = key
        self.origin = origin
        self.logKeys = logKeys
        self.ownKeys = ownKeys ?? [key.publicKey]
        self.state = WitnessState(directory: stateDirectory, origin: origin, party: name)
    }

    /// A checkpoint this witness cosigned, where it was found, and when it cosigned it.
    public struct Cosigned: Sendable, Equatable {
        public let checkpoint: Checkpoint
        public let note: SignedNote
        public let cosignedAt: Date
        /// The state file, or `the ledger's stored checkpoint of N entries`.
        public let source: String
    }

    /// Every checkpoint of its log this witness cosigned that its state, `ledger` (when given) and
    /// `otherNotes` hold, smallest first. Throws when a note of its state is not one it cosigned
    /// (its state was tampered with or damaged).
    public func history(in ledger: Ledger? = nil) throws -> [Cosigned] {
        var found: [Cosigned] = []
        for file in try state.notes() {
            let note: SignedNote
            let checkpoint: Checkpoint
            do {
                note = try SignedNote(parsing: file.bytes)
                checkpoint = try Checkpoint(note: note)
            } catch {
                throw WitnessError.invalidState(path: file.path, reason: "\(error)")
            }
            guard checkpoint.size == file.size, checkpoint.origin == origin else {
                throw WitnessError.invalidState(
                    path: file.path,
                    reason: "it holds a checkpoint of \(checkpoint.size) entries of log '\(checkpoint.origin)'"
                )
            }
            guard let time = cosignedAt(note, checkpoint) else {
                throw WitnessError.invalidState(path: file.path, reason: "it carries no valid cosignature by \(name)")
            }
            found.append(Cosigned(checkpoint: checkpoint, note: note, cosignedAt: time, source: file.path))
        }
        for url in otherNotes {
            guard let data = FileManager.default.contents(atPath: url.path),
                let note = try? SignedNote(parsing: Array(data)), let checkpoint = try? Checkpoint(note: note),
                checkpoint.origin == origin, let time = cosignedAt(note, checkpoint)
            else { continue }
            found.append(Cosigned(checkpoint: checkpoint, note: note, cosignedAt: time, source: url.path))
        }
        for stored in try ledger?.store.checkpoints() ?? [] {
            guard let note = try? SignedNote(parsing: stored.note), let checkpoint = try? Checkpoint(note: note),
                checkpoint.origin == origin, let time = cosignedAt(note, checkpoint)
            else { continue }
            let source = "the ledger's stored checkpoint of \(checkpoint.size) entries"
            found.append(Cosigned(checkpoint: checkpoint, note: note, cosignedAt: time, source: source))
        }
        return found.sorted { ($0.checkpoint.size, $0.cosignedAt) < ($1.checkpoint.size, $1.cosignedAt) }
    }

    /// The latest time of a valid cosignature of this witness's on `note`, by any of its own keys.
    private func cosignedAt(_ note: SignedNote, _ checkpoint: Checkpoint) -> Date? {
        let verifiers = ownKeys.compactMap { try? NoteVerifier(name: name, publicKey: $0, type: .cosignatureV1) }
        return note.signatures.compactMap { line -> Date? in
            guard let verifier = verifiers.first(where: { $0.matches(line) }),
                let cosignature = try? Cosignature(line),
                cosignature.isValid(for: checkpoint, by: verifier)
            else { return nil }
            return cosignature.time
        }.max()
    }

    /// Checks the signed checkpoint note `bytes` (read from `source`) and cosigns it at `now`: the
    /// log's signature under the consortium's origin must verify, and the checkpoint must be of
    /// `ledger`; against every checkpoint in its history (`history(in:)`), it must be no smaller,
    /// have the same root as one of the same size, and the ledger's consistency proof must link each
    /// older root to the new one; its log time may not go back from that of the largest one cosigned
    /// nor lie more than 5 minutes in the witness's future. Then the cosignature is added to the
    /// ledger's stored checkpoint of that size (keeping its other signatures), the note is added to
    /// the witness's state with every note of its history the state lacked, and the cosigned note is
    /// returned. Nothing is written when a check fails.
    public func cosign(_ bytes: [UInt8], source: String, in ledger: Ledger, at now: Date) throws -> SignedNote {
        let (note, checkpoint) = try verifiedCheckpoint(bytes, source: source)
        // Every check reads one snapshot of the ledger; the cosignature is merged into whatever is
        // stored by then (`saveCheckpoint`), so a witness cosigning meanwhile is kept too.
        let (history, size, cosigned) = try ledger.store.snapshot {
            try checked(note, checkpoint, in: ledger, at: now)
        }
        try ledger.store.saveCheckpoint(StoredCheckpoint(size: size, note: cosigned.serialized))
        let kept = Set(try state.notes().map(\.size))
        for old in history where !kept.contains(old.checkpoint.size) {
            try state.record(old.note, size: old.checkpoint.size)
        }
        try state.record(cosigned, size: checkpoint.size)
        return cosigned
    }

    /// `cosign`'s checks against the history and the ledger, and the note cosigned: the history,
    /// the checkpoint's tree size, and the stored note of that size with this witness's signature.
    private func checked(
        _ note: SignedNote,
        _ checkpoint: Checkpoint,
        in ledger: Ledger,
        at now: Date
    ) throws -> (history: [Cosigned], size: Int, cosigned: SignedNote) {
        let history = try history(in: ledger)
        if let larger = history.last(where: { $0.checkpoint.size > checkpoint.size }) {
            throw WitnessError.logShrank(
                size: checkpoint.size,
                cosignedSize: larger.checkpoint.size,
                cosignedAt: larger.cosignedAt
            )
        }
        if let newest = history.last, let oldTime = newest.checkpoint.logTime, let newTime = checkpoint.logTime,
            newTime < oldTime
        {
            throw WitnessError.timeWentBack(logTime: newTime, cosignedLogTime: oldTime)
        }
        // A log time ahead of this witness's clock (beyond the skew machines may have) is a log
        // vouching for a future it has not reached.
        if let logTime = checkpoint.logTime, logTime.timeIntervalSince(now) > Self.allowedClockSkew {
            throw WitnessError.timeInFuture(logTime: logTime, now: now)
        }
        let size = try treeSize(checkpoint, in: ledger)
        var checked: Set<[UInt8]> = []
        for old in history.reversed() where checked.insert(old.checkpoint.rootHash.bytes).inserted {
            let oldSize = Int(old.checkpoint.size)
            let proof = try ledger.consistencyProof(from: oldSize, to: size)
            guard
                MerkleProofVerifier.verifyConsistency(
                    oldSize: oldSize,
                    oldRoot: old.checkpoint.rootHash,
                    newSize: size,
                    newRoot: checkpoint.rootHash,
                    proof: proof.hashes
                )
            else {
                throw WitnessError.logRewritten(
                    size: checkpoint.size,
                    cosignedSize: old.checkpoint.size,
                    cosignedAt: old.cosignedAt
                )
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
        return (history, size, cosigned)
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
        guard checkpoint.origin == origin else { throw .originChanged(old: origin, new: checkpoint.origin) }
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
}
