import CountersignKit

/// tlog-proof files (`TlogProof(parsing:)`), seeded with a proof of one entry of the fixture log: a
/// proof serialises back to exactly the bytes read, and a proof whose checkpoint verifies under the
/// log's key and that includes the proven entry is the proof that was made, index and path alike.
enum TlogProofFuzz {
    static let target = FuzzTarget(
        name: "tlog-proof",
        dictionary: "text",
        seeds: [Array(FuzzFixtures.proof.serialized.utf8)]
    ) { bytes throws(FuzzFailure) in
        guard let proof = try? TlogProof(parsing: bytes) else { return }
        try FuzzFailure.expect(Array(proof.serialized.utf8) == bytes, "the proof does not serialise to the bytes read")
        try FuzzFailure.expect(
            (try? TlogProof(parsing: Array(proof.serialized.utf8))) == proof,
            "the serialised proof reads back differently"
        )
        let entry = FuzzFixtures.entries[FuzzFixtures.provenIndex]
        if let verified = try? proof.note.verify(with: [FuzzFixtures.logVerifier]), !verified.isEmpty,
            proof.includes(entry: entry)
        {
            try FuzzFailure.expect(
                proof.checkpoint == FuzzFixtures.checkpoint && proof.index == FuzzFixtures.proof.index
                    && proof.hashes == FuzzFixtures.proof.hashes,
                "a mutated proof verifies for an index, path or checkpoint that was never proved"
            )
        }
    }
}
