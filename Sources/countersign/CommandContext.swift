import ArgumentParsing
import CountersignKit
import Foundation

/// What every command needs from the global options: the workspace, the ledger, the time, output.
final class CommandContext {
    let workspace: URL
    let ledgerLocation: LedgerLocation
    let now: Date
    /// Whether `--now` (or `COUNTERSIGN_NOW`) was given.
    let nowGiven: Bool
    /// The origin `consortium init` writes into the genesis (`--origin`, else `countersign.local/` and the
    /// workspace folder's name). Every later command takes the log's origin from the genesis instead, so
    /// renaming or moving the workspace changes nothing.
    let genesisOrigin: String
    let orchestratorKeyPath: String?
    let json: Bool
    let quiet: Bool
    /// Where the command prints. With `--json` its text lines are collected (`JSONOutput`), and
    /// only the JSON document reaches standard output.
    let console: Console
    let environment: [String: String]
    /// Whether this command may create a SQLite ledger file where none is (`consortium init`
    /// alone): every other command refuses a missing one (exit 3) rather than making it.
    var createsLedger = false
    /// The JSON output of a `--json` run.
    let jsonOutput: JSONOutput?
    private var openedLedger: Ledger?

    init(
        globals: ParsedArguments,
        environment: [String: String],
        console: Console,
        jsonOutput: JSONOutput? = nil
    ) throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let workspace =
            globals.value("workspace").map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL } ?? cwd
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workspace.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw EnvironmentError("no workspace folder at \(workspace.path) (--workspace or COUNTERSIGN_WORKSPACE)")
        }
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
            nowGiven = true
        } else {
            now = Date()
            nowGiven = false
        }
        genesisOrigin = globals.value("origin") ?? "countersign.local/\(workspace.lastPathComponent)"
        orchestratorKeyPath = globals.value("orchestrator-key")
        json = globals.flag("json")
        quiet = globals.flag("quiet")
        self.console = console
        self.environment = environment
        self.jsonOutput = jsonOutput
    }

    /// The ledger, opened on first use. Commands that only read pass `create: false`, so asking
    /// about a ledger that does not exist yet writes nothing.
    func ledger(create: Bool = true) throws -> Ledger {
        if let openedLedger { return openedLedger }
        // A missing SQLite file is a mistyped path or an unfounded workspace: only `consortium init`
        // makes one. A PostgreSQL database exists already (an administrator made it for the ledger);
        // its tables are created, or migrated, by the owner's first command (docs/OPERATIONS.md).
        let mayCreate: Bool
        if case .sqlite = ledgerLocation { mayCreate = createsLedger } else { mayCreate = true }
        let ledger = Ledger(store: try ledgerLocation.open(create: create && mayCreate))
        openedLedger = ledger
        return ledger
    }

    /// The consortium as the ledger holds it (keys, members, policy, pipeline versions in force).
    /// Commands that only read pass `create: false`: then a missing ledger is an error and the
    /// governance cache is not written back.
    func governance(create: Bool = true) throws -> GovernanceCache {
        try GovernanceCache(store: try ledger(create: create).store, save: create)
    }

    /// Refuses `--now` for `command`, which appends, when the ledger's clock is `clock`: on a
    /// `system`-clock ledger the log's own clock decides every time (CONSORTIUM.md); only a
    /// `simulated` one lets `--now` set log time. There, a `--now` before the newest entry's log
    /// time is recorded (and judged) at that time instead, since time never goes back; the user is
    /// told so on stderr.
    func refuseNowUnlessSimulated(_ clock: ConsortiumSettings.Clock?, command: CommandSpec) throws {
        guard nowGiven else { return }
        if clock == .simulated {
            if !quiet, let newest = try? ledger(create: false).store.newestLogTime(), newest > Timestamp.truncated(now)
            {
                console.err(
                    "note: --now \(Timestamp.format(now)) is before the ledger's newest log time "
                        + "\(Timestamp.format(newest)); time never goes back, so this command appends at "
                        + "\(Timestamp.format(newest))"
                )
            }
            return
        }
        guard clock == .system else { return }
        throw UsageError(
            "--now cannot set the time of a command that appends to a system-clock ledger: its log time "
                + "is the store's clock (only a ledger founded with --clock simulated takes --now); "
                + "read-only commands (status, consortium show, log ..., verify-bundle) may look at any time",
            command: command
        )
    }

    /// The workspace's pipeline files (proposals), checked against `parties` (`nil`: not checked).
    func pipelines(parties: Set<String>?) -> PipelineCatalog {
        PipelineCatalog(
            directory: workspace.appendingPathComponent("pipelines"),
            displayPath: "pipelines",
            parties: parties
        )
    }

    /// The party ids a workspace pipeline may name: the members in force when the ledger holds a
    /// consortium, else the workspace's party files (by name; their contents are not read).
    func knownParties() throws -> Set<String> {
        if ledgerExists, let members = try? governance(create: false).state().members, !members.isEmpty {
            return Set(members.keys)
        }
        let folder = workspace.appendingPathComponent("parties").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return Set(names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) })
    }

    /// Whether the ledger exists (a SQLite file present, or any PostgreSQL location).
    var ledgerExists: Bool {
        if case .sqlite(let path) = ledgerLocation { return FileManager.default.fileExists(atPath: path) }
        return true
    }

    /// The party file `parties/PARTY.yaml` of the workspace, read as a proposal.
    func partyFile(_ party: String) throws -> Party {
        try partyFile(at: "parties/\(party).yaml")
    }

    /// A party file at `path` (relative to the workspace), read as a proposal.
    func partyFile(at path: String) throws -> Party {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: resolve(path)))
        } catch {
            throw ConfigurationError.unreadable(path: path, reason: error.localizedDescription)
        }
        do {
            return try Party(bytes: Array(bytes), path: path)
        } catch {
            throw ConfigurationError.invalid(error)
        }
    }

    /// A path the user gave, resolved against the workspace when relative.
    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : workspace.appendingPathComponent(path).path
    }

    /// Prints a result line on stdout (suppressed by `--quiet` unless `always`).
    func say(_ line: String) {
        if !quiet { console.out(line) }
    }

    /// Prints one JSON document on stdout: the command's result under `--json`.
    func printJSON(_ object: Any) throws {
        guard let jsonOutput else {
            console.out(try JSONOutput.text(object))
            return
        }
        try jsonOutput.print(object)
    }

    /// Prints `text`, JSON lines ending in a newline, on stdout as it comes, under `--json` too.
    func streamJSONLines(_ text: String) {
        guard let jsonOutput else {
            console.out(text, terminator: "")
            return
        }
        jsonOutput.stream(text)
    }
}
