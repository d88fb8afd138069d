import Foundation

/// Reads cases back from the ledger: entries folded into a `CaseState`, the pipeline version the
/// case was opened under (its files as the ledger stores them), its documents parsed from their
/// stored bytes, and the consortium's governance state every check takes keys and rights from.
public final class CaseRepository {
    public let ledger: Ledger
    /// The consortium as the ledger holds it: keys, members, pipeline versions in force.
    public private(set) var governance: any GovernanceView
    private var pipelines: [String: Pipeline] = [:]
    private var documentCache: [Fingerprint: XMLDocument] = [:]

    /// A repository over `ledger`, its governance state read from the ledger's own cache.
    public convenience init(ledger: Ledger) throws {
        self.init(ledger: ledger, governance: try GovernanceCache(store: ledger.store))
    }

    /// A repository asking `governance` (a replay moving through a bundle, say).
    public init(ledger: Ledger, governance: any GovernanceView) {
        self.ledger = ledger
        self.governance = governance
    }

    /// Reads the governance state again (after another process changed the consortium).
    public func refreshGovernance() throws {
        guard governance is GovernanceCache else { return }
        governance = try GovernanceCache(store: ledger.store)
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

    /// The pipeline version a case is bound to, loaded from the files the ledger stores with it.
    public func pipeline(for state: CaseState) throws -> Pipeline {
        let key = "sha256:" + state.pipelineDigest.hex
        if let cached = pipelines[key] { return cached }
        guard let version = try governance.version(state.pipelineDigest) else {
            throw EngineError.missingPipeline(caseID: state.caseID, digest: key)
        }
        return try pipeline(version)
    }

    /// A version in force, loaded from its stored files (each checked against its SHA-256).
    public func pipeline(_ version: PipelineVersion) throws -> Pipeline {
        if let cached = pipelines[version.digestText] { return cached }
        let pipeline = try Pipeline(
            files: try PipelineVersionFiles.load(version, from: ledger.store),
            path: "\(version.pipeline)@\(version.digestText.prefix(19))…"
        )
        guard pipeline.id == version.pipeline, pipeline.digest == version.digestText else {
            throw PipelineVersionFiles.Problem(
                version: version.name,
                reason: "its files hold pipeline '\(pipeline.id)'"
            )
        }
        remember(pipeline)
        return pipeline
    }

    /// Makes a pipeline known by digest, so it is not loaded again (a bundle's copy of the version).
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
        // Bounded: a batch walks every case once, and must not keep every document it read.
        if documentCache.count >= 256 { documentCache.removeAll(keepingCapacity: true) }
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
