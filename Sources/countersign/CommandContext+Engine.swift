import CountersignKit
import Foundation

extension CommandContext {
    /// The orchestrator over this workspace's ledger. It signs automatic entries with, in order: the
    /// `--as/--key` of the orchestrator party, `--orchestrator-key` when it belongs to that party,
    /// or `out/keys/PARTY.pem` when present (CLI.md).
    func orchestrator(signer: SigningOptions?) throws -> Orchestrator {
        try makeOrchestrator(signer: signer)(try ledger())
    }

    /// Advancing every case on `workers` workers, each with its own connection to the ledger.
    func batch(signer: SigningOptions?, workers: Int) throws -> BatchAdvance {
        let make = try makeOrchestrator(signer: signer)
        let location = ledgerLocation
        return BatchAdvance(workers: workers) { make(Ledger(store: try location.open())) }
    }

    /// `--workers N`, default the number of cores.
    static func workers(_ value: Int?) -> Int {
        value ?? ProcessInfo.processInfo.activeProcessorCount
    }

    /// Builds orchestrators over a given ledger, sharing the parties, pipelines and keys loaded once.
    private func makeOrchestrator(signer: SigningOptions?) throws -> (Ledger) -> Orchestrator {
        let parties = try parties()
        let catalog = try pipelines()
        let explicit = try orchestratorKeyPath.map { try KeyFile.load(resolve($0)) }
        let keysFolder = workspace.appendingPathComponent("out/keys")
        let signerParty = signer?.party
        let signerKey = signer?.key
        let keyFor: (String) throws -> Ed25519PrivateKey? = { party in
            if let signerKey, signerParty == party { return signerKey }
            if let explicit, parties.party(party)?.key(withID: explicit.publicKey.keyID) != nil { return explicit }
            let path = keysFolder.appendingPathComponent("\(party).pem").path
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            let key = try KeyFile.load(path)
            return parties.party(party)?.key(withID: key.publicKey.keyID) != nil ? key : nil
        }
        return { ledger in
            Orchestrator(
                repository: CaseRepository(ledger: ledger, parties: parties, pipelineDirectory: catalog.directory),
                catalog: catalog,
                orchestratorKey: keyFor
            )
        }
    }

    /// The key `reconcile` signs its checkpoint with when no `--as/--key` is given: the first
    /// orchestrator (of the workspace's pipelines, by name) whose key this command holds.
    func checkpointKey(_ orchestrator: Orchestrator) throws -> Ed25519PrivateKey? {
        let catalog = try pipelines()
        let parties = Set(try catalog.files().compactMap { try? catalog.load($0).orchestrator })
        for party in parties.sorted() {
            if let key = try orchestrator.orchestratorKey(party) { return key }
        }
        return nil
    }
}
