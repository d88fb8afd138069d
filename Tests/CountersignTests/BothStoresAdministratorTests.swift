import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Whoever administers the store cannot change history unnoticed, on SQLite and PostgreSQL")
struct BothStoresAdministratorTests {
    /// A workspace on `store` with case M-1 opened and credit-checked, and a checkpoint of those two
    /// entries cosigned by the registry as witness.
    static func witnessedWorkspace(on store: StoreKind) throws -> ExampleWorkspace {
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer", "registry"], store: store)
        try w.openMortgage("M-1")
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z")
        #expect(try witness(w, checkpoint: "cp-2.txt", at: "2026-11-02T11:00:00Z").status == 0)
        return w
    }

    /// Signs a checkpoint as the bank, saves it to `file`, and has the registry witness it.
    static func witness(_ w: ExampleWorkspace, checkpoint file: String, at now: String) throws -> CLI.Result {
        let checkpoint = try w.cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem")
        #expect(checkpoint.status == 0, "\(checkpoint.stderr)")
        try checkpoint.stdout.write(toFile: w.path(file), atomically: true, encoding: .utf8)
        return try w.cli.run("witness", file, "--as", "registry", "--key", "out/keys/registry.pem", "--now", now)
    }

    /// The PostgreSQL database name of a workspace's ledger URL.
    static func database(_ w: ExampleWorkspace) throws -> String {
        try #require(w.ledger.flatMap { URL(string: $0)?.lastPathComponent })
    }

    /// Edits stored entry bytes behind Countersign's back, as a database administrator could:
    /// replaces `old` by `new` (the same length) in every stored envelope.
    static func alter(_ w: ExampleWorkspace, on store: StoreKind, replacing old: String, with new: String) throws {
        switch store {
        case .sqlite:
            let url = URL(fileURLWithPath: w.path("out/ledger.sqlite"))
            var bytes = try Data(contentsOf: url)
            let range = try #require(bytes.range(of: Data(old.utf8)), "the text is in the database file")
            bytes.replaceSubrange(range, with: Data(new.utf8))
            try bytes.write(to: url)
        case .postgres:
            try PostgresServer.running().execute(
                "UPDATE entries SET envelope = convert_to(replace(convert_from(envelope, 'UTF8'), '\(old)', '\(new)'), 'UTF8')",
                in: try database(w)
            )
        }
    }

    /// Removes every table's rows, as an administrator replacing the whole history would.
    static func wipe(_ w: ExampleWorkspace, on store: StoreKind) throws {
        switch store {
        case .sqlite:
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: w.path("out/ledger.sqlite" + suffix))
            }
        case .postgres:
            try PostgresServer.running().execute(
                "TRUNCATE entries, nodes, documents, checkpoints, case_summaries, counters, governance_records",
                in: try database(w)
            )
        }
    }

    @Test(
        "an entry's bytes altered in the database are found by log verify, which names the entry",
        arguments: StoreKind.allCases
    )
    func alteredBytes(store: StoreKind) throws {
        let w = try Self.witnessedWorkspace(on: store)
        let credited = w.foundingEntries + 1
        let signature = try Envelope(bytes: #require(try w.store().entry(at: credited)).envelope).signature
        let text = Data(signature).base64EncodedString()
        let altered = (text.first == "A" ? "B" : "A") + text.dropFirst()
        try Self.alter(w, on: store, replacing: text, with: altered)
        #expect(try Envelope(bytes: #require(try w.store().entry(at: credited)).envelope).signature != signature)

        let verify = try w.cli.run("log", "verify")
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("log verification failed at entry \(credited)"), "\(verify.stderr)")
    }

    @Test(
        "a history rewritten by whoever administers the store is refused by the witness",
        arguments: StoreKind.allCases
    )
    func rewrittenHistory(store: StoreKind) throws {
        let w = try Self.witnessedWorkspace(on: store)
        let cosigned = try w.witnessNotes("registry")
        #expect(cosigned.count == 1)
        try Self.wipe(w, on: store)
        try w.found(by: "bank")
        // The forged history: the same case, now with the lawyer's review and a day later, signed with
        // the parties' own keys (the worst case: the administrator holds them all).
        try w.openMortgage("M-1", at: "2026-11-03T09:00:00Z")
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-03T10:00:00Z")
        try w.sign("M-1", "legal-review", as: "lawyer", at: "2026-11-03T11:00:00Z")
        #expect(try w.cli.run("log", "verify").status == 0, "the forged log is well formed in itself")

        let refused = try Self.witness(w, checkpoint: "cp-3.txt", at: "2026-11-04T10:00:00Z")
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "the log was rewritten: checkpoint \(w.foundingEntries + 3) is not consistent with the checkpoint of size "
                    + "\(w.foundingEntries + 2)"
            ),
            "\(refused.stderr)"
        )
        #expect(try w.witnessNotes("registry") == cosigned)
    }
}
