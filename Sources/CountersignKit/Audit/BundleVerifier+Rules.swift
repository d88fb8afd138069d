extension BundleVerifier {
    /// Replays the entries, in log order, through the engine that accepted them: `Orchestrator.submit`
    /// over an in-memory ledger that holds nothing but this bundle, the consortium moved forward
    /// entry by entry as the bundle's governance entries make it. Each entry must pass every
    /// sign-off check again, at its log time (it is appended at the time the bag gives it; its
    /// signedAt when the bag records none), as when the log received it: the signer's key, the signer may sign the
    /// step, the step was ready (`after`, `needs`, `if` and `require` over the documents of that
    /// moment), a party signs a step once, a closed case takes no entry, and an expiry comes after
    /// the window. Returns the outcome the replay ends in.
    @discardableResult
    func checkRules(
        _ contents: BundleContents,
        pipeline: Pipeline,
        governance: BundleEvidence,
        _ log: inout CheckLog
    ) -> CaseOutcome? {
        let orchestrator: Orchestrator
        let replay = GovernanceReplay(GovernanceState())
        let ledger: Ledger
        do {
            ledger = Ledger(store: try SQLiteLedgerStore(path: ":memory:"))
            let repository = CaseRepository(ledger: ledger, governance: replay)
            repository.remember(pipeline)
            repository.indexesAreLogIndexes = false
            orchestrator = Orchestrator(repository: repository) { _, _ in nil }
            // Each entry is appended at the log time the bag gives it, whatever the replay's clock.
            orchestrator.logTimes = .given
        } catch {
            log.fail("rules: the entries cannot be replayed: \(error)")
            return nil
        }
        var pendingGovernance = contents.governance[...]
        for entry in contents.entries {
            // The consortium as it stood just before this entry, its entries in the replay's own chain.
            replay.state = governance.before(entry.index)
            while let next = pendingGovernance.first, next.index < entry.index {
                pendingGovernance = pendingGovernance.dropFirst()
                do {
                    try ledger.append([
                        NewEntry(
                            envelope: next.entry.envelope.bytes,
                            caseID: LedgerChain.consortium,
                            expectedPrevious: try ledger.store.chainHead(LedgerChain.consortium)?.leaf,
                            logTime: next.entry.logTime
                        )
                    ])
                } catch {
                    log.fail("rules: the entries cannot be replayed: \(error)", about: next.path)
                    return nil
                }
            }
            let uploads = entry.event.statement.attachments.compactMap { subject in
                contents.document(named: subject.name, attachedBy: entry.index).document.map {
                    DocumentUpload(name: subject.name, bytes: $0.bytes, source: $0.path)
                }
            }
            do {
                let signed = try orchestrator.decodeSubmission(envelope: entry.event.envelope.bytes, documents: uploads)
                try orchestrator.submit(signed, now: entry.event.time)
            } catch EngineError.refused(_, _, let reasons) {
                log.fail(
                    "rules: \(entry.label) was not allowed by the pipeline: " + reasons.joined(separator: "; "),
                    about: entry.path
                )
                return nil
            } catch {
                log.fail("rules: \(entry.label) cannot be replayed: \(error)", about: entry.path)
                return nil
            }
        }
        let last = contents.entries[contents.entries.count - 1].event
        let view = try? orchestrator.repository.view(of: last.predicate.caseID, at: last.time)
        let when = recordsLogTimes(contents) ? "when the log received it" : "when signed"
        log.ok(
            "rules: all \(contents.entries.count) entries replayed through pipeline '\(pipeline.id)': each signer was "
                + "allowed and each step ready \(when); after the last entry the case is "
                + (view?.outcome.rawValue ?? "?")
        )
        // The case's window: each entry inside it by the log time the bag gives, the checkpoints
        // perhaps proving less (an expiry entry is after it by its own replay).
        guard let expiresAt = view?.expiresAt else { return view?.outcome }
        // The window opens with the entry that starts it (the opening, or the `from` step's).
        var started = false
        for entry in contents.entries {
            guard started else {
                switch pipeline.expiry?.start {
                case .step(let id): started = entry.predicate.step == id
                case .open, nil: started = entry.predicate.decision == .open
                }
                continue
            }
            guard entry.predicate.decision != .expire, let logTime = entry.event.logTime else { continue }
            noteUnprovenWindow(
                "rules",
                entry.label,
                about: entry.path,
                time: logTime,
                ends: expiresAt,
                starts: nil,
                notBefore: nil,
                bounds: logTimeBounds(of: entry.index, in: contents),
                what: "the case's window",
                &log
            )
        }
        return view?.outcome
    }
}
