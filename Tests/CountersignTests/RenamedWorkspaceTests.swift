import CountersignKit
import Foundation
import TestSupport
import Testing

/// The log's origin is fixed in the genesis, not derived from the workspace's folder name: a
/// workspace moved or renamed after the founding keeps its log, its checkpoints and its witnesses.
@Suite("A renamed workspace keeps its log's origin")
struct RenamedWorkspaceTests {
    @Test(
        "after the folder is renamed, sign, checkpoint, witness, reconcile, log verify, bundle and verify-bundle all pass"
    )
    func renamedFolder() throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties)
        let origin = "countersign.local/" + w.workspace.url.lastPathComponent
        #expect(try w.openMortgage("M-1").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        let first = try w.cli.run(
            "checkpoint",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            "2026-11-02T10:30:00Z"
        )
        try first.stdout.write(toFile: w.path("cp-1.txt"), atomically: true, encoding: .utf8)
        let witness = ["--as", "registry", "--key", "out/keys/registry.pem"]
        #expect(try w.cli.run(["witness", "cp-1.txt", "--now", "2026-11-02T11:00:00Z"] + witness).status == 0)

        let renamed = w.workspace.url.deletingLastPathComponent()
            .appendingPathComponent("renamed-\(UUID().uuidString)")
        try FileManager.default.moveItem(at: w.workspace.url, to: renamed)
        defer { try? FileManager.default.moveItem(at: renamed, to: w.workspace.url) }
        var cli = CLI(workspace: renamed)
        cli.environment = w.cli.environment
        func succeed(_ arguments: String..., sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String
        {
            let result = try cli.run(arguments)
            #expect(
                result.status == 0,
                "\(arguments): \(result.stdout)\(result.stderr)",
                sourceLocation: sourceLocation
            )
            return result.stdout
        }

        _ = try succeed(
            "sign",
            "M-1",
            "legal-review",
            "--as",
            "lawyer",
            "--key",
            "out/keys/lawyer.pem",
            "--now",
            "2026-11-03T10:00:00Z"
        )
        let second = try succeed(
            "checkpoint",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            "2026-11-03T10:30:00Z"
        )
        #expect(try Checkpoint(note: try SignedNote(parsing: second)).origin == origin)
        try second.write(to: renamed.appendingPathComponent("cp-2.txt"), atomically: true, encoding: .utf8)
        let cosigned = try succeed(
            "witness",
            "cp-2.txt",
            "--as",
            "registry",
            "--key",
            "out/keys/registry.pem",
            "--now",
            "2026-11-03T11:00:00Z"
        )
        #expect(try SignedNote(parsing: cosigned).signatures.map(\.name) == [origin, "registry"])
        #expect(try w.witnessNotes("registry", origin: origin).count == 2, "one history, under the genesis origin")
        _ = try succeed("reconcile", "--as", "bank", "--key", "out/keys/bank.pem", "--now", "2026-11-04T02:00:00Z")
        _ = try succeed("log", "verify")
        _ = try succeed("bundle", "M-1", "--now", "2026-11-04T03:00:00Z")
        let verified = try succeed("verify-bundle", "out/bundles/M-1")
        #expect(verified.contains("ok: checkpoint: signed under '\(origin)' by the log signer 'bank'"), "\(verified)")
    }
}
