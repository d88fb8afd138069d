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
        return Orchestrator(repository: repository) { party in
            if let signer, signer.party == party { return signer.key }
            if let explicit, parties.party(party)?.key(withID: explicit.publicKey.keyID) != nil { return explicit }
            let path = workspace.appendingPathComponent("out/keys/\(party).pem").path
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            let key = try KeyFile.load(path)
            return parties.party(party)?.key(withID: key.publicKey.keyID) != nil ? key : nil
        }
    }

    /// For an entry that opens a case: the workspace pipeline it names (by id), else `nil`.
    func openingPipeline(for entry: SignedEntry) throws -> Pipeline? {
        guard entry.statement.predicate.decision == .open else { return nil }
        return try pipelines().pipeline(named: entry.statement.predicate.pipeline, relativeTo: workspace)
    }
}
