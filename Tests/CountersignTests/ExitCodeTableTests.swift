import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("exit codes and errors as CLI.md says, --json errors, nothing overwritten")
struct ExitCodeTableTests {
    /// A command line and the exit code CLI.md gives it, in a workspace with no ledger.
    struct Case: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let status: Int32
        var testDescription: String { arguments.joined(separator: " ") + " → \(status)" }
    }

    static let noLedger: [Case] = [
        Case(arguments: ["status"], status: 3),
        Case(arguments: ["status", "M-1"], status: 3),
        Case(arguments: ["log", "verify"], status: 3),
        Case(arguments: ["log", "proof", "0"], status: 3),
        Case(arguments: ["consortium", "show"], status: 3),
        Case(arguments: ["advance"], status: 3),
        Case(arguments: ["bundle", "M-1"], status: 3),
        Case(arguments: ["submit", "missing.dsse.json"], status: 3),
        Case(arguments: ["doc", "fingerprint", "missing.xml"], status: 3),
        Case(arguments: ["--workspace", "no-such-folder", "status"], status: 3),
        Case(arguments: ["status", "--no-such-option"], status: 2),
        Case(arguments: ["no-such-command"], status: 2),
        Case(arguments: ["log", "proof"], status: 2),
    ]

    @Test(
        "with no ledger, each command exits as CLI.md says, creates nothing, and --json prints the error",
        arguments: noLedger
    )
    func withoutLedger(_ row: Case) throws {
        let workspace = Workspace()
        let plain = try workspace.cli.run(row.arguments)
        #expect(plain.status == row.status, "\(plain.stderr)")
        #expect(plain.stderr.hasPrefix("countersign: error: ") || plain.stderr.contains(": error: "), "\(plain.stderr)")
        #expect(workspace.files().isEmpty, "nothing written: \(workspace.files())")
        let json = try workspace.cli.run(row.arguments + ["--json"])
        #expect(json.status == row.status)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let error = try #require(object?["error"] as? [String: Any], "\(json.stdout)")
        #expect(error["code"] as? Int == Int(row.status))
        #expect(["rejected", "usage", "environment"].contains(error["kind"] as? String ?? ""))
        #expect((error["message"] as? String)?.isEmpty == false)
    }

    @Test("an unknown case is exit 1; a command without a JSON shape of its own prints its lines as one document")
    func unknownCaseAndLines() throws {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        #expect(try w.cli.run("status", "NO-SUCH-CASE").status == 1)
        let signed = try w.cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem", "--json")
        #expect(signed.status == 0, "\(signed.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(signed.stdout.utf8)) as? [String: Any])
        #expect(object["command"] as? String == "checkpoint")
        let lines = object["output"] as? [String] ?? []
        #expect(lines.first == "countersign.local/" + w.workspace.url.lastPathComponent, "\(object)")
    }

    @Test(
        "sign --offline and keygen --out never write over the ledger, a key or a party file; another file only with --force"
    )
    func nothingOverwritten() throws {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        #expect(try w.openMortgage("M-1").status == 0)
        let protected = ["out/ledger.sqlite", "out/keys/bank.pem", "parties/bank.yaml"]
        let before = try protected.map { try Data(contentsOf: URL(fileURLWithPath: w.path($0))) }
        for target in protected {
            for force in [[], ["--force"]] {
                let result = try w.cli.run(
                    [
                        "sign", "M-1", "credit-check", "--as", "bank", "--key", "out/keys/bank.pem", "--now",
                        "2026-11-02T10:00:00Z", "--offline", target,
                    ] + force
                )
                #expect(result.status == 1, "\(target) \(force): \(result.stderr)")
            }
            for force in [[], ["--force"]] where target != "out/keys/bank.pem" {
                let result = try w.cli.run(["keygen", "lawyer", "--out", target] + force)
                #expect(result.status == 1, "keygen --out \(target) \(force): \(result.stderr)")
            }
        }
        let after = try protected.map { try Data(contentsOf: URL(fileURLWithPath: w.path($0))) }
        #expect(after == before, "the ledger, the key and the party file are untouched")
        let first = try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z", "--offline", "out/e.json")
        #expect(first.status == 0, "\(first.stderr)")
        let again = try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z", "--offline", "out/e.json")
        #expect(again.status == 1 && again.stderr.contains("give --force to replace it"), "\(again.stderr)")
        let forced = try w.sign(
            "M-1",
            "credit-check",
            as: "bank",
            at: "2026-11-02T10:00:00Z",
            "--offline",
            "out/e.json",
            "--force"
        )
        #expect(forced.status == 0, "\(forced.stderr)")
    }
}
