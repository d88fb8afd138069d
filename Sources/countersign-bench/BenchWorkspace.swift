import CountersignKit
import Foundation

/// A workspace in `Bench.dataFolder` for running the release `countersign` binary end to end: the
/// package's example pipelines and parties, keys for the mortgage parties, and a ledger of completed
/// mortgage cases appended straight to the store.
struct BenchWorkspace {
    let url: URL
    private let binary: String

    /// The package root (the benchmark runs from it) and the release binary built beside this one.
    private static let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    private static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("countersign").path

    /// The workspace `name` with at least `entries` entries. A cached one is reused while its ledger
    /// holds between `entries` and `entries + slack` entries (each run adds a few); otherwise it is
    /// rebuilt from nothing.
    static func prepared(_ name: String, entries: Int, slack: Int) throws -> BenchWorkspace {
        let workspace = BenchWorkspace(url: Bench.dataFolder.appendingPathComponent(name), binary: binary)
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
        for party in CompletedCases.parties.union(["lawyer-partner", "director-c"]).sorted() {
            try workspace.countersign(["keygen", party, "-q"])
        }
        try workspace.fill(entries: entries)
        return workspace
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

    /// Appends completed cases in batches of whole cases until the ledger holds `entries` entries.
    private func fill(entries: Int) throws {
        let cases = try CompletedCases(workspace: url)
        let store = try SQLiteLedgerStore(path: ledgerPath)
        let batch = 6_000 * CompletedCases.entriesPerCase
        var size = try store.size()
        precondition(size == 0, "fill starts from an empty ledger")
        let started = Date()
        while size < entries {
            try store.append(try cases.entries(size..<min(size + batch, entries)))
            size = try store.size()
        }
        print("  (built \(url.lastPathComponent): \(size) entries in \(Int(Date().timeIntervalSince(started))) s)")
    }
}
