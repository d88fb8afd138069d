import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("keygen, checkpoint and log commands, end to end")
struct LedgerCommandTests {
    /// A workspace with a bank key and `count` entries appended straight to its ledger.
    /// A workspace whose ledger holds the bank's genesis (entry 0, by `consortium init`) and then
    /// `count - 1` entries of no case, signed by the bank: `count` entries in all.
    static func workspace(entries count: Int) throws -> Workspace {
        let workspace = Workspace()
        let result = try workspace.cli.run("keygen", "bank", "--name", "First National Bank")
        #expect(result.status == 0, "\(result.stderr)")
        let founded = try workspace.cli.run(
            "consortium",
            "init",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--clock",
            "simulated",
            "--origin",
            "countersign.example/test-log"
        )
        #expect(founded.status == 0, "\(founded.stderr)")
        let store = try SQLiteLedgerStore(path: workspace.path("out/ledger.sqlite"))
        let key = try KeyFile.load(workspace.path("out/keys/bank.pem"))
        try store.append((1..<count).map { NewEntry(envelope: try Self.envelope($0, key: key)) })
        return workspace
    }

    /// The signed envelope of entry `number`: a statement in no particular case.
    static func envelope(_ number: Int, key: Ed25519PrivateKey) throws -> [UInt8] {
        try Envelope.sign(payload: Array("{\"entry\":\(number)}".utf8), payloadType: "text/plain", key: key).bytes
    }

    @Test("keygen writes a 0600 key, registers it, and refuses to overwrite without --force")
    func keygen() throws {
        let workspace = Workspace()
        let first = try workspace.cli.run("keygen", "lawyer", "--name", "Smith & Jones")
        #expect(first.status == 0)
        let lines = first.stdout.split(separator: "\n").map(String.init)
        let keyID = lines.first ?? ""
        #expect(
            lines.last
                == "the key is a proposal until the consortium approves it: countersign propose parties/lawyer.yaml "
                + "--as lawyer --key out/keys/lawyer.pem (to rotate, also give --key with a key of lawyer in force)"
        )
        let key = try KeyFile.load(workspace.path("out/keys/lawyer.pem"))
        #expect(key.publicKey.keyID == keyID)
        let party = try Party(
            bytes: Array(Data(contentsOf: URL(fileURLWithPath: workspace.path("parties/lawyer.yaml")))),
            path: "lawyer.yaml"
        )
        #expect(party.name == "Smith & Jones" && party.key(withID: keyID) != nil)
        let before = workspace.files()
        let again = try workspace.cli.run("keygen", "lawyer")
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists; pass --force"))
        #expect(workspace.files() == before)
        #expect(try workspace.cli.run("keygen", "lawyer", "--force").status == 0)
        #expect(try KeyFile.load(workspace.path("out/keys/lawyer.pem")).publicKey.keyID != keyID)
    }

    @Test("keygen --import registers the public half of an openssl key and writes no private key")
    func keygenImport() throws {
        let workspace = Workspace()
        _ = try openssl("genpkey", "-algorithm", "ed25519", "-out", workspace.path("own.pem"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: workspace.path("own.pem"))
        let result = try workspace.cli.run("keygen", "registry", "--import", "own.pem")
        #expect(result.status == 0, "\(result.stderr)")
        let key = try KeyFile.load(workspace.path("own.pem"))
        #expect(result.stdout.contains(key.publicKey.keyID))
        #expect(!FileManager.default.fileExists(atPath: workspace.path("out/keys/registry.pem")))
    }

    @Test(
        "bad keys are refused with the exit code of CLI.md and nothing is written",
        arguments: [
            ("missing.pem", Int32(3), "cannot read key file"),
            ("folder.pem", 3, "not a regular file"),
            ("open.pem", 1, "readable by others (mode 0644)"),
            ("corrupt.pem", 1, "not an Ed25519 PEM key"),
            ("rsa.pem", 1, "not an Ed25519 PEM key"),
        ]
    )
    func badKeys(file: String, status: Int32, message: String) throws {
        let workspace = try Self.workspace(entries: 3)
        try FileManager.default.createDirectory(atPath: workspace.path("folder.pem"), withIntermediateDirectories: true)
        let pem = try Ed25519PrivateKey().pemRepresentation
        try pem.write(toFile: workspace.path("open.pem"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: workspace.path("open.pem"))
        try "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----\n"
            .write(toFile: workspace.path("corrupt.pem"), atomically: true, encoding: .utf8)
        _ = try openssl(
            "genpkey",
            "-algorithm",
            "rsa",
            "-pkeyopt",
            "rsa_keygen_bits:1024",
            "-out",
            workspace.path("rsa.pem")
        )
        for name in ["corrupt.pem", "rsa.pem"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: workspace.path(name))
        }
        let before = workspace.files()
        let checkpointsBefore = try SQLiteLedgerStore(path: workspace.path("out/ledger.sqlite")).checkpoints()
        let result = try workspace.cli.run("checkpoint", "--as", "bank", "--key", file)
        #expect(result.status == status)
        #expect(result.stderr.hasPrefix("countersign: error: "))
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(workspace.files() == before)
        #expect(try SQLiteLedgerStore(path: workspace.path("out/ledger.sqlite")).checkpoints() == checkpointsBefore)
    }

    @Test("unknown options and malformed proof requests are usage errors or refusals, writing nothing")
    func malformedRequests() throws {
        let workspace = try Self.workspace(entries: 5)
        let before = workspace.files()
        let cases: [([String], Int32, String)] = [
            (["log", "verify", "--frobnicate"], 2, "unknown option '--frobnicate'"),
            (["log", "proof"], 2, "missing argument INDEX"),
            (["log", "proof", "two"], 2, "INDEX expects a whole number"),
            (["log", "proof", "5"], 1, "entry 5 is not in a tree of 5 entries"),
            (["log", "proof", "-1"], 2, "unknown option '-1'"),
            (["log", "proof", "1", "--size", "9"], 1, "tree size 9 is larger than the log"),
            (["log", "consistency", "4", "2"], 1, "from a smaller tree to a larger one"),
            (["frobnicate"], 2, "unknown command 'frobnicate'"),
        ]
        for (arguments, status, message) in cases {
            let result = try workspace.cli.run(arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(workspace.files() == before)
    }

    @Test("log proof and log consistency print proofs that verify against the tree")
    func proofs() throws {
        let workspace = try Self.workspace(entries: 11)
        let proof = try workspace.cli.run("log", "proof", "6", "--size", "9")
        #expect(proof.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(proof.stdout.utf8)) as! [String: Any]
        let path = (json["path"] as! [String]).map { Digest(bytes: Array(Data(base64Encoded: $0)!)) }
        let leaf = MerkleHash.leaf(try Self.envelope(6, key: try KeyFile.load(workspace.path("out/keys/bank.pem"))))
        let root = Digest(bytes: Array(Data(base64Encoded: json["rootHash"] as! String)!))
        #expect(MerkleProofVerifier.verifyInclusion(leaf: leaf, index: 6, size: 9, proof: path, root: root))
        let consistency = try workspace.cli.run("log", "consistency", "3", "11")
        let c = try JSONSerialization.jsonObject(with: Data(consistency.stdout.utf8)) as! [String: Any]
        let hashes = (c["path"] as! [String]).map { Digest(bytes: Array(Data(base64Encoded: $0)!)) }
        #expect(
            MerkleProofVerifier.verifyConsistency(
                oldSize: 3,
                oldRoot: Digest(bytes: Array(Data(base64Encoded: c["oldRootHash"] as! String)!)),
                newSize: 11,
                newRoot: Digest(bytes: Array(Data(base64Encoded: c["newRootHash"] as! String)!)),
                proof: hashes
            )
        )
    }

    @Test("checkpoint prints a C2SP note signed by the log signer's key over the log's root, under the genesis origin")
    func checkpoint() throws {
        let workspace = try Self.workspace(entries: 4)
        var cli = workspace.cli
        cli.environment["COUNTERSIGN_LOG_ORIGIN"] = "countersign.example/another-name"
        let result = try cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem")
        #expect(result.status == 0, "\(result.stderr)")
        let note = try SignedNote(parsing: result.stdout)
        let checkpoint = try Checkpoint(note: note)
        #expect(checkpoint.origin == "countersign.example/test-log" && checkpoint.size == 4)
        let store = try SQLiteLedgerStore(path: workspace.path("out/ledger.sqlite"))
        #expect(try Ledger(store: store).root().root == checkpoint.rootHash)
        let key = try KeyFile.load(workspace.path("out/keys/bank.pem"))
        let verifier = try NoteVerifier(name: "countersign.example/test-log", publicKey: key.publicKey)
        #expect(try note.verify(with: [verifier]).count == 1)
        #expect(try store.checkpoints().map(\.size) == [4])
    }

    @Test("log verify passes a sound log and names the index of a single flipped byte")
    func verifyFindsFlippedByte() throws {
        let workspace = try Self.workspace(entries: 40)
        #expect(try workspace.cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem").status == 0)
        let sound = try workspace.cli.run("log", "verify")
        #expect(sound.status == 0, "\(sound.stderr)")
        #expect(sound.stdout.contains("40 entries"))
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            (blob,) = db.execute("SELECT envelope FROM entries WHERE idx = 23").fetchone()
            blob = bytearray(blob); blob[5] ^= 0x01
            db.execute("UPDATE entries SET envelope = ? WHERE idx = 23", (bytes(blob),)); db.commit()
            """,
            workspace.path("out/ledger.sqlite"),
        ]
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        let tampered = try workspace.cli.run("log", "verify")
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains("log verification failed at entry 23"), "\(tampered.stderr)")
        #expect(tampered.stderr.contains("entry 23: stored bytes do not match the leaf hash"))
    }
}
