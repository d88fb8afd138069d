import CountersignKit

extension Ledger {
    /// A checkpoint for storage- and log-level tests, whose entries are not cases of a consortium
    /// (made-up pipelines, bare bytes): the case-head map records every case with entries as
    /// `open`, for the map's mechanics alone. Tests of real cases sign through
    /// `CaseRepository.signCheckpoint`, which judges each outcome.
    func signStorageCheckpoint(origin: String, key: Ed25519PrivateKey) throws -> SignedNote {
        try signCheckpoint(origin: origin, key: key) { changes in
            Dictionary(uniqueKeysWithValues: changes.map { ($0.caseID, "open") })
        }
    }
}
