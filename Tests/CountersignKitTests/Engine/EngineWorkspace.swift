import CountersignKit
import Foundation
import TestSupport

/// A temporary workspace holding the repository's example pipelines and parties, with one key per
/// party registered in its party file, and the kit objects a command would build over it.
final class EngineWorkspace {
    let folder = TemporaryDirectory()
    /// Each party's private key, by party id.
    let keys: [String: Ed25519PrivateKey]
    /// A key no party holds.
    let strangerKey: Ed25519PrivateKey
    /// The party files, as the consortium brought them into force.
    let parties: [Party]
    let catalog: PipelineCatalog
    /// The example pipelines, by id.
    let pipelines: [String: Pipeline]

    /// The package root, where `pipelines/` and `parties/` are.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    var pipelineDirectory: URL { folder.url.appendingPathComponent("pipelines") }
    /// Where the ledger is: a SQLite file in the workspace, or a PostgreSQL database.
    let ledgerLocation: String

    /// When the consortium is founded: before any time the tests sign at.
    static let founding = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    /// Copies the examples, edits them as `editing` says (relative path → text transform: a variant
    /// of an example pipeline), registers a key for every party (derived from the party id, so runs
    /// are reproducible to the byte), and founds the consortium on the ledger: the bank its admin,
    /// every party a member, every example pipeline in force.
    init(store: StoreKind = .sqlite, editing: [String: @Sendable (String) -> String] = [:]) throws {
        ledgerLocation = try store.freshLocation(in: folder)
        for name in ["pipelines", "parties"] {
            try FileManager.default.copyItem(
                at: Self.packageRoot.appendingPathComponent(name),
                to: folder.url.appendingPathComponent(name)
            )
        }
        for (path, edit) in editing {
            let url = folder.url.appendingPathComponent(path)
            try edit(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
        }
        let partyDirectory = folder.url.appendingPathComponent("parties")
        let ids = try FileManager.default.contentsOfDirectory(atPath: partyDirectory.path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(".yaml".count)) }.sorted()
        var keys: [String: Ed25519PrivateKey] = [:]
        for id in ids {
            let key = try Ed25519PrivateKey(seed: SHA256.hash(Array("countersign test key \(id)".utf8)).bytes)
            try PartyFile.register(key.publicKey, party: id, directory: partyDirectory, displayPath: "parties")
            keys[id] = key
        }
        self.keys = keys
        strangerKey = try Ed25519PrivateKey(seed: SHA256.hash(Array("countersign test key of nobody".utf8)).bytes)
        parties = try ids.map { id in
            try Party(
                bytes: Array(try Data(contentsOf: partyDirectory.appendingPathComponent("\(id).yaml"))),
                path: "parties/\(id).yaml"
            )
        }
        catalog = PipelineCatalog(
            directory: folder.url.appendingPathComponent("pipelines"),
            displayPath: "pipelines",
            parties: Set(ids)
        )
        var pipelines: [String: Pipeline] = [:]
        for url in try catalog.files() {
            let pipeline = try catalog.load(url)
            pipelines[pipeline.id] = pipeline
        }
        self.pipelines = pipelines
        try Consortium(ledger: Ledger(store: try openStore())).bootstrap(
            founder: parties.first { $0.id == "bank" }!,
            parties: parties,
            keys: keys,
            pipelines: pipelines.keys.sorted().map { pipelines[$0]! },
            origin: "countersign.test/engine",
            at: Self.founding
        )
    }

    /// Entries the founding appended before any case: the genesis, one per party, one per pipeline.
    var foundingEntries: Int { 1 + parties.count - 1 + pipelines.count }

    /// Every party id, sorted.
    var partyIDs: [String] { keys.keys.sorted() }

    /// Opens the workspace's ledger (a new connection each time).
    func openStore() throws -> any LedgerStore {
        try LedgerLocation(ledgerLocation, workspace: folder.url).open()
    }

    /// A repository over a freshly opened store: nothing cached from earlier work.
    func freshRepository() throws -> CaseRepository {
        try CaseRepository(ledger: Ledger(store: try openStore()))
    }

    /// An orchestrator over `repository` that holds every orchestrator party's key.
    func orchestrator(over repository: CaseRepository) -> Orchestrator {
        let keys = keys
        return Orchestrator(repository: repository) { party, _ in keys[party] }
    }

    /// A sample document of the examples, `pipelines/samples/PIPELINE/FILE`, uploaded as `name`.
    func sample(_ pipeline: String, _ file: String, as name: String) throws -> DocumentUpload {
        let url = pipelineDirectory.appendingPathComponent("samples/\(pipeline)/\(file)")
        return DocumentUpload(name: name, bytes: Array(try Data(contentsOf: url)), source: url.path)
    }
}
