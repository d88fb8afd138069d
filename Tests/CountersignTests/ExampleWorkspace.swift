import CountersignKit
import Foundation
import TestSupport
import Testing

/// A workspace holding the repository's example pipelines and parties, with keys for `parties`.
final class ExampleWorkspace: Sendable {
    let workspace = Workspace()
    /// The `--ledger` URL every command runs against (as `COUNTERSIGN_LEDGER`); `nil` for the
    /// workspace's default SQLite file.
    let ledger: String?

    var cli: CLI {
        var cli = workspace.cli
        if let ledger { cli.environment["COUNTERSIGN_LEDGER"] = ledger }
        return cli
    }

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let mortgageSamples = "pipelines/samples/mortgage-approval"
    static let lottoSamples = "pipelines/samples/lotto-claim"

    /// A workspace whose ledger is a new, empty one of `store`.
    init(keysFor parties: [String], store: StoreKind = .sqlite) throws {
        ledger = try store.freshLedger()
        for folder in ["pipelines", "parties"] {
            try FileManager.default.copyItem(
                at: Self.repository.appendingPathComponent(folder),
                to: workspace.url.appendingPathComponent(folder)
            )
        }
        for party in parties {
            let result = try cli.run("keygen", party, "-q")
            #expect(result.status == 0, "keygen \(party): \(result.stderr)")
        }
    }

    func path(_ relative: String) -> String { workspace.path(relative) }

    /// `countersign sign CASE STEP --as PARTY --key out/keys/PARTY.pem --now NOW [extra...]`.
    @discardableResult
    func sign(
        _ caseID: String,
        _ step: String,
        as party: String,
        at now: String,
        _ extra: String...
    ) throws -> CLI.Result {
        try cli.run(["sign", caseID, step, "--as", party, "--key", "out/keys/\(party).pem", "--now", now] + extra)
    }

    /// Opens a mortgage case with the small or large application.
    @discardableResult
    func openMortgage(
        _ caseID: String,
        large: Bool = false,
        at now: String = "2026-11-02T09:00:00Z"
    ) throws -> CLI.Result {
        try cli.run(
            "open",
            "mortgage-approval",
            caseID,
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            now,
            "--doc",
            "application=\(Self.mortgageSamples)/application-\(large ? "large" : "small").xml"
        )
    }

    /// The workspace's ledger, opened as the commands open it.
    func store() throws -> any LedgerStore {
        try LedgerLocation(ledger ?? "sqlite:out/ledger.sqlite", workspace: workspace.url).open()
    }

    /// The number of entries in the ledger.
    func entryCount() throws -> Int {
        if ledger == nil, !FileManager.default.fileExists(atPath: path("out/ledger.sqlite")) { return 0 }
        return try store().size()
    }

    /// `status CASE --json`, parsed.
    func status(_ caseID: String, at now: String) throws -> [String: Any] {
        let result = try cli.run("status", caseID, "--json", "--now", now)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    }

    /// The status label of one step.
    func stepStatus(_ caseID: String, _ step: String, at now: String) throws -> String? {
        let steps = try status(caseID, at: now)["steps"] as! [[String: Any]]
        return steps.first { $0["id"] as? String == step }?["status"] as? String
    }
}
