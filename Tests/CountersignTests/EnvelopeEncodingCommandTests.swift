import CountersignKit
import Foundation
import TestSupport
import Testing

/// FORMATS.md §4 revision 2: every DSSE encoding the DSSE specification allows is accepted by
/// `submit` and the reconcile inbox, stored byte for byte, and verified by `log verify`,
/// `verify-bundle` and the bag's VERIFY.md; an envelope file over 1 MiB is refused unread.
@Suite("DSSE encodings end to end: submit, inbox, log verify, verify-bundle")
struct EnvelopeEncodingCommandTests {
    let samples = ExampleWorkspace.mortgageSamples

    /// The encodings a submitted envelope is rewritten in (`keyID` `nil`: the signature's own).
    static let variants: [(name: String, writer: DSSEWriter, keyID: DSSEWriter.KeyID?)] = [
        (
            "URL-safe unpadded base64, unknown members, no keyid",
            DSSEWriter(
                alphabet: .urlSafe,
                padded: false,
                extraMembers: #""x-tool":{"v":[1,true,null]}"#,
                extraSignatureMembers: #""cert":null"#
            ),
            .absent
        ),
        ("URL-safe padded base64, keyid \"\"", DSSEWriter(alphabet: .urlSafe), .empty),
        ("standard unpadded base64, another layout, keyid null", DSSEWriter(padded: false, pretty: true), .null),
        ("URL-safe unpadded base64 with its keyid", DSSEWriter(alphabet: .urlSafe, padded: false), nil),
    ]

    /// Rewrites the envelope file at `path` in `writer`'s encoding, its keyid written as `keyID`
    /// says (`nil`: its own). Returns the new bytes.
    @discardableResult
    static func rewrite(_ path: String, _ writer: DSSEWriter, keyID: DSSEWriter.KeyID?) throws -> [UInt8] {
        let envelope = try Envelope(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        let named = keyID ?? .value(envelope.signatures[0].keyID!)
        let bytes = writer.envelope(
            payloadType: envelope.payloadType,
            payload: envelope.payload,
            signatures: [.init(bytes: envelope.signature, keyID: named)]
        )
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return bytes
    }

    /// The stored entry at `index` is exactly `bytes`, its leaf hash over them.
    static func expectStored(_ w: ExampleWorkspace, at index: Int, _ bytes: [UInt8]) throws {
        let stored = try #require(try w.store().entry(at: index))
        #expect(stored.envelope == bytes, "the exact submitted bytes are stored")
        #expect(stored.leafHash == SHA256.hash([0] + bytes), "the leaf hash is over the submitted bytes")
    }

    @Test("submit accepts each encoding, and stores the submitted bytes", arguments: 0..<variants.count)
    func submitAccepts(variant: Int) throws {
        let (name, writer, keyID) = Self.variants[variant]
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties)
        try w.openMortgage("M-1")
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z", "--offline", "out/c.dsse.json")
        let bytes = try Self.rewrite(w.path("out/c.dsse.json"), writer, keyID: keyID)
        let before = try w.entryCount()
        let submitted = try w.cli.run("submit", "out/c.dsse.json", "--now", "2026-11-02T11:00:00Z")
        #expect(submitted.status == 0, "\(name): \(submitted.stderr)")
        #expect(try w.entryCount() == before + 1)
        try Self.expectStored(w, at: before, bytes)
        #expect(try w.stepStatus("M-1", "credit-check", at: "2026-11-02T11:00:00Z") == "done")
    }

    @Test(
        "a case of entries in every encoding passes log verify, verify-bundle and VERIFY.md; the report names each key",
        arguments: StoreKind.allCases
    )
    func verifiesEverywhere(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties, store: store)
        try w.openMortgage("M-1")
        let steps: [(step: String, party: String, at: String, extra: [String])] = [
            ("credit-check", "bank", "2026-11-02T10:00:00Z", []),
            ("valuation", "bank", "2026-11-03T10:00:00Z", ["--doc", "valuation=\(samples)/valuation.xml"]),
            ("legal-review", "lawyer", "2026-11-04T10:00:00Z", []),
        ]
        for (number, step) in steps.enumerated() {
            let file = "out/\(step.step).dsse.json"
            let signed = try w.cli.run(
                ["sign", "M-1", step.step, "--as", step.party, "--key", "out/keys/\(step.party).pem"]
                    + ["--now", step.at, "--offline", file] + step.extra
            )
            #expect(signed.status == 0, "\(signed.stderr)")
            let variant = Self.variants[number]
            let bytes = try Self.rewrite(w.path(file), variant.writer, keyID: variant.keyID)
            let index = try w.entryCount()
            let submitted = try w.cli.run("submit", file, "--now", step.at)
            #expect(submitted.status == 0, "\(variant.name): \(submitted.stderr)")
            try Self.expectStored(w, at: index, bytes)
        }
        let verify = try w.cli.run("log", "verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let bundle = try w.cli.run(
            "bundle",
            "M-1",
            "--out",
            "out/b",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            "2026-11-05T00:00:00Z"
        )
        #expect(bundle.status == 0, "\(bundle.stderr)")
        let checked = try w.cli.run("verify-bundle", "out/b")
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        #expect(checked.stdout.contains("signed with key "), "\(checked.stdout)")
        let folder = URL(fileURLWithPath: w.path("out/b"))
        let guide = try String(contentsOf: folder.appendingPathComponent("data/VERIFY.md"), encoding: .utf8)
        let script = VerifyGuideScript(markdown: guide).script()
        let output = try BundleCommandTests.runBash(script, in: folder)
        #expect(!output.contains("FAILED"), "\(output)")
        #expect(BundleCommandTests.lines(output, "OK: data/entries/", "'s key ").count == 4, "\(output)")
        // VERIFY.md finds a governance entry's keys without keyids too: the maker's and the new key's
        // (the bag then no longer matches its manifest and proofs, which the other checks say).
        let governance = folder.appendingPathComponent("data/governance")
        var lawyerEntry: String?
        for name in try FileManager.default.contentsOfDirectory(atPath: governance.path).sorted() {
            let file = governance.appendingPathComponent(name)
            let envelope = try Envelope(bytes: Array(try Data(contentsOf: file)))
            guard case .member(let member) = try envelope.governanceStatement().predicate.change,
                member.id == "lawyer"
            else { continue }
            lawyerEntry = "data/governance/\(name)"
            let rewritten = DSSEWriter(alphabet: .urlSafe, padded: false).envelope(
                payloadType: envelope.payloadType,
                payload: envelope.payload,
                signatures: envelope.signatures.map { .init(bytes: $0.bytes, keyID: .absent) }
            )
            try Data(rewritten).write(to: file)
        }
        let entry = try #require(lawyerEntry)
        let rerun = try BundleCommandTests.runBash(script, in: folder)
        #expect(rerun.contains("OK: \(entry): member of lawyer (1 key) by bank, signed by bank, lawyer"), "\(rerun)")
        #expect(rerun.contains("FAILED: the bag's files do not match its manifests"))
        // The report names the key that signed each entry, found without a keyid.
        let report = try String(contentsOf: folder.appendingPathComponent("data/report.html"), encoding: .utf8)
        for party in ["bank", "lawyer"] {
            let keyID = try KeyFile.load(w.path("out/keys/\(party).pem")).publicKey.keyID
            #expect(report.contains("<code>\(keyID)</code>"), "\(party)")
        }
    }

    @Test("refused by submit, nothing appended: a keyid naming another key, base64 of neither alphabet")
    func submitRefuses() throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties)
        try w.openMortgage("M-1")
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z", "--offline", "out/c.dsse.json")
        let envelope = try Envelope(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: w.path("out/c.dsse.json")))))
        let bank = try KeyFile.load(w.path("out/keys/bank.pem")).publicKey.keyID
        let lawyer = try KeyFile.load(w.path("out/keys/lawyer.pem")).publicKey.keyID
        let misnamed = DSSEWriter().envelope(
            payloadType: envelope.payloadType,
            payload: envelope.payload,
            signatures: [.init(bytes: envelope.signature, keyID: .value(lawyer))]
        )
        try Data(misnamed).write(to: URL(fileURLWithPath: w.path("out/misnamed.dsse.json")))
        try w.expectRefusal([
            "its keyid names key \(lawyer.prefix(16))…, but the signature was made with key \(bank.prefix(16))…"
        ]) {
            try w.cli.run("submit", "out/misnamed.dsse.json", "--now", "2026-11-02T11:00:00Z")
        }
        // The payload with one character of each alphabet: base64 of neither.
        var text = String(decoding: envelope.bytes, as: UTF8.self)
        let payload = Data(envelope.payload).base64EncodedString()
        let mixed = "-" + payload.dropFirst().replacingOccurrences(of: "=", with: "") + "/"
        text = text.replacingOccurrences(of: payload, with: mixed)
        try text.write(toFile: w.path("out/mixed.dsse.json"), atomically: true, encoding: .utf8)
        try w.expectRefusal(["envelope member \"payload\" is not base64"]) {
            try w.cli.run("submit", "out/mixed.dsse.json", "--now", "2026-11-02T11:00:00Z")
        }
    }

    /// The envelope at `path` followed by spaces up to `size` bytes (still a valid envelope).
    static func pad(_ path: String, to size: Int) throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: size - bytes.count)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test("an envelope file over 1 MiB is refused unread by submit (exit 1); one of exactly 1 MiB is accepted")
    func submitSizeLimit() throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties)
        try w.openMortgage("M-1")
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z", "--offline", "out/c.dsse.json")
        try Data(try Data(contentsOf: URL(fileURLWithPath: w.path("out/c.dsse.json"))))
            .write(to: URL(fileURLWithPath: w.path("out/big.dsse.json")))
        try Self.pad(w.path("out/big.dsse.json"), to: Envelope.maximumSubmittedSize + 1)
        try w.expectRefusal([
            "out/big.dsse.json: refused:",
            "is 1048577 bytes, more than the 1048576 bytes an envelope file may have",
        ]) {
            try w.cli.run("submit", "out/big.dsse.json", "--now", "2026-11-02T11:00:00Z")
        }
        try Self.pad(w.path("out/c.dsse.json"), to: Envelope.maximumSubmittedSize)
        let accepted = try w.cli.run("submit", "out/c.dsse.json", "--now", "2026-11-02T11:00:00Z")
        #expect(accepted.status == 0, "\(accepted.stderr)")
    }

    @Test(
        "the reconcile inbox accepts an envelope without keyid and files an oversized one as refused, with its reason"
    )
    func inbox() throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties)
        try w.openMortgage("M-1")
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z", "--offline", "out/inbox/a.dsse.json")
        let bytes = try Self.rewrite(w.path("out/inbox/a.dsse.json"), Self.variants[0].writer, keyID: .absent)
        try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z", "--offline", "out/inbox/b.dsse.json")
        try Self.pad(w.path("out/inbox/b.dsse.json"), to: Envelope.maximumSubmittedSize + 1)
        let before = try w.entryCount()
        let night = try w.cli.run(
            "reconcile",
            "--now",
            "2026-11-02T12:00:00Z",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem"
        )
        #expect(night.status == 1, "the refused file is a problem: \(night.stderr)")
        #expect(night.stdout.contains("inbox: 1 accepted, 1 refused"), "\(night.stdout)")
        #expect(try w.entryCount() == before + 1)
        try Self.expectStored(w, at: before, bytes)
        #expect(FileManager.default.fileExists(atPath: w.path("out/inbox/accepted/a.dsse.json")))
        #expect(FileManager.default.fileExists(atPath: w.path("out/inbox/refused/b.dsse.json")))
        let reason = try String(contentsOfFile: w.path("out/inbox/refused/b.dsse.json.reason"), encoding: .utf8)
        #expect(reason.contains("is 1048577 bytes, more than the 1048576 bytes an envelope file may have"), "\(reason)")
    }
}
