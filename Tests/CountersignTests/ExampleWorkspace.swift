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

    /// When `found` founds the consortium: before any time the tests sign at.
    static let founding = "2026-01-01T00:00:00Z"

    /// A workspace whose ledger is a new one of `store`, with a key for each of `parties`. When
    /// `founded`, the consortium is founded on it (`found`); otherwise the ledger stays empty.
    convenience init(keysFor parties: [String], store: StoreKind = .sqlite, founded: Bool = true) throws {
        try self.init(keysFor: parties, ledger: try store.freshLedger(), founded: founded)
    }

    /// A workspace whose commands run against the empty ledger at `ledger` (`nil`: the workspace's
    /// default SQLite file), as `init(keysFor:store:founded:)` otherwise.
    init(keysFor parties: [String], ledger: String?, founded: Bool = true) throws {
        self.ledger = ledger
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
        if founded, let founder = parties.contains("bank") ? "bank" : parties.first { try found(by: founder) }
    }

    /// Founds the consortium in-process, as `consortium init`, `propose` and `approve` would leave
    /// it: `founder` its only admin (and log signer), every party file of the workspace a member
    /// with the key made for it, every example pipeline in force; the log's origin is the CLI's
    /// default for this workspace.
    func found(by founder: String, origin: String? = nil) throws {
        var keys: [String: Ed25519PrivateKey] = [:]
        var files: [Party] = []
        let folder = workspace.url.appendingPathComponent("parties")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        where name.hasSuffix(".yaml") {
            let id = String(name.dropLast(5))
            files.append(
                try Party(
                    bytes: Array(try Data(contentsOf: folder.appendingPathComponent(name))),
                    path: "parties/\(name)"
                )
            )
            if FileManager.default.fileExists(atPath: path("out/keys/\(id).pem")) {
                keys[id] = try KeyFile.load(path("out/keys/\(id).pem"))
            }
        }
        let catalog = PipelineCatalog(
            directory: URL(fileURLWithPath: path("pipelines")),
            displayPath: "pipelines",
            parties: nil
        )
        try Consortium(ledger: Ledger(store: try store())).bootstrap(
            founder: files.first { $0.id == founder }!,
            parties: files,
            keys: keys,
            pipelines: try catalog.files().map { try catalog.load($0) },
            origin: origin ?? "countersign.local/" + workspace.url.lastPathComponent,
            at: Timestamp.parse(Self.founding)!
        )
    }

    /// The workspace's party files, `parties/NAME.yaml`, sorted.
    var partyFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path("parties"))) ?? []).filter { $0.hasSuffix(".yaml") }
            .sorted().map { "parties/" + $0 }
    }

    /// Entries the founding appended: the genesis, one per other party file, one per pipeline.
    var foundingEntries: Int {
        let parties = (try? FileManager.default.contentsOfDirectory(atPath: path("parties")))?.filter {
            $0.hasSuffix(".yaml")
        }
        let pipelines = (try? FileManager.default.contentsOfDirectory(atPath: path("pipelines")))?.filter {
            $0.hasSuffix(".yaml")
        }
        return (parties?.count ?? 0) + (pipelines?.count ?? 0)
    }

    func path(_ relative: String) -> String { workspace.path(relative) }

    /// Every checkpoint `party` cosigned as a witness of the log `origin` (by default the one
    /// `found` names), as the party's state keeps them, smallest first.
    func witnessNotes(_ party: String, origin: String? = nil) throws -> [String] {
        try workspace.witnessNotes(party, origin: origin ?? "countersign.local/" + workspace.url.lastPathComponent)
    }

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

    /// Opens a lottery claim as the retailer with one of the sample tickets.
    @discardableResult
    func openLotto(_ caseID: String, ticket: String = "ticket-winning.xml", at now: String) throws -> CLI.Result {
        try cli.run(
            "open",
            "lotto-claim",
            caseID,
            "--as",
            "retailer",
            "--key",
            "out/keys/retailer.pem",
            "--doc",
            "ticket=\(Self.lottoSamples)/\(ticket)",
            "--now",
            now
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

    /// Runs `body`, which must be refused with exit 1 and every `reasons` on stderr, appending nothing.
    @discardableResult
    func expectRefusal(
        _ reasons: [String],
        sourceLocation: Testing.SourceLocation = #_sourceLocation,
        _ body: () throws -> CLI.Result
    ) throws -> CLI.Result {
        let before = try entryCount()
        let result = try body()
        #expect(
            result.status == 1,
            "expected a refusal, got \(result.status): \(result.stdout)\(result.stderr)",
            sourceLocation: sourceLocation
        )
        for reason in reasons {
            #expect(
                result.stderr.contains(reason),
                "missing '\(reason)' in: \(result.stderr)",
                sourceLocation: sourceLocation
            )
        }
        #expect(try entryCount() == before, "a refusal appended something", sourceLocation: sourceLocation)
        return result
    }
}
