extension BundleVerifier {
    /// Every envelope is signed by a key of the party it names, valid when it signed.
    func checkSignatures(_ contents: BundleContents, parties: PartyRegistry, _ log: inout CheckLog) {
        for entry in contents.entries {
            let predicate = entry.predicate
            let envelope = entry.event.envelope
            let signedAt = Timestamp.format(predicate.signedAt)
            let validity = parties.key(for: envelope.keyID, at: predicate.signedAt)
            switch validity {
            case .unknown(let keyID):
                log.fail(
                    "signature: \(entry.label) is signed with key \(keyID), which no party file in the bundle holds"
                )
            case .notYetValid(let party, _), .expired(let party, _):
                log.fail("signature: \(entry.label): \(validity), so it could not sign at \(signedAt)")
                if party.id != predicate.party {
                    log.fail(
                        "signature: \(entry.label) is signed with a key of '\(party.id)', not of '\(predicate.party)'"
                    )
                }
            case .valid(let party, let key):
                if party.id != predicate.party {
                    log.fail(
                        "signature: \(entry.label) is signed with a key of '\(party.id)', not of '\(predicate.party)'"
                    )
                } else if !envelope.verify(with: key.publicKey) {
                    log.fail(
                        "signature: \(entry.label): the signature by '\(party.id)' does not verify: the entry was altered"
                    )
                } else {
                    log.ok(
                        "signature: \(entry.label): signed with key \(key.keyID.prefix(16))… of '\(party.id)', valid then"
                    )
                }
            }
        }
    }

    /// The entries form the case's whole chain from its opening: each names the leaf hash of the one
    /// before it, all of one case (the one `bag-info.txt` names).
    func checkChain(_ contents: BundleContents, caseID bagCaseID: String?, _ log: inout CheckLog) {
        let first = contents.entries[0]
        let caseID = first.predicate.caseID
        if let bagCaseID, bagCaseID != caseID {
            log.fail("chain: bag-info.txt names case '\(bagCaseID)', but the entries are of case '\(caseID)'")
        }
        if first.predicate.decision != .open || first.predicate.previous != nil {
            log.fail(
                "chain: the first entry in the bundle, \(first.label), does not open the case: entries are missing"
            )
        }
        for (previous, entry) in zip(contents.entries, contents.entries.dropFirst()) {
            let predicate = entry.predicate
            if predicate.caseID != caseID {
                log.fail("chain: \(entry.label) belongs to case '\(predicate.caseID)', not '\(caseID)'")
            } else if let named = predicate.previous {
                if named != previous.event.leafHash {
                    log.fail(
                        "chain: \(entry.label) names as the case's previous entry the leaf hash \(named.hex.prefix(16))…, "
                            + "but the entry before it in the bundle is entry \(previous.index) "
                            + "(\(previous.event.leafHash.hex.prefix(16))…): an entry was removed, added or reordered"
                    )
                }
            } else {
                log.fail("chain: \(entry.label) opens the case a second time")
            }
        }
        guard !log.hasFailed else { return }
        log.ok(
            "chain: the \(contents.entries.count) entries of case '\(caseID)' each name the one before, "
                + "from its opening by '\(first.predicate.party)' at \(Timestamp.format(first.predicate.signedAt))"
        )
    }

    /// Every document an entry attaches is in the bundle and has the fingerprint the entry signs;
    /// every document file is one an entry attaches.
    func checkDocuments(_ contents: BundleContents, _ log: inout CheckLog) {
        var expected: Set<String> = []
        for entry in contents.entries {
            for subject in entry.event.statement.subjects {
                let (path, found) = contents.document(named: subject.name, attachedBy: entry.index)
                guard let document = found else {
                    log.fail("documents: \(entry.label) attaches '\(subject.name)', but \(path) is missing")
                    continue
                }
                expected.insert(document.path)
                do {
                    let fingerprint = try XMLDocument(bytes: document.bytes, source: document.path).fingerprint()
                    if fingerprint.digest != subject.sha256 {
                        log.fail(
                            "documents: \(document.path) has fingerprint \(fingerprint), but \(entry.label) signs "
                                + "'\(subject.name)' as \(Fingerprint(digest: subject.sha256)): it is not the document that was signed"
                        )
                    }
                } catch {
                    log.fail("documents: \(document.path) cannot be read: \(error)")
                }
            }
        }
        for document in contents.documents where !expected.contains(document.path) {
            log.fail("documents: \(document.path) is attached by no entry in the bundle")
        }
        guard !log.hasFailed else { return }
        log.ok("documents: all \(contents.documents.count) documents have the fingerprints their entries sign")
    }

    /// Every proof is for its entry, carries exactly `data/checkpoint.txt`, and leads from the
    /// entry's leaf hash to the checkpoint's root.
    func checkProofs(_ contents: BundleContents, _ log: inout CheckLog) {
        for entry in contents.entries {
            let proof = entry.proof
            if proof.index != UInt64(entry.index) {
                log.fail("proofs: the proof of \(entry.label) is for log index \(proof.index)")
            } else if proof.checkpoint.size != contents.checkpoint.size {
                log.fail(
                    "proofs: the proof of \(entry.label) is for a tree of \(proof.checkpoint.size) entries, "
                        + "but data/checkpoint.txt is of \(contents.checkpoint.size)"
                )
            } else if Array(proof.note.serialized.utf8) != contents.checkpointBytes {
                log.fail("proofs: the proof of \(entry.label) carries another checkpoint than data/checkpoint.txt")
            } else if !proof.includes(entry: entry.event.envelope.bytes) {
                log.fail(
                    "proofs: the inclusion proof of \(entry.label) does not lead to the checkpoint's root: "
                        + "the entry or its proof was altered"
                )
            }
        }
        guard !log.hasFailed else { return }
        log.ok(
            "proofs: all \(contents.entries.count) entries are in the log's tree of \(contents.checkpoint.size) entries "
                + "(root \(contents.checkpoint.rootHash.base64))"
        )
    }
}
