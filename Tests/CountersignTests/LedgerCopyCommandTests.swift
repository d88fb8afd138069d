import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("ledger copy, end to end")
struct LedgerCopyCommandTests {
    let samples = ExampleWorkspace.mortgageSamples

    /// A workspace on `store` with two mortgage cases (one completed with every document and an
    /// automatic release, one rejected), a checkpoint cosigned by the registry as witness, and a
    /// nightly reconcile that signed a second checkpoint and built the case summaries.
    func workspace(on store: StoreKind = .sqlite) throws -> ExampleWorkspace {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties, store: store)
        try w.openMortgage("M-1", large: true)
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        let checkpoint = try w.cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem")
        try checkpoint.stdout.write(toFile: w.path("cp-2.txt"), atomically: true, encoding: .utf8)
        let cosigned = try w.cli.run(
            "witness",
            "cp-2.txt",
            "--as",
            "registry",
            "--key",
            "out/keys/registry.pem",
            "--now",
            "2026-11-02T11:00:00Z"
        )
        #expect(cosigned.status == 0, "\(cosigned.stderr)")
        try w.sign(
            "M-1",
            "valuation",
            as: "bank",
            at: "2026-11-03T10:00:00Z",
            "--doc",
            "valuation=\(samples)/valuation.xml"
        )
        try w.sign("M-1", "legal-review", as: "lawyer-partner", at: "2026-11-04T10:00:00Z")
        try w.openMortgage("M-2", at: "2026-11-04T11:00:00Z")
        try w.sign("M-1", "board-approval", as: "director-a", at: "2026-11-05T10:00:00Z")
        try w.sign("M-2", "credit-check", as: "bank", at: "2026-11-05T11:00:00Z")
        try w.sign("M-1", "board-approval", as: "director-c", at: "2026-11-06T10:00:00Z")
        try w.sign("M-2", "legal-review", as: "lawyer", at: "2026-11-06T11:00:00Z", "--reject", "--reason", "no deed")
        let registered = try w.sign(
            "M-1",
            "title-registration",
            as: "registry",
            at: "2026-11-07T10:00:00Z",
            "--doc",
            "title-deed=\(samples)/title-deed.xml"
        )
        #expect(registered.stdout.contains("automatic step funds-release of M-1 done"), "\(registered.stderr)")
        let night = try w.cli.run(
            "reconcile",
            "--now",
            "2026-11-08T02:00:00Z",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem"
        )
        #expect(night.status == 0, "\(night.stderr)")
        return w
    }

    /// `log verify` on `ledger`: must pass; returns its summary line.
    func verified(_ w: ExampleWorkspace, _ ledger: String) throws -> String {
        let result = try w.cli.run("log", "verify", "--ledger", ledger)
        #expect(result.status == 0, "log verify \(ledger): \(result.stderr)")
        return result.stdout
    }

    static func store(_ ledger: String, in w: ExampleWorkspace) throws -> any LedgerStore {
        try LedgerLocation(ledger, workspace: w.workspace.url).open(create: false)
    }

    @Test("SQLite to PostgreSQL and back keeps the root, the cases and the cosigned checkpoints; each copy verifies")
    func roundTrip() throws {
        let w = try workspace()
        let original = try verified(w, "sqlite:out/ledger.sqlite")
        let source = try Self.store("sqlite:out/ledger.sqlite", in: w)
        let size = try source.size()
        #expect(try source.caseSummaryWatermark() == size)

        let postgres = try #require(try StoreKind.postgres.freshLedger())
        let there = try w.cli.run("ledger", "copy", "--to", postgres)
        #expect(there.status == 0, "\(there.stderr)")
        let versionFiles = 4 + 4 + 6  // the files of the lotto-claim, mortgage-approval and supply-chain versions
        #expect(
            there.stdout.contains("copied \(size) entries, \(4 + versionFiles) documents, 2 checkpoints"),
            "\(there.stdout)"
        )
        #expect(there.stdout.contains("at \(size) entries: the copy's root equals the source's"))
        #expect(there.stdout.contains("checkpoints: all 2 match the copy's tree"))
        #expect(try verified(w, postgres) == original)
        #expect(try Self.store(postgres, in: w).caseSummaryWatermark() == 0)

        let back = try w.cli.run("ledger", "copy", "--from", postgres, "--to", "sqlite:archive/copy.sqlite")
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try verified(w, "sqlite:archive/copy.sqlite") == original)

        let checkpoints = try source.checkpoints()
        #expect(checkpoints.count == 2 && checkpoints[0].note.contains("— registry "))
        #expect(try Self.store(postgres, in: w).checkpoints() == checkpoints)
        #expect(try Self.store("sqlite:archive/copy.sqlite", in: w).checkpoints() == checkpoints)
        for caseID in ["M-1", "M-2"] {
            let status = ["status", caseID, "--json", "--now", "2026-11-09T00:00:00Z"]
            let before = try w.cli.run(status)
            #expect(before.status == 0)
            #expect(try w.cli.run(status + ["--ledger", postgres]).stdout == before.stdout)
            #expect(try w.cli.run(status + ["--ledger", "sqlite:archive/copy.sqlite"]).stdout == before.stdout)
        }

        // The witness carries on against the copy: the new checkpoint is consistent with its last one.
        try #require(checkpoints.last).note.write(toFile: w.path("cp-last.txt"), atomically: true, encoding: .utf8)
        let witnessed = try w.cli.run(
            "witness",
            "cp-last.txt",
            "--as",
            "registry",
            "--key",
            "out/keys/registry.pem",
            "--now",
            "2026-11-09T00:00:00Z",
            "--ledger",
            postgres
        )
        #expect(witnessed.status == 0, "\(witnessed.stderr)")
    }

    @Test("a target that already holds a ledger is refused and nothing is written to it", arguments: StoreKind.allCases)
    func nonEmptyTarget(target kind: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        try w.openMortgage("M-1")
        let target = try kind.freshLedger() ?? "sqlite:other/ledger.sqlite"
        #expect(try w.cli.run("ledger", "copy", "--to", target).status == 0)
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        let before = try Self.store(target, in: w)
        var entries: [LedgerEntry] = []
        try before.forEachEntry(in: 0..<before.size()) { entries.append($0) }

        let refused = try w.cli.run("ledger", "copy", "--to", target)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("is not empty (\(w.foundingEntries + 1) entries, 0 checkpoints)"),
            "\(refused.stderr)"
        )
        let after = try Self.store(target, in: w)
        var entriesAfter: [LedgerEntry] = []
        try after.forEachEntry(in: 0..<after.size()) { entriesAfter.append($0) }
        #expect(entriesAfter == entries)
        #expect(try after.checkpoints().isEmpty)
    }

    @Test("a copy of a source whose bytes were altered under its hashes has another root: exit 1")
    func alteredSource() throws {
        let w = try ExampleWorkspace(keysFor: ["bank"], store: .postgres)
        try w.openMortgage("M-1")
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        #expect(try w.cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem").status == 0)
        let signature = Data(
            try Envelope(bytes: #require(try w.store().entry(at: w.foundingEntries)).envelope).signature
        )
        let text = signature.base64EncodedString()
        try BothStoresAdministratorTests.alter(
            w,
            on: .postgres,
            replacing: text,
            with: (text.first == "A" ? "B" : "A") + text.dropFirst()
        )
        let copy = try w.cli.run("ledger", "copy", "--to", "sqlite:copy.sqlite")
        #expect(copy.status == 1)
        #expect(copy.stdout.contains("copied \(w.foundingEntries + 2) entries"))
        #expect(copy.stdout.contains(": they differ"), "\(copy.stdout)")
        #expect(copy.stderr.contains("checkpoint \(w.foundingEntries + 2): its root"), "\(copy.stderr)")
        #expect(
            copy.stderr.contains(
                "the copy is not faithful: its root differs from the source's; 1 checkpoint does not match it"
            ),
            "\(copy.stderr)"
        )
    }

    @Test("--to is required, locations are checked, and a missing source creates no target")
    func usage() throws {
        let w = try ExampleWorkspace(keysFor: [])
        let noTarget = try w.cli.run("ledger", "copy")
        #expect(noTarget.status == 2)
        #expect(noTarget.stderr.contains("--to URL is required"))
        #expect(try w.cli.run("ledger", "copy", "--to", "mysql://db").status == 2)
        let noSource = try w.cli.run("ledger", "copy", "--to", "sqlite:copy.sqlite")
        #expect(noSource.status == 3)
        #expect(noSource.stderr.contains("no ledger there"))
        #expect(!FileManager.default.fileExists(atPath: w.path("copy.sqlite")))
    }

    @Test(
        "a target file that is not a ledger — a party file, a key, a report, an empty file, the workspace's own ledger — is left as it was",
        arguments: ["parties/bank.yaml", "out/keys/bank.pem", "notes.txt", "empty", "out/ledger.sqlite"]
    )
    func foreignTarget(path: String) throws {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        try w.openMortgage("M-1")
        if path == "notes.txt" {
            try Data("minutes of the meeting\n".utf8).write(to: URL(fileURLWithPath: w.path(path)))
        }
        if path == "empty" { FileManager.default.createFile(atPath: w.path(path), contents: Data()) }
        let before = try Data(contentsOf: URL(fileURLWithPath: w.path(path)))
        let entries = try w.entryCount()
        let refused = try w.cli.run("ledger", "copy", "--to", "sqlite:\(path)")
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains(path), "\(refused.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: w.path(path))) == before)
        #expect(try w.entryCount() == entries)
    }
}
