import CountersignKit
import Foundation

extension CommandContext {
    /// The orchestrator over this workspace's ledger. It signs automatic entries with, in order: the
    /// `--as/--key` of the orchestrator party, `--orchestrator-key`, or `out/keys/PARTY.pem` — each
    /// only when the consortium holds that key in force for the party (CLI.md). Read-only commands
    /// pass `writesCaches: false`, so a governance cache that lags is caught up in memory only.
    func orchestrator(signer: SigningOptions?, create: Bool = true, writesCaches: Bool = true) throws -> Orchestrator {
        let ledger = try ledger(create: create)
        let governance = try GovernanceCache(store: ledger.store, save: create && writesCaches)
        let repository = CaseRepository(ledger: ledger, governance: governance)
        return Orchestrator(repository: repository, orchestratorKey: try keyFinder(signer: signer))
    }

    /// Advancing every case on `workers` workers, each with its own connection to the ledger.
    func batch(signer: SigningOptions?, workers: Int) throws -> BatchAdvance {
        let keys = try keyFinder(signer: signer)
        let location = ledgerLocation
        return BatchAdvance(workers: workers) {
            Orchestrator(
                repository: try CaseRepository(ledger: Ledger(store: try location.open())),
                orchestratorKey: keys
            )
        }
    }

    /// `--workers N`, default the number of cores.
    static func workers(_ value: Int?) -> Int {
        value ?? ProcessInfo.processInfo.activeProcessorCount
    }

    /// The private key this command holds for a party, if the consortium holds it in force for that
    /// party: `--as/--key` of that party, `--orchestrator-key`, or `out/keys/PARTY.pem`.
    private func keyFinder(signer: SigningOptions?) throws -> (String, CaseRepository) throws -> Ed25519PrivateKey? {
        let explicit = try orchestratorKeyPath.map { try KeyFile.load(resolve($0)) }
        let keysFolder = workspace.appendingPathComponent("out/keys")
        let signerParty = signer?.party
        let signerKey = signer?.key
        return { party, repository in
            func inForce(_ key: Ed25519PrivateKey) throws -> Bool {
                guard let held = try repository.governance.key(key.publicKey.keyID) else { return false }
                return held.party == party && held.revocation == nil
            }
            if let signerKey, signerParty == party, try inForce(signerKey) { return signerKey }
            if let explicit, try inForce(explicit) { return explicit }
            let path = keysFolder.appendingPathComponent("\(party).pem").path
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            let key = try KeyFile.load(path)
            return try inForce(key) ? key : nil
        }
    }

    /// Who signs the log's checkpoints and with which key this command holds: the policy's log
    /// signer, under the origin the genesis fixed. `nil` when the command holds no key of it.
    func checkpointSigner(
        _ orchestrator: Orchestrator,
        signer: SigningOptions?
    ) throws -> BundleBuilder.CheckpointSigner? {
        let governance = orchestrator.repository.governance
        guard let policy = try governance.policy, let settings = try governance.settings else { return nil }
        guard let key = try keyFinder(signer: signer)(policy.logSigner, orchestrator.repository) else { return nil }
        return BundleBuilder.CheckpointSigner(origin: settings.origin, key: key)
    }
}
