import CountersignKit
import Foundation

/// A workspace in `Bench.dataFolder` for running the release `countersign` binary end to end: the
/// package's example pipelines and parties, keys for the mortgage parties, and a ledger that starts
/// with the founding of its consortium (the bank its admin, every example party a member, every
/// example pipeline in force) followed by completed mortgage cases appended straight to the store.
struct BenchWorkspace {
    let url: URL
    private let binary: String

    /// The package root (the benchmark runs from it) and the release binary built beside this one.
    private static let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    private static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("countersign").path

    /// The workspace `name` with at least `entries` entries, founding included. A cached one is
    /// reused while its ledger holds between `entries` and `entries + slack` entries (each run adds a
    /// few); otherwise it is rebuilt from nothing. The folder is `NAME-v4`: workspaces cached before
    /// the consortium moved onto the ledger have no genesis, and those before documents were filed
    /// by their exact bytes miss them; neither is reused.
    static func prepared(_ name: String, entries: Int, slack: Int) throws -> BenchWorkspace {
        let workspace = BenchWorkspace(url: Bench.dataFolder.appendingPathComponent(name + "-v4"), binary: binary)
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            fatalError("\(binary) is missing: swift build -c release --product countersign")
        }
        let size = try? workspace.ledgerSize()
        if let size, (entries..<(entries + slack)).contains(size) { return workspace }
        try? FileManager.default.removeItem(at: workspace.url)
        try FileManager.default.createDirectory(at: workspace.url, withIntermediateDirectories: true)
        for folder in ["pipelines", "parties"] {
            try FileManager.default.copyItem(
                at: root.appendingPathComponent(folder),
                to: workspace.url.appendingPathComponent(folder)
            )
        }
        for party in keyHolders {
            try workspace.countersign(["keygen", party, "-q"])
        }
        try workspace.found()
        try workspace.fill(entries: entries)
        return workspace
    }

    /// The parties given keys: those the cases are signed by, and the other mortgage signers.
    private static let keyHolders = CompletedCases.parties.union(["lawyer-partner", "director-c"]).sorted()

    /// Founds the consortium on the empty ledger, under the origin the CLI gives this workspace and
    /// a simulated clock (the benchmarks pass `--now`).
    private func found() throws {
        var keys: [String: Ed25519PrivateKey] = [:]
        for party in Self.keyHolders {
            keys[party] = try KeyFile.load(url.appendingPathComponent("out/keys/\(party).pem").path)
        }
        try BenchConsortium.found(
            Ledger(store: try SQLiteLedgerStore(path: ledgerPath)),
            workspace: url,
            founder: "bank",
            keys: keys,
            origin: "countersign.local/\(url.lastPathComponent)"
        )
    }

    /// The workspace at `url`, whatever it holds (its caller prepared it), run with the release binary.
    static func existing(_ url: URL) -> BenchWorkspace {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            fatalError("\(binary) is missing: swift build -c release --product countersign")
        }
        return BenchWorkspace(url: url, binary: binary)
    }

    /// The ledger file (the CLI's default location).
    var ledgerPath: String { url.appendingPathComponent("out/ledger.sqlite").path }

    /// The number of entries in the ledger; throws when there is none yet.
    func ledgerSize() throws -> Int {
        guard FileManager.default.fileExists(atPath: ledgerPath) else { throw CocoaError(.fileNoSuchFile) }
        return try SQLiteLedgerStore(path: ledgerPath).size()
    }

    /// Runs `countersign --workspace URL ARGUMENTS...`, failing loudly unless it exits 0.
    @discardableResult
    func countersign(_ arguments: [String]) throws -> Shell.Result {
        try Shell.check(binary, ["--workspace", url.path] + arguments)
    }

    /// Seconds one `countersign --workspace URL ARGUMENTS...` takes (`Shell.timed`).
    func timedCountersign(_ arguments: [String]) throws -> Double {
        try Shell.timed(binary, ["--workspace", url.path] + arguments)
    }

    /// Appends completed cases in batches of whole cases, after the founding entries, until the
    /// ledger holds `entries` entries.
    private func fill(entries: Int) throws {
        let cases = try CompletedCases(workspace: url)
        let store = try SQLiteLedgerStore(path: ledgerPath)
        let batch = 6_000 * CompletedCases.entriesPerCase
        let founding = try store.size()
        let governanceHead = try store.chainHead(LedgerChain.consortium)
        precondition(governanceHead?.index == founding - 1, "fill starts right after the founding")
        let started = Date()
        var appended = 0
        while founding + appended < entries {
            try store.append(try cases.entries(appended..<min(appended + batch, entries - founding)))
            appended = try store.size() - founding
        }
        let size = founding + appended
        print("  (built \(url.lastPathComponent): \(size) entries in \(Int(Date().timeIntervalSince(started))) s)")
    }
}
