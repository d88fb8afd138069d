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
        try Self.check(try w.cli.run("pipeline", "show", "pipelines/mortgage-approval.yaml", "--json"), "output")
        // Errors of each kind.
        try Self.check(try w.cli.run("status", "NO-SUCH-CASE", "--json"), "error")
        try Self.check(try w.cli.run("status", "--state", "finished", "--json"), "error")
        try Self.check(try w.cli.run("log", "show", "100000", "--json"), "error")
    }
}
