import Foundation

extension GovernanceState {
    /// The genesis: the first entry of the ledger, by the founder, with the key its party file lists.
    mutating func applyGenesis(
        _ entry: GovernanceEntry,
        settings: ConsortiumSettings,
        founder: MemberDeclaration,
        policy: ConsortiumPolicy,
        _ refused: (String) -> GovernanceError
    ) throws(GovernanceError) -> GovernanceOutcome {
        let predicate = entry.predicate
        guard genesis == nil, head == nil else { throw refused("the consortium was founded already") }
        if !isPartial, entry.index != 0 {
            throw refused("the genesis is the ledger's first entry, not entry \(entry.index)")
        }
        guard predicate.party == founder.id else {
            throw refused("it is signed as '\(predicate.party)' but founds the consortium with party '\(founder.id)'")
        }
        guard policy == .founding(founder.id) else {
            throw refused("a genesis sets the policy \(ConsortiumPolicy.founding(founder.id)), not \(policy)")
        }
        guard !founder.keys.isEmpty else { throw refused("the founder's party file lists no key") }
        // Each signature is matched to the founder's key that made it; every founder key must
        // have signed, and nothing else.
        var signed: Set<String> = []
        var others = 0
        for signature in entry.envelope.signatures {
            switch entry.envelope.signer(of: signature, among: founder.keys, publicKey: \.publicKey) {
            case .verified(let key):
                guard signed.insert(key.keyID).inserted else {
                    throw refused("the founder's key \(key.keyID.prefix(16))… signs it twice: each key signs once")
                }
            case .misnamed(let keyID, let key):
                throw refused(Envelope.Signature.misnamedReason(keyID: keyID, verifying: key.keyID))
            case .failed, .unknown, .unverified:
                others += 1
            }
        }
        for key in founder.keys {
            guard signed.contains(key.keyID) else {
                throw refused(
                    "the founder's key \(key.keyID.prefix(16))… did not sign it (every key the genesis brings in "
                        + "signs it: its proof of possession)"
                )
            }
            guard key.isValid(at: predicate.signedAt) else {
                throw refused(
                    "the founder's key \(key.keyID.prefix(16))… is not valid at \(Timestamp.format(predicate.signedAt))"
                )
            }
        }
        if others > 0 {
            throw refused("it carries signatures by keys the founder's party file does not list")
        }
        self.settings = settings
        self.policy = policy
        genesis = Genesis(
            envelopeHash: SHA256.hash(entry.envelope.bytes),
            leafHash: entry.leafHash,
            founder: founder.id,
            signedAt: entry.time
        )
        try enact(.member(founder), at: entry.index, time: entry.time, by: founder.id, refused)
        return .inForce(proposal: nil)
    }

    /// A party file proposed by the party itself or by an admin. A new key comes only with a
    /// signature by that key (proof of possession); no key may belong to two parties; a key in force
    /// leaves only by revocation. The party's own change that only adds keys and narrows windows,
    /// signed with one of its keys in force (a rotation), is in force at once; anything else (a new
    /// member, a new name, a wider window, a key added without the party's own key) waits for the
    /// admins.
    mutating func proposeMember(
        _ declaration: MemberDeclaration,
        entry: GovernanceEntry,
        signers: EntrySigners,
        _ refused: (String) -> GovernanceError
    ) throws(GovernanceError) -> GovernanceOutcome {
        let proposer = entry.predicate.party
        let existing = members[declaration.id]
        for declared in declaration.keys {
            if let owner = keys[declared.keyID]?.party, owner != declaration.id {
                throw refused("key \(declared.keyID.prefix(16))… already belongs to party '\(owner)'")
            }
        }
        let newKeys = declaration.keys.filter { keys[$0.keyID] == nil }
        for key in newKeys where !signers.signed(with: key.keyID) {
            throw refused(
                "it adds key \(key.keyID.prefix(16))… but is not signed by it: a new key proves its possession by "
                    + "signing the proposal (give that key as a further --key)"
            )
        }
        for keyID in existing?.keyIDs ?? []
        where keys[keyID]?.revocation == nil && declaration.key(withID: keyID) == nil {
            throw refused(
                "the file no longer lists key \(keyID.prefix(16))…, which is in force: a key leaves by revocation "
                    + "(`countersign revoke \(declaration.id) \(keyID)`)"
            )
        }
        for signer in signers.keys where signer.party != nil && signer.party != proposer {
            throw refused("it is signed with a key of '\(signer.party!)', who is not the proposer '\(proposer)'")
        }
        var widened = false
        var changed = existing == nil || existing?.name != declaration.name || !newKeys.isEmpty
        for declared in declaration.keys {
            guard let key = keys[declared.keyID], key.party == declaration.id else { continue }
            if key.since != declared.since || key.until != declared.until { changed = true }
            if Self.widens(from: key.window, to: declared) { widened = true }
        }
        guard changed else {
            throw refused("it changes nothing: the party file matches what is in force for '\(declaration.id)'")
        }
        if proposer == declaration.id {
            if existing == nil {
                guard !newKeys.isEmpty else {
                    throw refused(
                        "a party joining with no key cannot sign its proposal: make a key first (`countersign keygen`)"
                    )
                }
            } else {
                // A member proposes its own file with one of its keys in force; a member that lost
                // every key asks an admin to propose the file for it.
                try requireAuthenticated(proposer, signers: signers, refused)
                if !widened, existing?.name == declaration.name {
                    // A rotation, in force at once (whatever an admin's identical proposal awaits).
                    try enact(.member(declaration), at: entry.index, time: entry.time, by: proposer, refused)
                    return .inForce(proposal: nil)
                }
            }
        } else {
            guard policy?.admins.contains(proposer) == true else {
                throw refused(
                    "only '\(declaration.id)' itself or an admin may propose its party file, and '\(proposer)' is neither "
                        + "(admins: \(policy?.admins.joined(separator: ", ") ?? "none"))"
                )
            }
            try requireAdmin(proposer, signers: signers, refused)
        }
        return try propose(.member(declaration), entry: entry, signers: signers, refused)
    }

    /// Whether the window `to` lets a key sign at some time `from` did not.
    static func widens(from old: PartyKey, to new: PartyKey) -> Bool {
        let earlierStart = old.since.map { start in new.since.map { $0 < start } ?? true } ?? false
        let laterEnd = old.until.map { end in new.until.map { $0 > end } ?? true } ?? false
        return earlierStart || laterEnd
    }

    /// The files a pipeline proposal's subjects name: `pipeline.yaml` first, then schema paths in
    /// bytewise order, whose manifest hashes to `version`.
    func versionFiles(
        _ subjects: [Statement.Subject],
        id: String,
        version: Digest,
        _ refused: (String) -> GovernanceError
    ) throws(GovernanceError) -> [PipelineVersion.File] {
        guard subjects.first?.name == PipelineFiles.pipelineName else {
            throw refused("its first subject must be \(PipelineFiles.pipelineName)")
        }
        var previous: String?
        for subject in subjects.dropFirst() {
            guard (try? PipelineFiles.normalised(subject.name, in: [])) == subject.name else {
                throw refused("subject '\(subject.name)' is not a plain schema path inside the pipeline's folder")
            }
            if let previous, !PipelineFiles.bytewise(previous, subject.name) {
                throw refused("its schema subjects are not in bytewise order, each once")
            }
            previous = subject.name
        }
        let files = subjects.map { PipelineVersion.File(path: $0.name, sha256: $0.sha256) }
        let manifest = files.map { $0.sha256.hex + "  " + $0.path + "\n" }.joined()
        guard SHA256.hash(Array(manifest.utf8)) == version else {
            throw refused("the SHA-256 of its files' manifest is not the version sha256:\(version.hex) it names")
        }
        return files
    }

    /// A policy can govern: its admins are members, enough of them (and the log signer) hold a key in force.
    func checkPolicy(
        _ policy: ConsortiumPolicy,
        at date: Date,
        _ refused: (String) -> GovernanceError
    ) throws(GovernanceError) {
        for party in policy.admins + [policy.logSigner] where members[party] == nil {
            throw refused("'\(party)' is not a member of the consortium")
        }
        let able = policy.admins.filter { admin in liveKeys(of: admin).contains { $0.isUsable(at: date) } }
        guard able.count >= policy.quorum else {
            throw refused(
                "only \(able.count) of its admins hold a key in force, fewer than its quorum of \(policy.quorum): "
                    + "the consortium could approve nothing"
            )
        }
        guard liveKeys(of: policy.logSigner).contains(where: { $0.isUsable(at: date) }) else {
            throw refused("its log signer '\(policy.logSigner)' holds no key in force")
        }
    }
}
