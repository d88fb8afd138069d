import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("docs/OPERATIONS.md, run as written")
struct OperationsGuideTests {
    /// The guide's ```sql blocks, in order.
    static func sqlBlocks() throws -> [String] {
        let guide = try String(
            contentsOf: ExampleWorkspace.repository.appendingPathComponent("docs/OPERATIONS.md"),
            encoding: .utf8
        )
        var blocks: [String] = []
        var current: [Substring]?
        for line in guide.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```sql" {
                current = []
            } else if let lines = current, line == "```" {
                blocks.append(lines.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// Fails with `message` when `role` holds `privilege` on `table`.
    static func expectNo(_ privilege: String, on table: String, for role: String, _ server: PostgresServer) throws {
        try server.execute(
            """
            DO $$ BEGIN IF has_table_privilege('\(role)', '\(table)', '\(privilege)')
            THEN RAISE EXCEPTION '\(role) holds \(privilege) on \(table)'; END IF; END $$
            """,
            in: "countersign"
        )
    }

    @Test(
        "the guide's roles and grants let signers sign, witnesses cosign and auditors read, and nobody change entries"
    )
    func rolesAndGrants() throws {
        let server = try PostgresServer.running()
        let blocks = try Self.sqlBlocks()
        let setup = try #require(blocks.first { $0.contains("CREATE DATABASE countersign") })
        let grants = try #require(blocks.first { $0.contains("GRANT SELECT ON schema_version") })
        for statement in setup.components(separatedBy: ";\n") where statement.contains(where: \.isLetter) {
            try server.execute(statement, in: "postgres")  // CREATE DATABASE cannot run in a multi-statement string
        }
        let roles = ["countersign_owner", "bank_signer", "registry_signer", "regulator_audit", "lawyer_witness"]
        try server.execute(roles.map { "ALTER ROLE \($0) PASSWORD 'pw-\($0)';" }.joined(), in: "postgres")
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer", "registry"], founded: false)
        func cli(_ role: String) -> CLI {
            var cli = w.cli
            cli.environment["COUNTERSIGN_LEDGER"] =
                "postgres://\(role):pw-\(role)@127.0.0.1:\(server.port)/countersign"
            return cli
        }

        #expect(try cli("countersign_owner").run("status").stdout.contains("no cases yet"))
        let beforeGrants = try cli("bank_signer").run("status")
        #expect(beforeGrants.status == 3 && beforeGrants.stderr.contains("permission denied"))
        try server.execute("SET ROLE countersign_owner;\n" + grants, in: "countersign")

        let bank = cli("bank_signer")
        let samples = ExampleWorkspace.mortgageSamples
        // The founding, through a writer: the bank's genesis, every party file, the mortgage pipeline.
        let founding = [
            try bank.run(
                "consortium",
                "init",
                "--as",
                "bank",
                "--key",
                "out/keys/bank.pem",
                "--clock",
                "simulated",
                "--now",
                ExampleWorkspace.founding
            ),
            try bank.run(
                ["propose"] + w.partyFiles.filter { $0 != "parties/bank.yaml" }
                    + [
                        "--as", "bank", "--key", "out/keys/bank.pem", "--key", "out/keys/lawyer.pem", "--key",
                        "out/keys/registry.pem", "--now", ExampleWorkspace.founding,
                    ]
            ),
            try bank.run(
                "propose",
                "pipelines/mortgage-approval.yaml",
                "--as",
                "bank",
                "--key",
                "out/keys/bank.pem",
                "--now",
                ExampleWorkspace.founding
            ),
        ]
        for result in founding { #expect(result.status == 0, "\(result.stderr)") }
        let foundingEntries = w.partyFiles.count + 1
        let signed = [
            try bank.run(
                "open",
                "mortgage-approval",
                "M-1",
                "--as",
                "bank",
                "--key",
                "out/keys/bank.pem",
                "--doc",
                "application=\(samples)/application-small.xml",
                "--now",
                "2026-11-02T09:00:00Z"
            ),
            try bank.run("sign", "M-1", "credit-check", "--as", "bank", "--key", "out/keys/bank.pem"),
            try bank.run(
                "sign",
                "M-1",
                "valuation",
                "--as",
                "bank",
                "--key",
                "out/keys/bank.pem",
                "--doc",
                "valuation=\(samples)/valuation.xml",
                "--offline",
                "out/inbox/valuation.dsse.json"
            ),
            // Two machines of one nightly run: the cases are claimed with SELECT ... FOR UPDATE.
            try bank.run("reconcile", "--run", "night-1", "--as", "bank", "--key", "out/keys/bank.pem"),
            try cli("registry_signer").run("reconcile", "--run", "night-1", "--no-checkpoint"),
            try cli("registry_signer").run("advance"),
        ]
        for result in signed { #expect(result.status == 0, "\(result.stderr)") }
        let checkpoint = try bank.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem")
        try checkpoint.stdout.write(toFile: w.path("cp.txt"), atomically: true, encoding: .utf8)
        let witnessed = try cli("lawyer_witness").run(
            "witness",
            "cp.txt",
            "--as",
            "lawyer",
            "--key",
            "out/keys/lawyer.pem"
        )
        #expect(witnessed.status == 0, "\(witnessed.stderr)")

        let auditor = cli("regulator_audit")
        #expect(try auditor.run("log", "verify").stdout.contains("log verified: \(foundingEntries + 3) entries"))
        #expect(try auditor.run("status", "M-1").status == 0)
        #expect(try auditor.run("ledger", "copy", "--to", "sqlite:archive.sqlite").status == 0)
        let refused = try auditor.run("advance")
        #expect(refused.status == 3 && refused.stderr.contains("permission denied"), "\(refused.stderr)")
        let cosign = try auditor.run("witness", "cp.txt", "--as", "registry", "--key", "out/keys/registry.pem")
        #expect(cosign.status == 3 && cosign.stderr.contains("permission denied"), "\(cosign.stderr)")

        for role in roles where role != "countersign_owner" {
            for table in [
                "entries", "nodes", "documents", "checkpoints", "schema_version", "governance_records",
                "case_map_versions", "case_map_nodes", "case_heads",
            ]
            where table != "governance_records" || role == "regulator_audit" || role == "lawyer_witness" {
                for privilege in ["DELETE", "TRUNCATE"] { try Self.expectNo(privilege, on: table, for: role, server) }
            }
            for table in [
                "entries", "nodes", "documents", "schema_version", "case_map_versions", "case_map_nodes", "case_heads",
            ] {
                try Self.expectNo("UPDATE", on: table, for: role, server)
            }
        }
        for table in ["entries", "nodes", "documents", "case_summaries", "counters"] {
            try Self.expectNo("INSERT", on: table, for: "regulator_audit", server)
            try Self.expectNo("INSERT", on: table, for: "lawyer_witness", server)
        }
    }
}
