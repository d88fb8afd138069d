extension BundleVerifier {
    /// Replays the entries, in log order, through the engine that accepted them: `Orchestrator.submit`
    /// over an in-memory ledger that holds nothing but this bundle. Each entry must pass every
    /// sign-off check again, at the time it was signed: the signer may sign the step, the step was
    /// ready (`after`, `needs`, `if` and `require` over the documents of that moment), a party signs
    /// a step once, a closed case takes no entry, and an expiry comes after the window.
    func checkRules(_ contents: BundleContents, pipeline: Pipeline, parties: PartyRegistry, _ log: inout CheckLog) {
        let orchestrator: Orchestrator
        do {
            let repository = CaseRepository(
                ledger: Ledger(store: try SQLiteLedgerStore(path: ":memory:")),
                parties: parties,
                pipelineDirectory: dataDirectory
            )
            repository.remember(pipeline)
            let catalog = PipelineCatalog(directory: dataDirectory, displayPath: "data", parties: parties.partyIDs)
            orchestrator = Orchestrator(repository: repository, catalog: catalog) { _ in nil }
        } catch {
            log.fail("rules: the entries cannot be replayed: \(error)")
            return
        }
        for entry in contents.entries {
            let uploads = entry.event.statement.subjects.compactMap { subject in
                contents.document(named: subject.name, attachedBy: entry.index).document.map {
                    DocumentUpload(name: subject.name, bytes: $0.bytes, source: $0.path)
                }
            }
            do {
                let signed = try orchestrator.decodeSubmission(envelope: entry.event.envelope.bytes, documents: uploads)
                try orchestrator.submit(signed, now: entry.predicate.signedAt)
            } catch EngineError.refused(_, _, let reasons) {
                log.fail("rules: \(entry.label) was not allowed by the pipeline: " + reasons.joined(separator: "; "))
                return
            } catch {
                log.fail("rules: \(entry.label) cannot be replayed: \(error)")
                return
            }
        }
        let last = contents.entries[contents.entries.count - 1].predicate
        let outcome = (try? orchestrator.repository.view(of: last.caseID, at: last.signedAt))?.outcome.rawValue ?? "?"
        log.ok(
            "rules: all \(contents.entries.count) entries replayed through pipeline '\(pipeline.id)': each signer was "
                + "allowed and each step ready when signed; after the last entry the case is \(outcome)"
        )
    }
}
