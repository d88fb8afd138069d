import CountersignKit
import Foundation

/// One case of an example pipeline in a fresh workspace, moved on step by step: through the
/// orchestrator as a signer would (`sign`), or appended straight to the store past every check
/// (`forge`) to make a history that breaks its pipeline.
final class ExampleCase {
    let workspace: EngineWorkspace
    let samples: ExampleCases
    let repository: CaseRepository
    let orchestrator: Orchestrator
    let pipeline: Pipeline
    let caseID = "case-1"
    /// The time of the next entry; each one moves it on by an hour.
    var now = Timestamp.parse("2026-11-02T09:00:00Z")!

    /// Opens the case under the profile named `profile` (`ExampleCases.profiles`), with the
    /// profile's opening documents or `opening`, in `workspace` (default: a new one).
    init(_ profile: String, opening: [DocumentUpload]? = nil, in workspace: EngineWorkspace? = nil) throws {
        self.workspace = try workspace ?? EngineWorkspace()
        samples = try ExampleCases(self.workspace)
        repository = try self.workspace.freshRepository()
        orchestrator = self.workspace.orchestrator(over: repository)
        let profile = samples.profiles.first { $0.name == profile }!
        pipeline = profile.pipeline
        let opener = pipeline.openedBy[0]
        try orchestrator.submit(
            orchestrator.openEntry(
                pipeline: pipeline,
                caseID: caseID,
                party: opener,
                key: self.workspace.keys[opener]!,
                documents: opening ?? profile.opening,
                now: now
            ),
            now: now
        )
    }

    /// A sample of the pipeline, uploaded as `name`, optionally with its first `edit.0` replaced by `edit.1`.
    func document(_ name: String, _ file: String, edit: (String, String)? = nil) throws -> DocumentUpload {
        let sample = try workspace.sample(pipeline.id, file, as: name)
        return edit.map { ExampleCases.edited(sample, $0.0, $0.1) } ?? sample
    }

    /// Signs a step through the orchestrator an hour later, then runs `advance` as `sign` does.
    func sign(_ step: String, by party: String, _ documents: DocumentUpload...) throws {
        now += 3_600
        let entry = try orchestrator.stepEntry(
            caseID: caseID,
            step: step,
            party: party,
            key: workspace.keys[party]!,
            documents: documents,
            note: nil,
            rejectReason: nil,
            now: now
        )
        try orchestrator.submit(entry, now: now)
        _ = try orchestrator.advance(caseID: caseID, now: now)
    }

    /// Attaches documents an hour later by an `attach` entry of `party`, through the orchestrator.
    func attach(by party: String, _ documents: DocumentUpload...) throws {
        now += 3_600
        let entry = try orchestrator.attachEntry(
            caseID: caseID,
            party: party,
            key: workspace.keys[party]!,
            documents: documents,
            note: nil,
            now: now
        )
        try orchestrator.submit(entry, now: now)
    }

    /// Withdraws the case an hour later as `party`, through the orchestrator.
    func withdraw(by party: String, reason: String = "withdrawn by its opener") throws {
        now += 3_600
        let entry = try orchestrator.withdrawEntry(
            caseID: caseID,
            party: party,
            key: workspace.keys[party]!,
            reason: reason,
            now: now
        )
        try orchestrator.submit(entry, now: now)
    }

    /// Appends an entry straight to the store, `seconds` after the last one (negative: before it),
    /// signed with `key` (default: the party's), naming `previous` (default: the case's head).
    func forge(
        _ step: String,
        by party: String,
        _ decision: StepPredicate.Decision = .approve,
        documents: [DocumentUpload] = [],
        key: Ed25519PrivateKey? = nil,
        previous: Digest?? = nil,
        seconds: TimeInterval = 3_600
    ) throws {
        let head = try repository.ledger.store.entries(ofCase: caseID).last!.leafHash
        let envelope = try handSigned(
            step,
            by: party,
            decision,
            documents: documents,
            key: key,
            previous: previous,
            seconds: seconds
        )
        let stored = documents.map { StoredDocument(exactBytes: $0.bytes) }
        try repository.ledger.append([
            NewEntry(envelope: envelope.bytes, caseID: caseID, expectedPrevious: head, documents: stored)
        ])
    }

    /// A step/v2 entry signed by hand, as an offline signer could make it, `seconds` after the last
    /// one: any step and decision, signed with `key` (default: the party's), naming `previous`
    /// (default: the case's head), attaching `documents` and endorsing `endorsing` (default: the
    /// case's documents as its last entry left them, with `documents`). Not appended.
    func handSigned(
        _ step: String,
        by party: String,
        _ decision: StepPredicate.Decision = .approve,
        documents: [DocumentUpload] = [],
        key: Ed25519PrivateKey? = nil,
        previous: Digest?? = nil,
        endorsing: [String: Digest]? = nil,
        seconds: TimeInterval = 3_600
    ) throws -> Envelope {
        now += seconds
        let last = try repository.ledger.store.entries(ofCase: caseID).last!
        var endorsed = try Envelope(bytes: last.envelope).statement().endorsedDocuments ?? [:]
        var attaches: [StepPredicate.AttachedDocument] = []
        for upload in documents {
            endorsed[upload.name] = try XMLDocument(bytes: upload.bytes, source: upload.source).fingerprint().digest
            attaches.append(.init(name: upload.name, sha256: SHA256.hash(upload.bytes)))
        }
        let predicate = try StepPredicate(
            pipeline: pipeline.id,
            pipelineDigest: Digest(hex: pipeline.digest.dropFirst("sha256:".count))!,
            caseID: caseID,
            step: step,
            party: party,
            decision: decision,
            signedAt: now,
            previous: previous ?? last.leafHash,
            attaches: attaches
        )
        return try Envelope.sign(
            statement: Statement(endorsing: endorsing ?? endorsed, predicate: predicate),
            key: key ?? workspace.keys[party]!
        )
    }

    /// What the independent checker says of the case.
    func verdict() throws -> LedgerCaseChecker.Verdict {
        try LedgerCaseChecker(pipeline: pipeline, parties: workspace.parties, store: repository.ledger.store)
            .check(caseID: caseID)
    }
}
