import CountersignKit
import Foundation

/// A workspace for benchmarks: the example pipelines and parties with in-memory keys registered,
/// and an orchestrator over a ledger file of its own.
struct EngineWorkspace {
    let folder: URL
    let keys: [String: Ed25519PrivateKey]
    let parties: PartyRegistry
    let catalog: PipelineCatalog

    /// The package root (the bench runs from it, as `make bench` does).
    static let packageRoot = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)

    /// Creates (or reuses) `name` under the bench data folder with keys for `partyIDs`.
    static func make(_ name: String, keysFor partyIDs: [String]) throws -> EngineWorkspace {
        let folder = Bench.dataFolder.appendingPathComponent(name)
        let files = FileManager.default
        if !files.fileExists(atPath: folder.appendingPathComponent("out/keys").path) {
            try? files.removeItem(at: folder)
            try files.createDirectory(at: folder.appendingPathComponent("out/keys"), withIntermediateDirectories: true)
            for sub in ["pipelines", "parties"] {
                try files.copyItem(at: packageRoot.appendingPathComponent(sub), to: folder.appendingPathComponent(sub))
            }
            for party in partyIDs {
                let key = try Ed25519PrivateKey()
                try PartyFile.register(
                    key.publicKey,
                    party: party,
                    directory: folder.appendingPathComponent("parties"),
                    displayPath: "parties"
                )
                try KeyFile.write(key, to: folder.appendingPathComponent("out/keys/\(party).pem").path, overwrite: true)
            }
        }
        var keys: [String: Ed25519PrivateKey] = [:]
        for party in partyIDs {
            keys[party] = try KeyFile.load(folder.appendingPathComponent("out/keys/\(party).pem").path)
        }
        let parties = try PartyRegistry.load(
            directory: folder.appendingPathComponent("parties"),
            displayPath: "parties"
        )
        let catalog = PipelineCatalog(
            directory: folder.appendingPathComponent("pipelines"),
            displayPath: "pipelines",
            parties: parties.partyIDs
        )
        return EngineWorkspace(folder: folder, keys: keys, parties: parties, catalog: catalog)
    }

    /// An orchestrator over the SQLite ledger at `path`, holding every key of the workspace.
    func orchestrator(ledger path: String) throws -> Orchestrator {
        let ledger = Ledger(store: try SQLiteLedgerStore(path: path))
        let keys = self.keys
        return Orchestrator(
            repository: CaseRepository(ledger: ledger, parties: parties, pipelineDirectory: catalog.directory),
            catalog: catalog
        ) { keys[$0] }
    }

    /// A mortgage application for case `number`, each one different.
    static func application(_ number: Int) -> [UInt8] {
        Array(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <application id="B-\(number)">
              <applicant><name>Applicant \(number)</name><annual-income currency="AUD">\(120_000 + number % 5_000)</annual-income></applicant>
              <property><address>\(number) Harbour Street, Sydney NSW 2000</address><purchase-price currency="AUD">900000</purchase-price></property>
              <loan><amount currency="AUD">\(400_000 + number % 100_000)</amount><term-years>25</term-years></loan>
            </application>

            """.utf8
        )
    }
}
