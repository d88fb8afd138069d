import CountersignKit
import Foundation

extension CommandContext {
    /// The orchestrator over this workspace's ledger. It signs automatic entries with, in order: the
    /// `--as/--key` of the orchestrator party, `--orchestrator-key` when it belongs to that party,
    /// or `out/keys/PARTY.pem` when present (CLI.md).
    func orchestrator(signer: SigningOptions?) throws -> Orchestrator {
        let parties = try parties()
        let repository = CaseRepository(
            ledger: try ledger(),
            parties: parties,
            pipelineDirectory: workspace.appendingPathComponent("pipelines")
        )
        let explicit = try orchestratorKeyPath.map { try KeyFile.load(resolve($0)) }
        let workspace = self.workspace
        return Orchestrator(repository: repository, catalog: try pipelines()) { party in
            if let signer, signer.party == party { return signer.key }
            if let explicit, parties.party(party)?.key(withID: explicit.publicKey.keyID) != nil { return explicit }
            let path = workspace.appendingPathComponent("out/keys/\(party).pem").path
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            let key = try KeyFile.load(path)
            return parties.party(party)?.key(withID: key.publicKey.keyID) != nil ? key : nil
        }
    }
}

extension CommandContext {
    /// The key `reconcile` signs its checkpoint with when no `--as/--key` is given: the first
    /// orchestrator (of the workspace's pipelines, by name) whose key this command holds.
    func checkpointKey(_ orchestrator: Orchestrator) throws -> Ed25519PrivateKey? {
        let parties = Set(try pipelines().files().compactMap { try? pipelines().load($0).orchestrator })
        for party in parties.sorted() {
            if let key = try orchestrator.orchestratorKey(party) { return key }
        }
        return nil
    }
}
