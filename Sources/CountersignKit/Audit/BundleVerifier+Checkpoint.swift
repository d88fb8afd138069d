extension BundleVerifier {
    /// The checkpoint is the log's: signed under the genesis origin by the log signer the
    /// governance entries name, its cosignatures by members verifying; and, when a trust policy is
    /// given, signed by a pinned log key with the pinned witnesses' quorum.
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
        governance: GovernanceState,
        pinned: Bool,
        _ log: inout CheckLog
    ) {
        if !pinned && trust?.genesis == nil {
            log.note(
                "no --trust file: the checkpoint and every signature are checked with keys the bundle's own governance "
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
        guard let logKey = signatures.logKey else { return }
        log.ok(
            "checkpoint: signed under '\(checkpoint.origin)' by the log signer '\(logKey.party)' with key "
                + "\(logKey.keyID.prefix(16))…, as the governance entries name it"
        )
        for (party, cosignature) in signatures.cosigners {
            log.ok("checkpoint: cosigned by witness '\(party)' at \(Timestamp.format(cosignature.time))")
        }
        for name in signatures.unknown {
            log.note("checkpoint: the signature line of \(name) is by a key no member holds; not checked")
        }
        if !pinned, let verifier = try? NoteVerifier(name: checkpoint.origin, publicKey: logKey.publicKey) {
            log.note("to pin the log key, a --trust file would say: log \(verifier.vkey)")
        }
    }
}
