import Foundation

extension GovernanceState {
    /// The parties whose keys signed the entry, each signature checked: every signature must verify
    /// and be by a key in force or by a new key the entry itself adds, each key once. Which key made
    /// a signature is found among `signingCandidates(of:)` (`Envelope.signer(of:among:)`), so a
    /// signature need not name its key.
    func verifiedSigners(
        of entry: GovernanceEntry,
        _ refused: (String) -> GovernanceError
    ) throws(GovernanceError) -> EntrySigners {
        let candidates = signingCandidates(of: entry)
        var signers = EntrySigners(at: entry.time)
        for signature in entry.envelope.signatures {
            let signer: SigningCandidate
            switch entry.envelope.signer(of: signature, among: candidates, publicKey: \.publicKey) {
            case .verified(let found):
                signer = found
            case .failed(let named):
                throw refused(
                    "the signature by key \(named.keyID.prefix(16))… does not verify: "
                        + "the entry was altered or signed with another key"
                )
            case .unknown(let keyID):
                throw refused(
                    "it is signed by key \(keyID.prefix(16))…, which is neither a key in force "
                        + "nor a new key the entry adds"
                )
            case .unverified:
                throw refused(
                    "a signature that names no key (no keyid) verifies with no key of '\(entry.predicate.party)' "
                        + "nor any key the entry adds: the entry was altered or signed with another key"
                )
            case .misnamed(let keyID, let found):
                throw refused(Envelope.Signature.misnamedReason(keyID: keyID, verifying: found.keyID))
            }
            if signers.signed(with: signer.keyID) {
                throw refused("key \(signer.keyID.prefix(16))… signs it twice: each key signs an entry once")
            }
            // A key the consortium holds signs only while it is in force: a revoked key, or one
            // outside its window, makes no change of any kind (not even a party's own proposal).
            if let known = signer.known, let problem = known.problem(at: entry.time) {
                throw refused("it is signed with a key that cannot sign now: \(problem)")
            }
            if let known = signer.known, let problem = known.backdatingProblem(signedAt: entry.predicate.signedAt) {
                throw refused(problem)
            }
            signers.keys.append((signer.keyID, signer.known?.party))
        }
        return signers
    }

    /// The keys that may have made a governance entry's signatures: every key the consortium holds
    /// for the party making the change (revoked ones too, refused for that), every key a party file
    /// it proposes lists (held or new: a new key's proof of possession), and any key a signature's
    /// keyid names, wherever it belongs (so a key of another party is refused as that party's).
    func signingCandidates(of entry: GovernanceEntry) -> [SigningCandidate] {
        var candidates: [SigningCandidate] = []
        func add(_ keyID: String, _ publicKey: Ed25519PublicKey) {
            guard !candidates.contains(where: { $0.keyID == keyID }) else { return }
            candidates.append(SigningCandidate(keyID: keyID, publicKey: publicKey, known: keys[keyID]))
        }
        for keyID in members[entry.predicate.party]?.keyIDs ?? [] {
            if let key = keys[keyID] { add(keyID, key.publicKey) }
        }
        if case .member(let declaration) = entry.predicate.change {
            for key in declaration.keys { add(key.keyID, keys[key.keyID]?.publicKey ?? key.publicKey) }
        }
        for signature in entry.envelope.signatures {
            if let keyID = signature.keyID, let key = keys[keyID] { add(keyID, key.publicKey) }
        }
        return candidates
    }

    /// A key that may have signed a governance entry, with the consortium's record of it (`nil`
    /// for a new key the entry adds).
    struct SigningCandidate {
        let keyID: String
        let publicKey: Ed25519PublicKey
        let known: MemberKey?
    }
}

/// The keys that signed an entry (with the party each belongs to, `nil` for a key the entry
/// itself adds) and when the entry says it was signed.
struct EntrySigners {
    var keys: [(keyID: String, party: String?)] = []
    let at: Date

    init(at: Date) {
        self.at = at
    }

    /// Whether `keyID` signed.
    func signed(with keyID: String) -> Bool { keys.contains { $0.keyID == keyID } }
}
