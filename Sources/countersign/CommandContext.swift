import ArgumentParsing
import CountersignKit
import Foundation

/// What every command needs from the global options: the workspace, the ledger, the time, output.
final class CommandContext {
    let workspace: URL
    let ledgerLocation: LedgerLocation
    let now: Date
    let origin: String
    let orchestratorKeyPath: String?
    let json: Bool
    let quiet: Bool
    let console: Console
    let environment: [String: String]
    private var openedLedger: Ledger?
    private var loadedParties: PartyRegistry?

    init(globals: ParsedArguments, environment: [String: String], console: Console) throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let workspace =
            globals.value("workspace").map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL } ?? cwd
        self.workspace = workspace
        ledgerLocation =
            try globals.value("ledger").map { try LedgerLocation($0, workspace: workspace) }
            ?? .default(workspace: workspace)
        if let text = globals.value("now") {
            guard let date = Timestamp.parse(text) else {
                throw UsageError(
                    "--now expects an RFC 3339 time such as 2026-11-23T10:00:00Z, got '\(text)'",
                    command: nil
                )
            }
            now = date
        } else {
            now = Date()
        }
        origin = globals.value("origin") ?? "countersign.local/\(workspace.lastPathComponent)"
        orchestratorKeyPath = globals.value("orchestrator-key")
        json = globals.flag("json")
        quiet = globals.flag("quiet")
        self.console = console
        self.environment = environment
    }

    /// The ledger, opened on first use. Commands that only read pass `create: false`, so asking
    /// about a ledger that does not exist yet writes nothing.
    func ledger(create: Bool = true) throws -> Ledger {
        if let openedLedger { return openedLedger }
        let ledger = Ledger(store: try ledgerLocation.open(create: create))
        openedLedger = ledger
        return ledger
    }

    /// The party registry of the workspace (`parties/*.yaml`), loaded on first use.
    func parties() throws -> PartyRegistry {
        if let loadedParties { return loadedParties }
        let registry = try PartyRegistry.load(
            directory: workspace.appendingPathComponent("parties"),
            displayPath: "parties"
        )
        loadedParties = registry
        return registry
    }

    /// The workspace's pipeline files, checked against its parties.
    func pipelines() throws -> PipelineCatalog {
        PipelineCatalog(
            directory: workspace.appendingPathComponent("pipelines"),
            displayPath: "pipelines",
            parties: try parties().partyIDs
        )
    }

    /// A path the user gave, resolved against the workspace when relative.
    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : workspace.appendingPathComponent(path).path
    }

    /// Prints a result line on stdout (suppressed by `--quiet` unless `always`).
    func say(_ line: String) {
        if !quiet { console.out(line) }
    }

    /// Prints one JSON document on stdout.
    func printJSON(_ object: Any) throws {
        let data = try JSONSerialization.data(
            withJSONObject: object,
            options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        )
        console.out(String(decoding: data, as: UTF8.self))
    }
}
