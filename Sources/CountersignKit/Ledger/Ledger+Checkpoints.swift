extension Ledger {
    /// Signs a checkpoint of the whole log as it is now under `origin`, with the log time of its
    /// newest entry and the root of the case-head map (`caseMapRoot(at:outcomes:)`, which
    /// `outcomes` serves), stores it and returns it. When a checkpoint of this size is already
    /// stored, the signature is added to that note, so its cosignatures are kept.
    public func signCheckpoint(
        origin: String,
        key: Ed25519PrivateKey,
        outcomes: ([CaseHeadChange]) throws -> [String: String]
    ) throws -> SignedNote {
        let (size, root) = try root()
        let logTime = size == 0 ? nil : try store.entry(at: size - 1)?.logTime
        let checkpoint = try Checkpoint(
            origin: origin,
            size: UInt64(size),
            rootHash: root,
            logTime: logTime,
            caseMapRoot: try caseMapRoot(at: size, outcomes: outcomes)
        )
        let signer = try NoteSigner(name: origin, key: key)
        var note = try checkpoint.signed(by: signer)
        if let stored = try store.checkpoints().first(where: { $0.size == size }),
            let existing = try? SignedNote(parsing: stored.note), existing.text == note.text
        {
            note = existing
            if !existing.signatures.contains(where: { $0.name == signer.name && $0.keyID == signer.keyID }) {
                note = try existing.adding(try signer.signature(for: Array(note.text.utf8)))
            }
        }
        try store.saveCheckpoint(StoredCheckpoint(size: size, note: note.serialized))
        return note
    }

    /// Every stored checkpoint with the note it was stored as, smallest tree first.
    public func storedCheckpoints() throws -> [(checkpoint: Checkpoint, note: SignedNote)] {
        try store.checkpoints().map { stored in
            let note = try SignedNote(parsing: stored.note)
            return (try Checkpoint(note: note), note)
        }
    }
}
