/// `log verify`: the Merkle checks of `LogVerifier` plus every entry's signature by a key the
/// party files register, and every checkpoint's signatures by such a key.
public struct LogAudit {
    public let store: any LedgerStore
    public let parties: PartyRegistry

    public init(store: any LedgerStore, parties: PartyRegistry) {
        self.store = store
        self.parties = parties
    }

    /// Runs every check in one pass over the log.
    public func run(progress: ((Int) -> Void)? = nil) throws -> LogVerifier.Report {
        var verifier = LogVerifier(store: store)
        verifier.progress = progress
        verifier.checkEntry = { entry in signatureProblems(entry) }
        verifier.checkNoteSignatures = { note in noteSignatureProblem(note) }
        return try verifier.verify()
    }

    private func signatureProblems(_ entry: LedgerEntry) -> [LogVerifier.Problem] {
        let envelope: Envelope
        do {
            envelope = try Envelope(bytes: entry.envelope)
        } catch {
            return [.init(index: entry.index, message: "not a DSSE envelope: \(error)")]
        }
        guard let (party, key) = parties.key(withID: envelope.keyID) else {
            return [
                .init(
                    index: entry.index,
                    message: "signed by key \(envelope.keyID.prefix(16))…, which no party file holds"
                )
            ]
        }
        guard envelope.verify(with: key.publicKey) else {
            return [.init(index: entry.index, message: "the signature of '\(party.id)' does not verify")]
        }
        return []
    }

    /// A checkpoint is acceptable when at least one signature line verifies under a key some party
    /// file registers; a line claiming a party's key name that fails is a problem.
    private func noteSignatureProblem(_ note: SignedNote) -> String? {
        let names = Set(note.signatures.map(\.name))
        let verifiers = names.flatMap { name in
            parties.parties.flatMap { party in
                party.keys.flatMap { key in
                    [NoteVerifier.SignatureType.ed25519, .cosignatureV1].compactMap {
                        try? NoteVerifier(name: name, publicKey: key.publicKey, type: $0)
                    }
                }
            }
        }
        do {
            _ = try note.verify(with: verifiers)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
