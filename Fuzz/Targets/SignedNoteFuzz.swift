import CountersignKit

/// C2SP signed notes (`SignedNote(parsing:)`), seeded with a signed and cosigned checkpoint: a note
/// serialises back to exactly the bytes read, and a note that verifies under the log's key has
/// exactly the text that was signed.
enum SignedNoteFuzz {
    static let target = FuzzTarget(
        name: "signed-note",
        dictionary: "text",
        seeds: [Array(FuzzFixtures.cosignedNote.serialized.utf8)]
    ) { bytes throws(FuzzFailure) in
        guard let note = try? SignedNote(parsing: bytes) else { return }
        try FuzzFailure.expect(Array(note.serialized.utf8) == bytes, "the note does not serialise to the bytes read")
        try FuzzFailure.expect(
            (try? SignedNote(parsing: note.serialized)) == note,
            "the serialised note reads back differently"
        )
        if let verified = try? note.verify(with: [FuzzFixtures.logVerifier]), !verified.isEmpty {
            try FuzzFailure.expect(
                note.text == FuzzFixtures.cosignedNote.text,
                "a mutated note verifies with a text that was never signed"
            )
        }
    }
}
