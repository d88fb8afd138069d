import Foundation
import TestSupport
import Testing

/// Every schema of docs/JSON.md, checked against what the commands print.
@Suite("--json shapes match docs/JSON.md")
struct JSONShapeTests {
    /// The schemas of docs/JSON.md by `$id`.
    static func schemas() throws -> [String: [String: Any]] {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../docs/JSON.md"
        )
        let text = try String(contentsOf: docs, encoding: .utf8)
        var schemas: [String: [String: Any]] = [:]
        for block in text.components(separatedBy: "```json\n").dropFirst() {
            let body = block.components(separatedBy: "\n```").first ?? ""
            let schema = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            schemas[try #require(schema["$id"] as? String)] = schema
        }
        return schemas
    }

    /// The problems of `value` against `schema` (the subset docs/JSON.md uses: type, required,
    /// properties, items, enum), each with its JSON path.
    static func problems(_ value: Any, _ schema: [String: Any], at path: String = "$") -> [String] {
        var problems: [String] = []
        if let type = schema["type"] as? String {
            let matches: Bool =
                switch type {
                case "object": value is [String: Any]
                case "array": value is [Any]
                case "string": value is String
                case "boolean": (value as? NSNumber).map(Self.isBoolean) ?? false
                case "integer":
                    (value as? NSNumber).map { !Self.isBoolean($0) && $0.doubleValue.rounded() == $0.doubleValue }
                        ?? false
                default: true
                }
            if !matches { return ["\(path): expected \(type), got \(value)"] }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { "\($0)" == "\(value)" }) {
            problems.append("\(path): \(value) is not one of \(options)")
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing \(key)")
            }
            for (key, sub) in schema["properties"] as? [String: [String: Any]] ?? [:] {
                if let member = object[key] { problems += Self.problems(member, sub, at: "\(path).\(key)") }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() { problems += Self.problems(item, items, at: "\(path)[\(index)]") }
        }
        return problems
    }

    /// Whether JSONSerialization read `number` from `true` or `false` (a `char`-typed NSNumber).
    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    static func check(
        _ result: CLI.Result,
        _ id: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let schema = try #require(try schemas()[id], "no schema \(id) in docs/JSON.md", sourceLocation: sourceLocation)
        let value = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
        #expect(problems(value, schema) == [], "\(id): \(result.stdout)", sourceLocation: sourceLocation)
    }

    @Test("the checker itself refuses what a schema does not allow")
    func checkerFails() throws {
        let schema = try #require(try Self.schemas()["error"])
        #expect(!Self.problems(["error": ["code": 9, "kind": "usage"]], schema).isEmpty)
        #expect(!Self.problems(["nothing": 1], schema).isEmpty)
        #expect(Self.problems(["error": ["code": 2, "kind": "usage", "message": "m"]], schema).isEmpty)
    }

    @Test("notices, status, log show, export, log proof, reconcile, output and errors print their documented shapes")
    func shapes() throws {
        let w = try DryRunTests.scenario(.sqlite)
        let later = DryRunTests.later
        try Self.check(try w.cli.run("notices", "--now", later, "--json"), "notices")
        try Self.check(try w.cli.run("status", "--now", later, "--json"), "status-list")
        try Self.check(try w.cli.run("status", "M-3", "--now", later, "--json"), "status-case")
        try Self.check(try w.cli.run("log", "show", "0", "--json"), "entry")
        for line in try w.cli.run("export").stdout.split(separator: "\n") {
            try Self.check(CLI.Result(status: 0, stdout: String(line), stderr: ""), "entry")
        }
        try Self.check(try w.cli.run("log", "proof", "1", "--json"), "log-proof")
        try Self.check(try w.cli.run("reconcile", "--dry-run", "--now", later, "--json"), "reconcile")
        try Self.check(try w.cli.run("reconcile", "--now", later, "--notify", "cat >/dev/null", "--json"), "reconcile")
        try Self.check(try w.cli.run("pipeline", "show", "pipelines/mortgage-approval.yaml", "--json"), "pipeline")
        try Self.check(try w.cli.run("pipeline", "check", "--json"), "pipeline-check")
        try Self.check(try w.cli.run("log", "verify", "--json"), "log-verify")
        try Self.check(try w.cli.run("log", "consistency", "1", "3", "--json"), "log-consistency")
        try Self.check(try w.cli.run("advance", "--dry-run", "--now", later, "--json"), "advance")
        try Self.check(try w.cli.run("consortium", "show", "--json"), "consortium-show")
        try Self.check(
            try w.cli.run("doc", "fingerprint", "\(ExampleWorkspace.mortgageSamples)/valuation.xml", "--json"),
            "fingerprints"
        )
        let fresh = try ExampleWorkspace(keysFor: [], founded: false)
        try Self.check(try fresh.cli.run("demo", "--json"), "output")
        // Errors of each kind.
        try Self.check(try w.cli.run("status", "NO-SUCH-CASE", "--json"), "error")
        try Self.check(try w.cli.run("status", "--state", "finished", "--json"), "error")
        try Self.check(try w.cli.run("log", "show", "100000", "--json"), "error")
    }

    @Test(
        "open, sign, attach, withdraw, submit, sign --offline, request, checkpoint, witness, bundle and keygen print theirs"
    )
    func appendingShapes() throws {
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer", "registry"])
        let samples = ExampleWorkspace.mortgageSamples
        let opened = try w.cli.run(
            "open",
            "mortgage-approval",
            "M-1",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            "2026-11-02T09:00:00Z",
            "--doc",
            "application=\(samples)/application-small.xml",
            "--json"
        )
        try Self.check(opened, "appended")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any])
        #expect(object["command"] as? String == "open" && object["case"] as? String == "M-1")
        #expect((object["pipelineDigest"] as? String)?.hasPrefix("sha256:") == true)
        try Self.check(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z", "--json"), "appended")
        try Self.check(
            try w.cli.run(
                "attach",
                "M-1",
                "valuation=\(samples)/valuation.xml",
                "--as",
                "bank",
                "--key",
                "out/keys/bank.pem",
                "--now",
                "2026-11-02T11:00:00Z",
                "--json"
            ),
            "appended"
        )
        let offline = try w.sign(
            "M-1",
            "legal-review",
            as: "lawyer",
            at: "2026-11-02T12:00:00Z",
            "--offline",
            "out/review.dsse.json",
            "--json"
        )
        try Self.check(offline, "signed-offline")
        let submitted = try w.cli.run("submit", "out/review.dsse.json", "out/missing.dsse.json", "--json")
        #expect(submitted.status != 0)
        try Self.check(submitted, "submit")
        let submitObject = try #require(
            try JSONSerialization.jsonObject(with: Data(submitted.stdout.utf8)) as? [String: Any]
        )
        #expect((submitObject["accepted"] as? [Any])?.count == 1 && (submitObject["refused"] as? [Any])?.count == 1)
        try Self.check(
            try w.cli.run(
                "request",
                "M-1",
                "valuation",
                "--as",
                "bank",
                "--out",
                "out/title.request.json",
                "--now",
                "2026-11-02T13:00:00Z",
                "--json"
            ),
            "request"
        )
        let checkpoint = try w.cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem", "--json")
        try Self.check(checkpoint, "checkpoint")
        let note = try #require(
            (try JSONSerialization.jsonObject(with: Data(checkpoint.stdout.utf8)) as? [String: Any])?["note"] as? String
        )
        try note.write(toFile: w.path("out/cp.txt"), atomically: true, encoding: .utf8)
        try Self.check(
            try w.cli.run("witness", "out/cp.txt", "--as", "registry", "--key", "out/keys/registry.pem", "--json"),
            "checkpoint"
        )
        try Self.check(try w.cli.run("bundle", "M-1", "--json"), "bundle")
        try Self.check(try w.cli.run("verify-bundle", "out/bundles/M-1", "--json"), "verify-bundle")
        try Self.check(
            try w.cli.run(
                "withdraw",
                "M-1",
                "--reason",
                "the applicant withdrew",
                "--as",
                "bank",
                "--key",
                "out/keys/bank.pem",
                "--now",
                "2026-11-03T09:00:00Z",
                "--json"
            ),
            "appended"
        )
        try Self.check(try w.cli.run("ledger", "copy", "--to", "sqlite:out/copy.sqlite", "--json"), "ledger-copy")
        try Self.check(try w.cli.run("keygen", "newcomer", "--json"), "keygen")
    }

    @Test("consortium init, propose and approve print theirs, each governance item as documented")
    func governanceShapes() throws {
        let w = try ExampleWorkspace(keysFor: ["bank"], founded: false)
        let signer = ["--as", "bank", "--key", "out/keys/bank.pem", "--json"]
        try Self.check(
            try w.cli.run(["consortium", "init", "--clock", "simulated", "--now", "2026-11-01T08:00:00Z"] + signer),
            "consortium-init"
        )
        #expect(try w.cli.run("keygen", "newcomer").status == 0)
        let proposed = try w.cli.run(
            "propose",
            "parties/newcomer.yaml",
            "--as",
            "newcomer",
            "--key",
            "out/keys/newcomer.pem",
            "--json"
        )
        try Self.check(proposed, "proposals")
        let proposals = try #require(
            (try JSONSerialization.jsonObject(with: Data(proposed.stdout.utf8)) as? [String: Any])?["proposals"]
                as? [[String: Any]]
        )
        let schemas = try Self.schemas()
        let governance = try #require(schemas["governance"])
        for item in proposals { #expect(Self.problems(item, governance) == [], "\(item)") }
        let id = try #require(proposals.first?["id"] as? Int)
        let approved = try w.cli.run(["approve", "\(id)"] + signer)
        try Self.check(approved, "approvals")
        let approvals = try #require(
            (try JSONSerialization.jsonObject(with: Data(approved.stdout.utf8)) as? [String: Any])?["approvals"]
                as? [[String: Any]]
        )
        #expect(approvals.count == 1)
        for item in approvals { #expect(Self.problems(item, governance) == [], "\(item)") }
        // A refused approval is an item too, and the exit code says so.
        let refused = try w.cli.run(["approve", "999"] + signer)
        #expect(refused.status == 1)
        try Self.check(refused, "approvals")
    }
}
