import Foundation

/// Reads cases back from the ledger: entries folded into a `CaseState`, the exact pipeline bytes the
/// case was opened under, and its documents parsed from their stored bytes.
public final class CaseRepository {
    public let ledger: Ledger
    public let parties: PartyRegistry
    /// Where pipeline schemas are looked up (schema paths are relative to the pipeline file).
    public let pipelineDirectory: URL
    private var pipelines: [String: Pipeline] = [:]
    private var documentCache: [Fingerprint: XMLDocument] = [:]

    public init(ledger: Ledger, parties: PartyRegistry, pipelineDirectory: URL) {
        self.ledger = ledger
        self.parties = parties
        self.pipelineDirectory = pipelineDirectory
    }

    /// The folded case, or `nil` when the ledger has no entry for it.
    public func state(of caseID: String) throws -> CaseState? {
        let entries = try ledger.store.entries(ofCase: caseID)
        guard !entries.isEmpty else { return nil }
        var events: [CaseEvent] = []
        for entry in entries {
            do {
                events.append(try CaseEvent(entry))
            } catch {
                throw EngineError.corruptCase(caseID: caseID, index: entry.index, reason: "\(error)")
            }
        }
        return try CaseState(events: events)
    }

    /// The pipeline a case is bound to, rebuilt from the bytes stored when it was opened.
    public func pipeline(for state: CaseState) throws -> Pipeline {
        let key = "sha256:" + state.pipelineDigest.hex
        if let cached = pipelines[key] { return cached }
        guard let bytes = try ledger.store.document(fingerprint: key) else {
            throw EngineError.missingPipeline(caseID: state.caseID, digest: key)
        }
        let pipeline = try Pipeline(
            bytes: bytes,
            path: "\(state.pipelineID) (as opened, \(key.prefix(19)))",
            parties: parties.partyIDs,
            schemaDirectory: pipelineDirectory
        )
        remember(pipeline)
        return pipeline
    }

    /// A pipeline already known by digest (remembered or loaded before), without loading anything.
    public func knownPipeline(digest: String) -> Pipeline? {
        pipelines[digest]
    }

    /// Makes a pipeline known by digest (the workspace's copy, when a case is opened under it).
    public func remember(_ pipeline: Pipeline) {
        pipelines[pipeline.digest] = pipeline
    }

    /// The case's current documents by name, parsed from their stored bytes.
    public func documents(for state: CaseState) throws -> [String: XMLDocument] {
        var result: [String: XMLDocument] = [:]
        for (name, attachment) in state.attachments {
            result[name] = try document(attachment.fingerprint, name: name)
        }
        return result
    }

    /// One stored document, parsed once per repository.
    public func document(_ fingerprint: Fingerprint, name: String) throws -> XMLDocument {
        if let cached = documentCache[fingerprint] { return cached }
        guard let bytes = try ledger.store.document(fingerprint: fingerprint.description) else {
            throw EngineError.badDocument(name: name, reason: "\(fingerprint) is not in the ledger store")
        }
        let document = try XMLDocument(bytes: bytes, source: "\(name) (\(fingerprint))")
        documentCache[fingerprint] = document
        return document
    }

    /// The case evaluated at `now`.
    public func view(of caseID: String, at now: Date) throws -> CaseView {
        guard let state = try state(of: caseID) else { throw EngineError.unknownCase(caseID) }
        return try view(of: state, at: now)
    }

    public func view(of state: CaseState, at now: Date) throws -> CaseView {
        let evaluator = CaseEvaluator(pipeline: try pipeline(for: state), documents: try documents(for: state))
        return evaluator.evaluate(state, at: now)
    }
}
