import CountersignKit
import Foundation

/// Founds the consortium of a bench ledger, so every ledger a benchmark measures starts with a
/// genesis and holds its parties and pipelines in force, as a real one does (CONSORTIUM.md).
enum BenchConsortium {
    /// When bench consortiums are founded: before any time a benchmark signs at.
    static let founding = Date(timeIntervalSince1970: 1_764_547_200)  // 2025-12-01T00:00:00Z

    /// The party files of `workspace/parties`, sorted by id, read as the CLI reads them.
    static func parties(in workspace: URL) throws -> [Party] {
        let folder = workspace.appendingPathComponent("parties")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
            .map { name in
                try Party(
                    bytes: Array(try Data(contentsOf: folder.appendingPathComponent(name))),
                    path: "parties/\(name)"
                )
            }
    }

    /// The pipeline files of `workspace/pipelines`, sorted by id, checked against `parties`.
    static func pipelines(in workspace: URL, parties: [Party]) throws -> [Pipeline] {
        let catalog = PipelineCatalog(
            directory: workspace.appendingPathComponent("pipelines"),
            displayPath: "pipelines",
            parties: Set(parties.map(\.id))
        )
        return try catalog.files().map { try catalog.load($0) }.sorted { $0.id < $1.id }
    }

    /// Founds on the empty `ledger` the consortium of `workspace`: `founder` its only admin, every
    /// party file of `parties/` a member (co-signed by its key in `keys` when the file lists one),
    /// every pipeline of `pipelines/` in force. Returns the entries it appended.
    @discardableResult
    static func found(
        _ ledger: Ledger,
        workspace: URL,
        founder: String,
        keys: [String: Ed25519PrivateKey],
        origin: String
    ) throws -> Int {
        let parties = try parties(in: workspace)
        guard let file = parties.first(where: { $0.id == founder }) else {
            fatalError("\(workspace.path) has no party file of the founder \(founder)")
        }
        let state = try Consortium(ledger: ledger).bootstrap(
            founder: file,
            parties: parties,
            keys: keys,
            pipelines: try pipelines(in: workspace, parties: parties),
            origin: origin,
            at: founding
        )
        return (state.head?.index ?? -1) + 1
    }

    /// Founds on the empty `store` a one-member consortium (`bench`, holding `key`), for the
    /// benchmarks that measure the store itself: its genesis is entry 0, as in every ledger.
    static func foundAlone(_ store: any LedgerStore, key: Ed25519PrivateKey) throws {
        let bytes = Array(
            "party: bench\nname: Bench\nkeys:\n  - ed25519: \(Data(key.publicKey.spkiDER).base64EncodedString())\n".utf8
        )
        _ = try Consortium(ledger: Ledger(store: store)).found(
            founder: try Party(bytes: bytes, path: "parties/bench.yaml"),
            keys: [key],
            origin: "countersign.bench/store",
            clock: .simulated,
            signedAt: founding
        )
    }
}
