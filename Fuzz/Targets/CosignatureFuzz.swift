import CountersignKit

/// Witness cosignatures (`Cosignature(_:)` on a note's lines), seeded with the cosigned checkpoint:
/// every cosignature line reads back to the same line, and a cosignature that verifies under the
/// witness's key is on exactly the checkpoint and time the witness signed.
enum CosignatureFuzz {
    static let target = FuzzTarget(
        name: "cosignature",
        dictionary: "text",
        seeds: [Array(FuzzFixtures.cosignedNote.serialized.utf8)]
    ) { bytes throws(FuzzFailure) in
        guard let note = try? SignedNote(parsing: bytes) else { return }
        let checkpoint = try? Checkpoint(note: note)
        let signed = FuzzFixtures.cosignedNote.signatures.compactMap { try? Cosignature($0) }
        for line in note.signatures {
            guard let cosignature = try? Cosignature(line) else { continue }
            try FuzzFailure.expect(cosignature.noteSignature == line, "a cosignature does not write back its line")
            if let checkpoint, cosignature.isValid(for: checkpoint, by: FuzzFixtures.witnessVerifier) {
                try FuzzFailure.expect(
                    checkpoint == FuzzFixtures.checkpoint && signed.contains(cosignature),
                    "a mutated cosignature verifies on a checkpoint or time the witness never signed"
                )
            }
        }
    }
}
