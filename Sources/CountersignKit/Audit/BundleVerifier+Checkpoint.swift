extension BundleVerifier {
    /// The checkpoint is the log's: signed under the genesis origin by the log signer the
    /// governance entries name, its cosignatures by members verifying; and, when a trust policy is
    /// given, signed by a pinned log key (unless it pins the genesis alone: then the log signer's
    /// key rests on that pinned root) with the pinned witnesses' quorum.
    func checkCheckpoint(_ contents: BundleContents, governance: BundleEvidence, _ log: inout CheckLog) {
        if let trust { checkCheckpoint(contents.note, contents.checkpoint, trust: trust, &log) }
        guard !log.hasFailed else { return }
        checkCheckpoint(contents.note, contents.checkpoint, governance: governance.final, pinned: trust != nil, &log)
    }

    private func checkCheckpoint(
        _ note: SignedNote,
        _ checkpoint: Checkpoint,
        trust: TrustPolicy,
        _ log: inout CheckLog
    ) {
        if trust.logs.isEmpty {
            guard let genesis = trust.genesis else {
                log.fail(
                    "checkpoint: the trust file pins neither a log key nor a genesis, so nothing roots the log's key"
                )
                return
            }
            log.ok(
                "checkpoint: the trust file pins no log key; the log signer's key is taken from the governance "
                    + "entries of the pinned genesis sha256:\(genesis.hex)"
            )
        } else {
            guard checkPinnedLog(note, checkpoint, trust: trust, &log) else { return }
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
            // With no log key pinned, the log's own line is judged by the governance entries below.
            if trust.logs.isEmpty && line.name == checkpoint.origin { continue }
            log.note(
                "checkpoint: the signature line of \(line.name) is by a key the trust file does not list: "
                    + "it counts toward no quorum of the trust file"
            )
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

    /// The checkpoint is signed by a log key the trust file lists under the checkpoint's origin.
    private func checkPinnedLog(
        _ note: SignedNote,
        _ checkpoint: Checkpoint,
        trust: TrustPolicy,
        _ log: inout CheckLog
    ) -> Bool {
        let logKeys = trust.logs.filter { $0.name == checkpoint.origin }
        guard !logKeys.isEmpty else {
            let named = trust.logs.map(\.name).joined(separator: ", ")
            log.fail(
                "checkpoint: the trust file has no log key for origin '\(checkpoint.origin)' (it trusts: \(named))"
            )
            return false
        }
        do {
            let verified = try note.verify(with: logKeys)
            log.ok("checkpoint: signed by the trusted log key \(verified.map(\.vkey).joined(separator: ", "))")
            return true
        } catch {
            log.fail("checkpoint: not signed by a trusted log key: \(error)")
            return false
        }
    }

    private func checkCheckpoint(
        _ note: SignedNote,
        _ checkpoint: Checkpoint,
        governance: GovernanceState,
        pinned: Bool,
        _ log: inout CheckLog
    ) {
        if !pinned {
            log.note(
                "checkpoint: no --trust file: the checkpoint and every signature are checked with keys the bundle's own governance "
                    + "entries carry, so whoever can rewrite the whole bundle can re-sign it; pin the log key or the "
                    + "genesis with --trust FILE"
            )
        }
        let signatures: CheckpointSignatures
        do {
            signatures = try CheckpointSignatures(of: note, checkpoint: checkpoint, governance: governance)
        } catch {
            log.fail("checkpoint: its signatures cannot be checked: \(error)")
            return
        }
        for problem in signatures.problems { log.fail("checkpoint: \(problem)") }
        for line in signatures.unknown {
            log.note("checkpoint: the signature line of \(line.name) (\(line.why)) is not checked; ignored")
        }
        guard let logKey = signatures.logKey else { return }
        log.ok(
            "checkpoint: signed under '\(checkpoint.origin)' by the log signer '\(logKey.party)' with key "
                + "\(logKey.keyID.prefix(16))…, as the governance entries name it"
        )
        for (party, cosignature) in signatures.cosigners {
            log.ok("checkpoint: cosigned by witness '\(party)' at \(Timestamp.format(cosignature.time))")
        }
        if !pinned, let verifier = try? NoteVerifier(name: checkpoint.origin, publicKey: logKey.publicKey) {
            log.note("checkpoint: to pin the log key, a --trust file would say: log \(verifier.vkey)")
        }
    }
}
