import CountersignKit
import Foundation
import TestSupport

/// A workspace on disk with one party, `clerk`, and one pipeline, driven through the engine directly.
final class BundleTestWorkspace {
    let folder = TemporaryDirectory()
    let key: Ed25519PrivateKey
    let ledger: Ledger
    let pipeline: Pipeline
    var pipelines: URL { folder.url.appendingPathComponent("pipelines") }

    /// The log's origin, fixed at the founding.
    static let origin = "countersign.example/test"

    /// Writes `parties/clerk.yaml`, `pipelines/pipeline.yaml` and `files` (paths relative to
    /// `pipelines/`), and founds a consortium of the clerk alone with the pipeline in force.
    init(pipeline text: String, files: [String: String] = [:]) throws {
        key = try Ed25519PrivateKey()
        let party =
            "party: clerk\nname: The Clerk\nkeys:\n  - ed25519: \(Data(key.publicKey.spkiDER).base64EncodedString())\n"
        try Self.write(party, to: folder.url.appendingPathComponent("parties/clerk.yaml"))
        try Self.write(text, to: folder.url.appendingPathComponent("pipelines/pipeline.yaml"))
        for (path, contents) in files {
            try Self.write(contents, to: folder.url.appendingPathComponent("pipelines/\(path)"))
        }
        let clerk = try Party(bytes: Array(party.utf8), path: "parties/clerk.yaml")
        ledger = Ledger(store: try SQLiteLedgerStore(path: folder.path("ledger.sqlite")))
        pipeline = try Pipeline(
            contentsOf: folder.url.appendingPathComponent("pipelines/pipeline.yaml"),
            parties: ["clerk"]
        )
        try Consortium(ledger: ledger).bootstrap(
            founder: clerk,
            parties: [clerk],
            keys: ["clerk": key],
            pipelines: [pipeline],
            origin: Self.origin,
            at: Date(timeIntervalSince1970: 1_780_000_000)
        )
    }

    /// A repository with nothing cached, as a command starts with.
    func repository() throws -> CaseRepository {
        try CaseRepository(ledger: ledger)
    }

    /// Opens `caseID` with `documents`, signs `steps` as the clerk a minute apart, and checkpoints the
    /// log (with `checkpointEach`, after every entry too; without `checkpointAtEnd`, not at the end).
    func run(
        _ caseID: String,
        documents: [DocumentUpload],
        steps: [String],
        checkpointEach: Bool = false,
        checkpointAtEnd: Bool = true
    ) throws {
        let orchestrator = Orchestrator(repository: try repository()) { [key] _, _ in key }
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let opening = try orchestrator.openEntry(
            pipeline: pipeline,
            caseID: caseID,
            party: "clerk",
            key: key,
            documents: documents,
            now: start
        )
        try orchestrator.submit(opening, now: start)
        if checkpointEach { _ = try repository().signCheckpoint(origin: Self.origin, key: key) }
        for (offset, step) in steps.enumerated() {
            let now = start.addingTimeInterval(Double(offset + 1) * 60)
            let entry = try orchestrator.stepEntry(
                caseID: caseID,
                step: step,
                party: "clerk",
                key: key,
                documents: [],
                note: nil,
                rejectReason: nil,
                now: now
            )
            try orchestrator.submit(entry, now: now)
            if checkpointEach { _ = try repository().signCheckpoint(origin: Self.origin, key: key) }
        }
        if checkpointAtEnd { _ = try repository().signCheckpoint(origin: Self.origin, key: key) }
    }

    /// The bag of `caseID`, built by a fresh repository.
    func bag(of caseID: String) throws -> Bag {
        try BundleBuilder(repository: try repository()).bag(
            of: caseID,
            now: Date(timeIntervalSince1970: 1_790_100_000),
            checkpointSigner: nil,
            softwareAgent: "test"
        )
    }

    private static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}
