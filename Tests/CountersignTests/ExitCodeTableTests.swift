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

    @Test("checkpoint --json prints the checkpoint it signed as one document")
    func checkpointDocument() throws {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        let signed = try w.cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem", "--json")
        #expect(signed.status == 0, "\(signed.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(signed.stdout.utf8)) as? [String: Any])
        #expect(object["command"] as? String == "checkpoint")
        #expect(object["origin"] as? String == "countersign.local/" + w.workspace.url.lastPathComponent, "\(object)")
        #expect((object["note"] as? String)?.hasPrefix(object["origin"] as? String ?? "-") == true)
    }

    /// Command lines that name a file, with `FILE` where the file goes.
    static let fileCommands: [[String]] = [
        ["submit", "FILE"],
        ["doc", "fingerprint", "FILE"],
        ["witness", "FILE", "--as", "bank", "--key", "out/keys/bank.pem"],
        ["pipeline", "show", "./FILE"],
        ["pipeline", "check", "FILE"],
        ["propose", "FILE", "--as", "bank", "--key", "out/keys/bank.pem"],
        [
            "open", "mortgage-approval", "M-9", "--as", "bank", "--key", "out/keys/bank.pem", "--doc",
            "application=FILE",
        ],
        ["attach", "M-1", "valuation=FILE", "--as", "bank", "--key", "out/keys/bank.pem"],
        ["sign", "M-1", "credit-check", "--as", "bank", "--key", "FILE"],
        ["verify-bundle", "out/bundles/M-1", "--trust", "FILE"],
    ]

    /// What stands where a file should be: nothing, a folder, a symbolic link to nothing.
    static let unreadable = ["missing", "folder", "dangling"]

    @Test(
        "a missing or unreadable file (nothing there, a folder, a dangling link) is exit 3 naming it, and appends nothing",
        arguments: fileCommands
    )
    func unreadableFiles(_ command: [String]) throws {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        #expect(try w.openMortgage("M-1").status == 0)
        if command.first == "verify-bundle" {
            let bundled = try w.cli.run("bundle", "M-1", "--as", "bank", "--key", "out/keys/bank.pem")
            #expect(bundled.status == 0, "\(bundled.stderr)")
        }
        try FileManager.default.createDirectory(atPath: w.path("folder"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: w.path("dangling"), withDestinationPath: w.path("nowhere"))
        let entries = try w.entryCount()
        for name in Self.unreadable {
            let arguments = command.map { $0.replacingOccurrences(of: "FILE", with: name) }
            let result = try w.cli.run(arguments)
            #expect(result.status == 3, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(name), "\(arguments): \(result.stderr)")
            let json = try w.cli.run(arguments + ["--json"])
            // The error shape, or submit's own with the file among the refused.
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let error =
                object?["error"] as? [String: Any]
                ?? (object?["refused"] as? [[String: Any]])?.first?["error"] as? [String: Any]
            #expect(json.status == 3 && error?["code"] as? Int == 3, "\(arguments): \(json.stdout)")
        }
        #expect(try w.entryCount() == entries)
    }

    /// Command lines about one case, with `CASE` where its id goes.
    static let caseCommands: [[String]] = [
        ["status", "CASE"],
        ["sign", "CASE", "credit-check", "--as", "bank", "--key", "out/keys/bank.pem"],
        [
            "attach", "CASE", "valuation=\(ExampleWorkspace.mortgageSamples)/valuation.xml", "--as", "bank", "--key",
            "out/keys/bank.pem",
        ],
        ["withdraw", "CASE", "--reason", "none", "--as", "bank", "--key", "out/keys/bank.pem"],
        ["request", "CASE", "credit-check", "--as", "bank", "--out", "out/r.json"],
        ["bundle", "CASE"],
    ]

    @Test(
        "an unknown case is exit 1 and a bad option exit 2, for every command about a case; neither appends",
        arguments: caseCommands
    )
    func unknownCaseAndBadOption(_ command: [String]) throws {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        #expect(try w.openMortgage("M-1").status == 0)
        let entries = try w.entryCount()
        let unknown = try w.cli.run(command.map { $0 == "CASE" ? "NO-SUCH-CASE" : $0 })
        #expect(unknown.status == 1, "\(command): \(unknown.stderr)")
        #expect(unknown.stderr.contains("NO-SUCH-CASE"), "\(command): \(unknown.stderr)")
        let bad = try w.cli.run(command.map { $0 == "CASE" ? "M-1" : $0 } + ["--no-such-option"])
        #expect(bad.status == 2, "\(command): \(bad.stderr)")
        #expect(bad.stderr.contains("--no-such-option"), "\(command): \(bad.stderr)")
        #expect(try w.entryCount() == entries)
        #expect(!FileManager.default.fileExists(atPath: w.path("out/r.json")))
    }

    @Test("reconcile whose report folder cannot be written is exit 3 with a clear message, and a re-run completes")
    func unwritableReports() throws {
        let w = try ExampleWorkspace(keysFor: ["bank"])
        #expect(try w.openMortgage("M-1").status == 0)
        try FileManager.default.createDirectory(atPath: w.path("out"), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: w.path("out/reports"))
        FileManager.default.createFile(atPath: w.path("out/reports"), contents: Data("not a folder".utf8))
        let failed = try w.cli.run(
            "reconcile",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            "2026-11-03T01:00:00Z"
        )
        #expect(failed.status == 3, "\(failed.stderr)")
        #expect(failed.stderr.contains("out/reports"), "\(failed.stderr)")
        #expect(!failed.stderr.contains("NSCocoaErrorDomain"), "\(failed.stderr)")
        try FileManager.default.removeItem(atPath: w.path("out/reports"))
        let again = try w.cli.run(
            "reconcile",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            "2026-11-03T01:00:00Z"
        )
        #expect(again.status == 0, "\(again.stderr)")
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
