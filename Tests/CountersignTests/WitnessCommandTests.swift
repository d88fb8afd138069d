import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("witness command, end to end")
struct WitnessCommandTests {
    /// A workspace with keys for the bank (the log) and the regulator (the witness).
    static func workspace() throws -> Workspace {
        let workspace = Workspace()
        for party in ["bank", "regulator"] {
            let result = try workspace.cli.run("keygen", party, "-q")
            #expect(result.status == 0, "\(result.stderr)")
        }
        return workspace
    }

    /// Entries the founding appends: the genesis by the bank and the regulator's membership.
    static let founding = 2
    /// When the founding, and every entry after it, reached the log (a simulated clock): before
    /// any time the witness cosigns at.
    static let founded = Date(timeIntervalSince1970: 1_790_000_000)

    /// Appends entries `range`, signed by the bank, straight to the workspace's ledger — first
    /// founding the consortium (the bank the log signer, the regulator a member) on an empty one.
    static func append(_ range: Range<Int>, to workspace: Workspace, tag: String = "entry") throws {
        let store = try SQLiteLedgerStore(path: workspace.path("out/ledger.sqlite"))
        let key = try KeyFile.load(workspace.path("out/keys/bank.pem"))
        if try store.size() == 0 {
            let parties = try ["bank", "regulator"].map { id in
                try Party(
                    bytes: Array(try Data(contentsOf: URL(fileURLWithPath: workspace.path("parties/\(id).yaml")))),
                    path: "parties/\(id).yaml"
                )
            }
            try Consortium(ledger: Ledger(store: store)).bootstrap(
                founder: parties[0],
                parties: parties,
                keys: ["bank": key, "regulator": try KeyFile.load(workspace.path("out/keys/regulator.pem"))],
                pipelines: [],
                origin: "countersign.local/\(workspace.url.lastPathComponent)",
                at: Self.founded
            )
        }
        try store.append(
            range.map { number in
                let payload = Array("{\"\(tag)\":\(number)}".utf8)
                return NewEntry(
                    envelope: try Envelope.sign(payload: payload, payloadType: "text/plain", key: key).bytes,
                    logTime: Self.founded
                )
            }
        )
    }

    /// `checkpoint --as bank`, saved to `file`.
    static func checkpoint(_ workspace: Workspace, to file: String) throws {
        let result = try workspace.cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem")
        #expect(result.status == 0, "\(result.stderr)")
        try result.stdout.write(toFile: workspace.path(file), atomically: true, encoding: .utf8)
    }

    static func witness(_ workspace: Workspace, _ file: String, at now: String) throws -> CLI.Result {
        try workspace.cli.run("witness", file, "--as", "regulator", "--key", "out/keys/regulator.pem", "--now", now)
    }

    /// The log's origin, as the founding fixed it.
    static func origin(_ workspace: Workspace) -> String { "countersign.local/\(workspace.url.lastPathComponent)" }

    /// The newest checkpoint the regulator keeps in its state as cosigned.
    static func state(_ workspace: Workspace) -> String? {
        try? workspace.witnessNotes("regulator", origin: origin(workspace)).last
    }

    @Test("witness cosigns each checkpoint as the log grows; log verify accepts the cosignatures")
    func cosignsAsTheLogGrows() throws {
        let workspace = try Self.workspace()
        try Self.append(0..<3, to: workspace)
        try Self.checkpoint(workspace, to: "cp-3.txt")
        let first = try Self.witness(workspace, "cp-3.txt", at: "2026-11-23T10:00:00Z")
        #expect(first.status == 0, "\(first.stderr)")
        let note = try SignedNote(parsing: first.stdout)
        #expect(note.signatures.map(\.name) == ["countersign.local/\(workspace.url.lastPathComponent)", "regulator"])
        #expect(Self.state(workspace) == first.stdout)

        try Self.append(3..<8, to: workspace)
        try Self.checkpoint(workspace, to: "cp-8.txt")
        let second = try Self.witness(workspace, "cp-8.txt", at: "2026-11-24T10:00:00Z")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try Checkpoint(note: try SignedNote(parsing: second.stdout)).size == UInt64(Self.founding + 8))
        #expect(Self.state(workspace) == second.stdout)

        let again = try workspace.cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem")
        #expect(again.stdout == second.stdout, "signing again at the same size keeps the cosignature")
        let verify = try workspace.cli.run("log", "verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test("a rewritten ledger is refused with exit 1, and nothing is written")
    func rewrittenLedger() throws {
        let workspace = try Self.workspace()
        try Self.append(0..<4, to: workspace)
        try Self.checkpoint(workspace, to: "cp-4.txt")
        #expect(try Self.witness(workspace, "cp-4.txt", at: "2026-11-23T10:00:00Z").status == 0)
        let cosigned = Self.state(workspace)

        try FileManager.default.removeItem(atPath: workspace.path("out/ledger.sqlite"))
        try Self.append(0..<6, to: workspace, tag: "forged")
        try Self.checkpoint(workspace, to: "cp-6.txt")
        let refused = try Self.witness(workspace, "cp-6.txt", at: "2026-11-24T10:00:00Z")
        #expect(refused.status == 1)
        #expect(
            refused.stderr
                == "countersign: error: the log was rewritten: checkpoint \(Self.founding + 6) is not consistent with the "
                + "checkpoint of size \(Self.founding + 4) this witness cosigned on 2026-11-23T10:00:00Z\n"
        )
        #expect(refused.stdout.isEmpty)
        #expect(Self.state(workspace) == cosigned)
        let stored = try SQLiteLedgerStore(path: workspace.path("out/ledger.sqlite")).checkpoints()
        #expect(stored.count == 1 && !stored[0].note.contains("regulator"))
    }

    @Test("a truncated ledger is refused: the log shrank")
    func truncatedLedger() throws {
        let workspace = try Self.workspace()
        try Self.append(0..<5, to: workspace)
        try Self.checkpoint(workspace, to: "cp-5.txt")
        #expect(try Self.witness(workspace, "cp-5.txt", at: "2026-11-23T10:00:00Z").status == 0)
        try FileManager.default.removeItem(atPath: workspace.path("out/ledger.sqlite"))
        try Self.append(0..<3, to: workspace)
        try Self.checkpoint(workspace, to: "cp-3.txt")
        let refused = try Self.witness(workspace, "cp-3.txt", at: "2026-11-24T10:00:00Z")
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "the log shrank: checkpoint \(Self.founding + 3) is smaller than the checkpoint of size \(Self.founding + 5)"
            )
        )
    }

    @Test("a tampered checkpoint file is refused; an unreadable one is an environment error")
    func tamperedFile() throws {
        let workspace = try Self.workspace()
        try Self.append(0..<3, to: workspace)
        try Self.checkpoint(workspace, to: "cp.txt")
        let text = try String(contentsOfFile: workspace.path("cp.txt"), encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        lines[1] = "\(Self.founding + 2)"
        try lines.joined(separator: "\n").write(toFile: workspace.path("cp.txt"), atomically: true, encoding: .utf8)
        let before = workspace.files()
        let refused = try Self.witness(workspace, "cp.txt", at: "2026-11-23T10:00:00Z")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the note was altered after signing"), "\(refused.stderr)")
        #expect(workspace.files() == before)
        #expect(try Self.witness(workspace, "missing.txt", at: "2026-11-23T10:00:00Z").status == 3)
    }

    @Test("the witness keeps every checkpoint it cosigned in the party's own state folder, never in the workspace")
    func stateOutsideTheWorkspace() throws {
        let workspace = try Self.workspace()
        try Self.append(0..<3, to: workspace)
        try Self.checkpoint(workspace, to: "cp-a.txt")
        // The default: $XDG_STATE_HOME/countersign/witness.
        #expect(try Self.witness(workspace, "cp-a.txt", at: "2026-11-23T10:00:00Z").status == 0)
        let note = workspace.witnessNote("regulator", origin: Self.origin(workspace), size: Self.founding + 3)
        #expect(FileManager.default.fileExists(atPath: note.path))
        #expect(!FileManager.default.fileExists(atPath: workspace.path("out/witness")))
        for (path, mode) in [(note.deletingLastPathComponent().path, 0o700), (note.path, 0o600)] {
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == mode)
        }

        // Without XDG_STATE_HOME: ~/.local/state/countersign/witness; and --state DIR anywhere.
        try Self.append(3..<4, to: workspace)
        try Self.checkpoint(workspace, to: "cp-b.txt")
        let home = TemporaryDirectory()
        var cli = workspace.cli
        cli.environment["XDG_STATE_HOME"] = ""
        cli.environment["HOME"] = home.url.path
        let signer = ["--as", "regulator", "--key", "out/keys/regulator.pem", "--now", "2026-11-24T10:00:00Z"]
        #expect(try cli.run(["witness", "cp-b.txt"] + signer).status == 0)
        let homeState = WitnessState(
            directory: home.url.appendingPathComponent(".local/state/countersign/witness"),
            origin: Self.origin(workspace),
            party: "regulator"
        )
        #expect(try homeState.notes().map(\.size) == [UInt64(Self.founding + 3), UInt64(Self.founding + 4)])
        let elsewhere = home.url.appendingPathComponent("regulator-witness")
        #expect(try cli.run(["witness", "cp-b.txt", "--state", elsewhere.path] + signer).status == 0)
        #expect(
            try WitnessState(directory: elsewhere, origin: Self.origin(workspace), party: "regulator").notes().count
                == 2,
            "the history is learned from the ledger's notes, then kept"
        )
        cli.environment["HOME"] = ""
        let nowhere = try cli.run(["witness", "cp-b.txt"] + signer)
        #expect(nowhere.status == 2 && nowhere.stderr.contains("--state DIR is required"), "\(nowhere.stderr)")
    }

    @Test(
        "restoring an older state over the newer cannot make the witness cosign a rewritten history it saw: the ledger's notes it cosigned bind it"
    )
    func restoredOlderState() throws {
        let workspace = try Self.workspace()
        try Self.append(0..<3, to: workspace)
        try Self.checkpoint(workspace, to: "cp-a.txt")
        #expect(try Self.witness(workspace, "cp-a.txt", at: "2026-11-23T10:00:00Z").status == 0)
        let folder = workspace.witnessNote("regulator", origin: Self.origin(workspace), size: 0)
            .deletingLastPathComponent()
        let backup = workspace.stateHome.appendingPathComponent("backup")
        try FileManager.default.copyItem(at: folder, to: backup)
        try Self.append(3..<6, to: workspace)
        try Self.checkpoint(workspace, to: "cp-b.txt")
        #expect(try Self.witness(workspace, "cp-b.txt", at: "2026-11-24T10:00:00Z").status == 0)

        // The older state is put back, and the log is rewritten after the checkpoint it still holds,
        // keeping the ledger's stored checkpoints.
        try FileManager.default.removeItem(at: folder)
        try FileManager.default.copyItem(at: backup, to: folder)
        let ledger = workspace.path("out/ledger.sqlite")
        let stored = try SQLiteLedgerStore(path: ledger).checkpoints()
        try FileManager.default.removeItem(atPath: ledger)
        try Self.append(0..<3, to: workspace)
        try Self.append(3..<8, to: workspace, tag: "forged")
        let forged = try SQLiteLedgerStore(path: ledger)
        for checkpoint in stored { try forged.saveCheckpoint(checkpoint) }
        try Self.checkpoint(workspace, to: "cp-c.txt")
        let refused = try Self.witness(workspace, "cp-c.txt", at: "2026-11-25T10:00:00Z")
        #expect(refused.status == 1)
        #expect(
            refused.stderr
                == "countersign: error: the log was rewritten: checkpoint \(Self.founding + 8) is not consistent with the "
                + "checkpoint of size \(Self.founding + 6) this witness cosigned on 2026-11-24T10:00:00Z\n"
        )
        #expect(try workspace.witnessNotes("regulator", origin: Self.origin(workspace)).count == 1)
    }
}
