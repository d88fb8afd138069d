extension BundleVerifier {
    /// The checkpoint is signed by the log and its cosignatures verify: against the pinned keys of
    /// the trust policy when there is one, else against every key of the bundle's party files.
    func checkCheckpoint(_ contents: BundleContents, parties: PartyRegistry, _ log: inout CheckLog) {
        if let trust {
            checkCheckpoint(contents.note, contents.checkpoint, trust: trust, &log)
        } else {
            checkCheckpoint(contents.note, contents.checkpoint, parties: parties, &log)
        }
    }

    private func checkCheckpoint(
        _ note: SignedNote,
        _ checkpoint: Checkpoint,
        trust: TrustPolicy,
        _ log: inout CheckLog
    ) {
        let logKeys = trust.logs.filter { $0.name == checkpoint.origin }
        guard !logKeys.isEmpty else {
            let named = trust.logs.map(\.name).joined(separator: ", ")
            log.fail(
                "checkpoint: the trust file has no log key for origin '\(checkpoint.origin)' "
                    + "(it trusts: \(named.isEmpty ? "no log" : named))"
            )
            return
        }
        do {
            let verified = try note.verify(with: logKeys)
            log.ok("checkpoint: signed by the trusted log key \(verified.map(\.vkey).joined(separator: ", "))")
        } catch {
            log.fail("checkpoint: not signed by a trusted log key: \(error)")
            return
        }
        var cosigned: Set<String> = []
        for witness in trust.witnesses {
            guard let line = note.signatures.first(where: witness.verifier.matches) else {
                log.note("checkpoint: trusted witness \(witness.name) did not cosign it")
                continue
            }
            if let cosignature = try? Cosignature(line), cosignature.isValid(for: checkpoint, by: witness.verifier) {
                cosigned.insert(witness.name)
                log.ok(
                    "checkpoint: cosigned by trusted witness \(witness.name) at \(Timestamp.format(cosignature.time))"
                )
            } else {
                log.fail("checkpoint: the cosignature of trusted witness \(witness.name) does not verify")
            }
        }
        let known = trust.logs + trust.witnesses.map(\.verifier)
        for line in note.signatures where !known.contains(where: { $0.matches(line) }) {
            log.note("checkpoint: the signature line of \(line.name) is by a key the trust file does not list; ignored")
        }
        if trust.quorum.isSatisfied(by: cosigned) {
            log.ok("checkpoint: the trust file's witness quorum (\(trust.quorum)) is met")
        } else {
            let list = cosigned.isEmpty ? "none" : cosigned.sorted().joined(separator: ", ")
            log.fail(
                "checkpoint: the trust file's witness quorum (\(trust.quorum)) is not met; trusted witnesses that cosigned: \(list)"
            )
        }
    }

    private func checkCheckpoint(
        _ note: SignedNote,
        _ checkpoint: Checkpoint,
        parties: PartyRegistry,
        _ log: inout CheckLog
    ) {
        log.note(
            "no --trust file: the checkpoint and every signature are checked with keys the bundle itself carries "
                + "(data/parties/), so whoever can rewrite the whole bundle can re-sign it; pin the log key with --trust FILE"
        )
        let text = Array(note.text.utf8)
        var logSigned = false
        var pins: [String] = []
        for line in note.signatures {
            let owners = parties.parties.compactMap { party in
                Self.noteVerifier(of: line, in: party).map { (party, $0) }
            }
            guard let (party, verifier) = owners.first else {
                log.note(
                    "checkpoint: the signature line of \(line.name) is by a key no party file in the bundle holds; not checked"
                )
                continue
            }
            switch verifier.type {
            case .ed25519:
                guard verifier.isValidSignature(line.bytes, for: text) else {
                    log.fail("checkpoint: the signature by \(line.name) with the key of '\(party.id)' does not verify")
                    continue
                }
                guard line.name == checkpoint.origin else {
                    log.note("checkpoint: also signed by \(line.name) with the key of '\(party.id)'")
                    continue
                }
                logSigned = true
                pins.append("log \(verifier.vkey)")
                log.ok("checkpoint: signed by the log \(line.name) with the key of '\(party.id)'")
            case .cosignatureV1:
                guard let cosignature = try? Cosignature(line), cosignature.isValid(for: checkpoint, by: verifier)
                else {
                    log.fail(
                        "checkpoint: the cosignature of witness \(line.name) (key of '\(party.id)') does not verify"
                    )
                    continue
                }
                pins.append("witness \(party.id) \(verifier.vkey)")
                log.ok(
                    "checkpoint: cosigned by witness \(line.name) with the key of '\(party.id)' "
                        + "at \(Timestamp.format(cosignature.time))"
                )
            }
        }
        guard logSigned else {
            let signers = note.signatures.map(\.name).joined(separator: ", ")
            log.fail(
                "checkpoint: no signature of the log '\(checkpoint.origin)' verifies with a key in the bundle's "
                    + "party files (signature lines by: \(signers))"
            )
            return
        }
        for pin in pins { log.note("to pin this key, a --trust file would say: \(pin)") }
    }

    /// The verifier, built from one of `party`'s keys, whose name and key id match the signature
    /// line, as a log signature or as a witness cosignature.
    static func noteVerifier(of line: SignedNote.Signature, in party: Party) -> NoteVerifier? {
        for key in party.keys {
            for type in [NoteVerifier.SignatureType.ed25519, .cosignatureV1] {
                if let verifier = try? NoteVerifier(name: line.name, publicKey: key.publicKey, type: type),
                    verifier.matches(line)
                {
                    return verifier
                }
            }
        }
        return nil
    }
}
