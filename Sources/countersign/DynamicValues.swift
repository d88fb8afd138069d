import ArgumentParsing
import CountersignKit
import Foundation

/// The values only a workspace knows, which the completion scripts ask `countersign __complete`
/// for on every TAB: so each is read the cheapest way there is, and any failure is no values.
enum DynamicValues: String, CaseIterable {
    /// The case ids of the workspace's SQLite ledger, in the order they were opened.
    case caseID = "case"
    /// The step ids of the case typed before the step (its pipeline version's steps).
    case step
    /// The party ids of the workspace's `parties/*.yaml` files.
    case party
    /// The pipeline ids of the workspace's `pipelines/*.yaml` files (their names, which is how
    /// `open` and `pipeline show` look an id up first).
    case pipeline
    /// The entry indexes of the proposals pending in the ledger.
    case proposal

    /// How an argument declares it completes with these values.
    var completion: CompletionKind { .dynamic(rawValue) }

    /// The values, for the command line typed so far; empty when they cannot be read.
    ///
    /// A PostgreSQL ledger is not asked: a TAB must never wait on a server.
    func values(for line: CommandLinePrefix, environment: [String: String]) -> [String] {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let workspace =
            (line.options["workspace"]?.last ?? environment["COUNTERSIGN_WORKSPACE"])
            .map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL } ?? cwd
        switch self {
        case .party: return Self.stems(in: workspace.appendingPathComponent("parties"))
        case .pipeline: return Self.stems(in: workspace.appendingPathComponent("pipelines"))
        case .caseID, .step, .proposal:
            let text = line.options["ledger"]?.last ?? environment["COUNTERSIGN_LEDGER"]
            guard
                let location = try? text.map({ try LedgerLocation($0, workspace: workspace) })
                    ?? .default(workspace: workspace),
                case .sqlite = location, let store = try? location.open(create: false)
            else { return [] }
            return (try? values(in: store, line: line)) ?? []
        }
    }

    private func values(in store: any LedgerStore, line: CommandLinePrefix) throws -> [String] {
        switch self {
        case .caseID: return try store.caseIDs()
        case .step:
            guard let caseID = line.value("CASE") else { return [] }
            let repository = CaseRepository(
                ledger: Ledger(store: store),
                governance: try GovernanceCache(store: store, save: false)
            )
            guard let state = try repository.recordedState(of: caseID) else { return [] }
            return try repository.pipeline(for: state).steps.map(\.id)
        case .proposal:
            return try GovernanceCache(store: store, save: false).state().pendingProposals.map { String($0.index) }
        case .party, .pipeline: return []
        }
    }

    /// The names of the `.yaml` files in `folder`, without the extension, sorted.
    private static func stems(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }
}
