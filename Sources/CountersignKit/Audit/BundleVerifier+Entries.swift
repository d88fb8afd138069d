import Foundation

extension BundleVerifier {
    /// Every envelope carries one signature, by a key the consortium held in force for the party it
    /// names just before the entry (the key that verifies among that party's, whether or not the
    /// signature names it), inside the key's window at the entry's log time (its signedAt
    /// when the bag records no log times), not dated before the key came into force, nor later than
    /// the log time + 5 minutes.
    func checkSignatures(_ contents: BundleContents, governance: BundleEvidence, _ log: inout CheckLog) {
        for entry in contents.entries {
            let predicate = entry.predicate
            let envelope = entry.event.envelope
            guard envelope.signatures.count == 1 else {
                log.fail(
                    "signature: \(entry.label) carries \(envelope.signatures.count) signatures; a case entry has one",
                    about: entry.path
                )
                continue
            }
            let match: SignerMatch<MemberKey>
            do {
                match = try governance.before(entry.index).caseSigner(of: envelope, party: predicate.party)
            } catch {
                log.fail("signature: \(entry.label): its signer cannot be looked up: \(error)", about: entry.path)
                continue
            }
            let key: MemberKey
            var verifies = true
            switch match {
            case .verified(let found):
                key = found
            case .failed(let named):
                key = named
                verifies = false
            case .unknown(let keyID):
                log.fail(
                    "signature: \(entry.label) is signed with key \(keyID.prefix(16))…, which no member held "
                        + "in force at that point of the log (by the bundle's governance entries)",
                    about: entry.path
                )
                continue
            case .unverified:
                log.fail(
                    "signature: \(entry.label) names no key (no keyid) and verifies with none of the keys the "
                        + "bundle's governance entries give '\(predicate.party)' at that point of the log",
                    about: entry.path
                )
                continue
            case .misnamed(let keyID, let found):
                log.fail(
                    "signature: \(entry.label): "
                        + Envelope.Signature.misnamedReason(keyID: keyID, verifying: found.keyID),
                    about: entry.path
                )
                continue
            }
            if key.party != predicate.party {
                log.fail(
                    "signature: \(entry.label) is signed with a key of '\(key.party)', not of '\(predicate.party)'",
                    about: entry.path
                )
            } else if let problem = key.problem(at: entry.event.time) {
                let when =
                    entry.event.logTime == nil
                    ? "at its signedAt" : "at its log time \(Timestamp.format(entry.event.time))"
                log.fail(
                    "signature: \(entry.label): \(problem), judged \(when), so it could not sign then",
                    about: entry.path
                )
            } else if let problem = key.backdatingProblem(signedAt: predicate.signedAt) {
                log.fail("signature: \(entry.label): \(problem)", about: entry.path)
            } else if let logTime = entry.event.logTime,
                predicate.signedAt.timeIntervalSince(logTime) > SignOffValidator.allowedClockSkew
            {
                log.fail(
                    "signature: \(entry.label): it is signed at \(Timestamp.format(predicate.signedAt)), later than its "
                        + "log time \(Timestamp.format(logTime)) + 5 minutes",
                    about: entry.path
                )
            } else if !verifies {
                log.fail(
                    "signature: \(entry.label): the signature by '\(key.party)' does not verify: the entry was altered",
                    about: entry.path
                )
            } else {
                log.ok(
                    "signature: \(entry.label): signed with key \(key.keyID.prefix(16))… of '\(key.party)', "
                        + "in force since governance entry \(key.addedAt)",
                    about: entry.path
                )
                guard let logTime = entry.event.logTime else { continue }
                noteUnprovenWindow(
                    "signature",
                    entry.label,
                    about: entry.path,
                    time: logTime,
                    ends: key.until,
                    starts: key.since,
                    notBefore: predicate.signedAt.addingTimeInterval(-SignOffValidator.allowedClockSkew),
                    bounds: logTimeBounds(of: entry.index, in: contents),
                    what: "the window of key \(key.keyID.prefix(16))…",
                    &log
                )
            }
        }
    }

    /// The entries form the case's whole chain from its opening: each names the leaf hash of the one
    /// before it, all of one case (the one `bag-info.txt` names).
    func checkChain(_ contents: BundleContents, caseID bagCaseID: String?, _ log: inout CheckLog) {
        let first = contents.entries[0]
        let caseID = first.predicate.caseID
        if let bagCaseID, bagCaseID != caseID {
            log.fail(
                "chain: bag-info.txt names case '\(bagCaseID)', but the entries are of case '\(caseID)'",
                about: "bag-info.txt"
            )
        }
        if first.predicate.decision != .open || first.predicate.previous != nil {
            log.fail(
                "chain: the first entry in the bundle, \(first.label), does not open the case: entries are missing",
                about: first.path
            )
        }
        for (previous, entry) in zip(contents.entries, contents.entries.dropFirst()) {
            let predicate = entry.predicate
            if predicate.caseID != caseID {
                log.fail(
                    "chain: \(entry.label) belongs to case '\(predicate.caseID)', not '\(caseID)'",
                    about: entry.path
                )
            } else if let named = predicate.previous {
                if named != previous.event.leafHash {
                    log.fail(
                        "chain: \(entry.label) names as the case's previous entry the leaf hash \(named.hex.prefix(16))…, "
                            + "but the entry before it in the bundle is entry \(previous.index) "
                            + "(\(previous.event.leafHash.hex.prefix(16))…): an entry was removed, added or reordered",
                        about: entry.path
                    )
                }
            } else {
                log.fail("chain: \(entry.label) opens the case a second time", about: entry.path)
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
            for subject in entry.event.statement.attachments {
                let (path, found) = contents.document(named: subject.name, attachedBy: entry.index)
                guard let document = found else {
                    log.fail(
                        "documents: \(entry.label) attaches '\(subject.name)', but \(path) is missing",
                        about: path
                    )
                    continue
                }
                expected.insert(document.path)
                if let sha256 = subject.sha256, SHA256.hash(document.bytes) != sha256 {
                    log.fail(
                        "documents: \(document.path) is not byte for byte the document \(entry.label) attaches "
                            + "(its SHA-256 is not the \(sha256.hex) the entry signs)",
                        about: document.path
                    )
                    continue
                }
                do {
                    let fingerprint = try XMLDocument(bytes: document.bytes, source: document.path).fingerprint()
                    if fingerprint.digest != subject.fingerprint {
                        log.fail(
                            "documents: \(document.path) has fingerprint \(fingerprint), but \(entry.label) signs "
                                + "'\(subject.name)' as \(Fingerprint(digest: subject.fingerprint)): it is not the document that was signed",
                            about: document.path
                        )
                    }
                } catch {
                    log.fail("documents: \(document.path) cannot be read: \(error)", about: document.path)
                }
            }
        }
        for document in contents.documents where !expected.contains(document.path) {
            log.fail("documents: \(document.path) is attached by no entry in the bundle", about: document.path)
        }
        guard !log.hasFailed else { return }
        log.ok("documents: all \(contents.documents.count) documents have the fingerprints their entries sign")
    }

    /// Every proof is for its entry (a case or a governance entry), carries exactly
    /// `data/checkpoint.txt`, and leads from the entry's leaf hash to the checkpoint's root.
    func checkProofs(_ contents: BundleContents, _ log: inout CheckLog) {
        let proved: [(label: String, path: String, index: Int, envelope: [UInt8], proof: TlogProof)] =
            contents.governance.map { ($0.label, $0.path, $0.index, $0.entry.envelope.bytes, $0.proof) }
            + contents.entries.map { ($0.label, $0.path, $0.index, $0.event.envelope.bytes, $0.proof) }
        for entry in proved {
            let proof = entry.proof
            if proof.index != UInt64(entry.index) {
                log.fail("proofs: the proof of \(entry.label) is for log index \(proof.index)", about: entry.path)
            } else if proof.checkpoint.size != contents.checkpoint.size {
                log.fail(
                    "proofs: the proof of \(entry.label) is for a tree of \(proof.checkpoint.size) entries, "
                        + "but data/checkpoint.txt is of \(contents.checkpoint.size)",
                    about: entry.path
                )
            } else if Array(proof.note.serialized.utf8) != contents.checkpointBytes {
                log.fail(
                    "proofs: the proof of \(entry.label) carries another checkpoint than data/checkpoint.txt",
                    about: entry.path
                )
            } else if !proof.includes(entry: entry.envelope) {
                log.fail(
                    "proofs: the inclusion proof of \(entry.label) does not lead to the checkpoint's root: "
                        + "the entry or its proof was altered",
                    about: entry.path
                )
            }
        }
        guard !log.hasFailed else { return }
        log.ok(
            "proofs: all \(contents.entries.count) case entries and \(contents.governance.count) governance entries are "
                + "in the log's tree of \(contents.checkpoint.size) entries "
                + "(root \(contents.checkpoint.rootHash.base64))"
        )
    }
}
