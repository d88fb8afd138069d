import CountersignKit
import Foundation

/// A workspace for benchmarks: the example pipelines and parties with in-memory keys registered,
/// and an orchestrator over a ledger file of its own, whose consortium holds them in force.
struct EngineWorkspace {
    let folder: URL
    let keys: [String: Ed25519PrivateKey]
    /// The party files, as the consortium brings them into force.
    let parties: [Party]
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
        let parties = try BenchConsortium.parties(in: folder)
        let catalog = PipelineCatalog(
            directory: folder.appendingPathComponent("pipelines"),
            displayPath: "pipelines",
            parties: Set(parties.map(\.id))
        )
        return EngineWorkspace(folder: folder, keys: keys, parties: parties, catalog: catalog)
    }

    /// Founds the consortium on the empty SQLite ledger at `path`: `founder` its only admin, every
    /// party of the workspace a member, every pipeline in force. Returns the entries it appended.
    @discardableResult
    func found(ledger path: String, founder: String) throws -> Int {
        try BenchConsortium.found(
            Ledger(store: try SQLiteLedgerStore(path: path)),
            workspace: folder,
            founder: founder,
            keys: keys,
            origin: "countersign.bench/\(folder.lastPathComponent)"
        )
    }

    /// An orchestrator over the SQLite ledger at `path`, holding every key of the workspace.
    func orchestrator(ledger path: String) throws -> Orchestrator {
        let ledger = Ledger(store: try SQLiteLedgerStore(path: path))
        let keys = self.keys
        return Orchestrator(repository: try CaseRepository(ledger: ledger)) { party, _ in keys[party] }
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
