import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Audit bundles end to end: bundle and verify-bundle")
struct BundleCommandTests {
    /// Every file of a bag, relative, sorted.
    static func files(_ bag: URL) -> [String] {
        (FileManager.default.enumerator(atPath: bag.path)?.allObjects as? [String] ?? [])
            .filter { !$0.hasSuffix("/") && !FileManager.default.isDirectory(bag.appendingPathComponent($0)) }
            .sorted()
    }

    /// `bagit.py` (the Library of Congress BagIt tool), installed with pip when missing.
    static func bagitTool() throws -> String? {
        let folders =
            ["/usr/local/bin", "/usr/bin"]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        func find(_ name: String) -> String? {
            folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        if let tool = find("bagit.py") { return tool }
        guard let pip = find("pip3") ?? find("pip") else { return nil }
        _ = try runTool(pip, ["install", "--quiet", "bagit"])
        return find("bagit.py")
    }

    @Test("a bundle holds the case as FORMATS.md §6 lays it out, verify-bundle passes it, and bagit.py validates it")
    func bundleVerifies() throws {
        let fixture = try BundleFixture()
        let written = try fixture.bundleCase()
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("8 entries, proved in the checkpoint of 8"))
        let files = Self.files(fixture.bundle)
        let entries = (0..<8).map { String(format: "%08d", $0) }
        #expect(
            files
                == ([
                    "bag-info.txt", "bagit.txt", "data/VERIFY.md", "data/checkpoint.txt",
                    "data/documents/application.xml", "data/documents/title-deed.xml",
                    "data/documents/valuation.xml", "data/documents/valuation@00000002.xml",
                ] + entries.map { "data/entries/\($0).dsse.json" }
                + [
                    "data/parties/bank.yaml", "data/parties/director-a.yaml", "data/parties/director-b.yaml",
                    "data/parties/director-c.yaml", "data/parties/lawyer-partner.yaml", "data/parties/lawyer.yaml",
                    "data/parties/registry.yaml", "data/parties/regulator.yaml", "data/pipeline.yaml",
                ] + entries.map { "data/proofs/\($0).tlog-proof" }
                + [
                    "data/report.html", "data/schemas/mortgage-application.xsd", "data/schemas/title-deed.xsd",
                    "data/schemas/valuation.xsd", "manifest-sha512.txt", "tagmanifest-sha512.txt",
                ]).sorted()
        )
        let info = try String(contentsOf: fixture.bundle.appendingPathComponent("bag-info.txt"), encoding: .utf8)
        for field in [
            "Source-Organization: First Harbour Bank", "Bagging-Date: 2026-11-08", "External-Identifier: M-2",
            "Countersign-Log-Origin: \(BundleFixture.origin)", "Countersign-Case-Outcome: completed",
        ] {
            #expect(info.contains(field + "\n"), "missing \(field) in \(info)")
        }
        let pipeline = try Data(contentsOf: fixture.bundle.appendingPathComponent("data/pipeline.yaml"))
        #expect(
            pipeline == (try Data(contentsOf: URL(fileURLWithPath: fixture.path("pipelines/mortgage-approval.yaml"))))
        )

        let verified = try fixture.verify(fixture.bundle)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        for check in [
            "ok: bag: a valid BagIt 1.0 bag", "ok: pipeline: data/pipeline.yaml (mortgage-approval",
            "ok: signature: entry 4 (board-approval approve by director-a at 2026-11-05T10:00:00Z)",
            "ok: chain: the 8 entries of case 'M-2' each name the one before",
            "ok: documents: all 4 documents have the fingerprints their entries sign",
            "ok: proofs: all 8 entries are in the log's tree of 8 entries",
            "note: no --trust file: the checkpoint and every signature are checked with keys the bundle itself carries",
            "ok: checkpoint: signed by the log \(BundleFixture.origin) with the key of 'bank'",
            "ok: checkpoint: cosigned by witness \(BundleFixture.witnessName) with the key of 'regulator'",
            "ok: rules: all 8 entries replayed through pipeline 'mortgage-approval'",
            "after the last entry the case is completed",
        ] {
            #expect(verified.stdout.contains(check), "missing '\(check)' in:\n\(verified.stdout)")
        }
        #expect(!verified.stdout.contains("FAIL"))

        let bagit = try #require(
            try Self.bagitTool(),
            "bagit.py is not installed and `pip3 install bagit` failed: add it to the Makefile's deps"
        )
        #expect(try runTool(bagit, ["--validate", fixture.bundle.path]) == 0, "bagit.py --validate refused the bundle")
    }

    @Test("VERIFY.md's shell commands check a real bag with standard tools alone, and catch a change")
    func verifyGuide() throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let guide = try String(contentsOf: fixture.bundle.appendingPathComponent("data/VERIFY.md"), encoding: .utf8)
        let script = Self.shellBlocks(of: guide)
        let output = try Self.runBash(script, in: fixture.bundle)
        #expect(!output.contains("FAILED"), "\(output)")
        #expect(output.contains("OK: every file matches the bag's manifests"))
        #expect(output.components(separatedBy: "\nOK: data/entries/").count - 1 == 8 * 3, "\(output)")
        #expect(output.contains("OK: data/entries/00000004.dsse.json: board-approval approve by director-a"))
        #expect(
            output.contains("OK: data/documents/valuation@00000002.xml is the 'valuation' that entry 00000002 signs")
        )
        #expect(output.contains("OK: data/documents/valuation.xml is the 'valuation' that entry 00000003 signs"))
        #expect(output.contains("OK: data/entries/00000007.dsse.json is in the log's tree of 8 entries"))
        #expect(output.contains("OK: the log's signature verifies with the key of party bank"))
        #expect(output.contains("OK: the cosignature of witness \(BundleFixture.witnessName) at 2026-11-18T"))
        #expect(output.contains("verifies with the key of party regulator"))

        let tampered = try fixture.copyOfBundle()
        let deed = tampered.appendingPathComponent("data/documents/title-deed.xml")
        let text = try String(contentsOf: deed, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "Alex Morgan", with: "Alex Morgen").utf8).write(to: deed)
        let proof = tampered.appendingPathComponent("data/proofs/00000005.tlog-proof")
        let proofText = try String(contentsOf: proof, encoding: .utf8)
        let path = try TlogProof(parsing: Array(proofText.utf8)).hashes[0].base64
        try Data(proofText.replacingOccurrences(of: path, with: MerkleHash.empty.base64).utf8).write(to: proof)
        let changed = try Self.runBash(script, in: tampered)
        #expect(changed.contains("FAILED: the bag's files do not match its manifests"))
        #expect(changed.contains("FAILED: data/documents/title-deed.xml: its fingerprint is sha256:"))
        #expect(
            changed.contains(
                "FAILED: data/proofs/00000005.tlog-proof does not lead from data/entries/00000005.dsse.json"
            )
        )
        #expect(changed.split(separator: "\n").filter { $0.hasPrefix("FAILED: ") }.count == 3, "\(changed)")
    }

    @Test("without a checkpoint covering the case, bundle says what to run; with --as/--key it signs one")
    func checkpointNeeded() throws {
        let fixture = try BundleFixture(cosigned: false)
        #expect(try fixture.example.openMortgage("M-3").status == 0)
        let refused = try fixture.bundleCase("M-3")
        #expect(refused.status == 1)
        #expect(
            refused.stderr
                == "countersign: error: no stored checkpoint covers entry 8 of case 'M-3' (the newest covers 8 entries): "
                + "run `countersign checkpoint --as PARTY --key FILE` first, or give --as PARTY --key FILE to bundle\n"
        )
        #expect(!FileManager.default.fileExists(atPath: fixture.path("out/bundles/M-3")))
        let signed = try fixture.bundleCase(
            "M-3",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--origin",
            BundleFixture.origin
        )
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(signed.stdout.contains("1 entries, proved in the checkpoint of 9"))
        #expect(try fixture.verify(URL(fileURLWithPath: fixture.path("out/bundles/M-3"))).status == 0)
        let unknown = try fixture.bundleCase("M-9")
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "countersign: error: no case 'M-9' in the ledger\n")
    }

    @Test("bundle replaces a bundle of the same case, and refuses any other folder")
    func replacing() throws {
        let fixture = try BundleFixture(cosigned: false)
        #expect(try fixture.bundleCase().status == 0)
        // The report is evaluated at the bundling time; the signed payload is the same bytes.
        let first = try Data(contentsOf: fixture.bundle.appendingPathComponent("data/checkpoint.txt"))
        let again = try fixture.cli.run("bundle", BundleFixture.caseID, "--now", "2026-12-01T10:00:00Z")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Data(contentsOf: fixture.bundle.appendingPathComponent("data/checkpoint.txt")) == first)
        #expect(
            try String(contentsOf: fixture.bundle.appendingPathComponent("bag-info.txt"), encoding: .utf8).contains(
                "Bagging-Date: 2026-12-01"
            )
        )

        #expect(try fixture.example.openMortgage("M-3").status == 0)
        #expect(try fixture.checkpoint().status == 0)
        let other = try fixture.bundleCase("M-3", "--out", fixture.bundle.path)
        #expect(other.status == 1)
        #expect(
            other.stderr.contains(
                "\(fixture.bundle.path) already exists and holds a bundle of another case (External-Identifier: M-2)"
            )
        )
        let notes = fixture.scratch.url.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: notes.appendingPathComponent("todo.txt"))
        let mine = try fixture.bundleCase("M-3", "--out", notes.path)
        #expect(mine.status == 1)
        #expect(mine.stderr.contains("already exists and is not an audit bundle; remove it or choose --out"))
        #expect(try String(contentsOf: notes.appendingPathComponent("todo.txt"), encoding: .utf8) == "keep me")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.path("out/bundles")) == ["M-2"])
        #expect(try fixture.verify(fixture.bundle).status == 0)
    }

    @Test("no bundle path can leave its folder: a case id of '..' is refused, and so is a bag listing an outside file")
    func pathSafety() throws {
        let fixture = try BundleFixture(cosigned: false)
        let dots = try fixture.bundleCase("..")
        #expect(dots.status == 1)
        #expect(dots.stderr.contains("refusing path component \"..\""))
        #expect(!FileManager.default.fileExists(atPath: fixture.path("out/bundles")))

        try fixture.bundleCase()
        let bag = try fixture.copyOfBundle()
        let manifest = bag.appendingPathComponent("manifest-sha512.txt")
        let outside = try Data(contentsOf: URL(fileURLWithPath: fixture.path("out/keys/bank.pem")))
        let line = SHA512.hash(outside).hex + "  data/../../../out/keys/bank.pem\n"
        try (try Data(contentsOf: manifest) + Data(line.utf8)).write(to: manifest)
        let result = try fixture.verify(bag)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                "FAIL: bag: manifest-sha512.txt: path \"data/../../../out/keys/bank.pem\" is not allowed there"
            )
        )
        let missing = try fixture.verify(fixture.scratch.url.appendingPathComponent("no-such-bundle"))
        #expect(missing.status == 3)
        #expect(missing.stderr.hasSuffix("no-such-bundle: no such folder\n"))
    }

    /// The `sh` blocks of a Markdown text, in order.
    static func shellBlocks(of markdown: String) -> String {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "```sh" {
                current = []
            } else if line == "```", let block = current {
                blocks.append(block.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks.joined(separator: "\n")
    }

    /// Runs a bash script in `folder` and returns what it printed.
    static func runBash(_ script: String, in folder: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = folder
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bash-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        return String(decoding: try Data(contentsOf: output), as: UTF8.self)
    }
}

extension FileManager {
    fileprivate func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
