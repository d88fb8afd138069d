import CountersignKit
import Foundation
import TestSupport
import Testing

/// Issue 11's attacks end to end, through the built `countersign` on SQLite and PostgreSQL: each is
/// refused (exit 1, the reason on stderr, nothing appended) or, for what happens behind the
/// engine's back in the store, detected by `log verify` and `verify-bundle`. The in-process
/// variants are in `SignOffAttackTests`; DSSE encodings in `EnvelopeEncodingCommandTests`.
@Suite("Sign-off attacks of issue 11 end to end")
struct SignOffAttackCommandTests {
    let samples = ExampleWorkspace.mortgageSamples
    let lotto = ExampleWorkspace.lottoSamples

    /// Writes `text` to `relative` in the workspace.
    static func write(_ w: ExampleWorkspace, _ relative: String, _ text: String) throws {
        try text.write(toFile: w.path(relative), atomically: true, encoding: .utf8)
    }

    /// A sample with its first `find` replaced by `replacement`, written to `relative`.
    static func edited(
        _ w: ExampleWorkspace,
        _ sample: String,
        _ find: String,
        _ replacement: String,
        to relative: String
    )
        throws
    {
        let text = try String(contentsOfFile: w.path(sample), encoding: .utf8)
        let edited = text.replacingOccurrences(of: find, with: replacement)
        #expect(edited != text, "\(sample) has no \(find)")
        try write(w, relative, edited)
    }

    /// Opens a mortgage case and signs its credit check and valuation.
    func valuedMortgage(_ w: ExampleWorkspace, _ caseID: String, large: Bool = false, valuation: String? = nil) throws {
        #expect(try w.openMortgage(caseID, large: large).status == 0)
        #expect(try w.sign(caseID, "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        let valued = try w.sign(
            caseID,
            "valuation",
            as: "bank",
            at: "2026-11-03T10:00:00Z",
            "--doc",
            "valuation=\(valuation ?? "\(samples)/valuation.xml")"
        )
        #expect(valued.status == 0, "\(valued.stderr)")
    }

    // MARK: - Documents changed to skip a step

    @Test(
        "the lawyer's changed application and the retailer's changed draw result are refused by sign and attach",
        arguments: StoreKind.allCases
    )
    func changedDocumentsRefused(store: StoreKind) throws {
        let w = try ExampleWorkspace(
            keysFor: CaseCommandTests.allMortgageParties + ["retailer", "operator", "regulator"],
            store: store
        )
        try valuedMortgage(w, "M-1", large: true)
        try Self.edited(w, "\(samples)/application-large.xml", ">1160000<", ">900000<", to: "smaller.xml")
        try w.expectRefusal([
            "step 'legal-review' may not attach a newer version of document 'application': only the opening attaches it"
        ]) {
            try w.sign(
                "M-1",
                "legal-review",
                as: "lawyer",
                at: "2026-11-04T10:00:00Z",
                "--doc",
                "application=smaller.xml"
            )
        }
        try w.expectRefusal([
            "'lawyer' may not attach a newer version of document 'application': only the opening attaches it"
        ]) {
            try w.cli.run(
                "attach",
                "M-1",
                "application=smaller.xml",
                "--as",
                "lawyer",
                "--key",
                "out/keys/lawyer.pem",
                "--now",
                "2026-11-04T10:00:00Z"
            )
        }
        #expect(try w.sign("M-1", "legal-review", as: "lawyer", at: "2026-11-04T11:00:00Z").status == 0)
        #expect(try w.stepStatus("M-1", "board-approval", at: "2026-11-04T11:00:00Z") == "ready")

        let opened = try w.openLotto("L-1", at: "2026-11-22T10:00:00Z")
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(try w.sign("L-1", "check-ticket", as: "retailer", at: "2026-11-22T10:05:00Z").status == 0)
        let draw = try w.sign(
            "L-1",
            "record-draw",
            as: "operator",
            at: "2026-11-22T12:00:00Z",
            "--doc",
            "draw-result=\(lotto)/draw-result.xml"
        )
        #expect(draw.stdout.contains("automatic step determine-prize of L-1 done"), "\(draw.stdout)\(draw.stderr)")
        try Self.edited(w, "\(lotto)/draw-result.xml", ">25000<", ">2500<", to: "cheaper-draw.xml")
        try w.expectRefusal([
            "step 'lodge-claim' may not attach a newer version of document 'draw-result': only a signer of step 'record-draw' may"
        ]) {
            try w.sign(
                "L-1",
                "lodge-claim",
                as: "retailer",
                at: "2026-11-23T10:00:00Z",
                "--doc",
                "claim=\(lotto)/claim-nsw.xml",
                "--doc",
                "draw-result=cheaper-draw.xml"
            )
        }
        #expect(try w.stepStatus("L-1", "regulator-approval", at: "2026-11-23T10:00:00Z") == "blocked")
        #expect(try w.cli.run("log", "verify").status == 0)
    }

    // MARK: - Documents in one entry

    @Test("one entry attaching a document name twice is refused: by sign, and as a hand-made envelope by submit")
    func documentNamedTwice() throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties)
        #expect(try w.openMortgage("M-1").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        try Self.edited(w, "\(samples)/valuation.xml", "1480000", "1490000", to: "other.xml")
        try w.expectRefusal(["document 'valuation': given twice"]) {
            try w.sign(
                "M-1",
                "valuation",
                as: "bank",
                at: "2026-11-03T10:00:00Z",
                "--doc",
                "valuation=\(samples)/valuation.xml",
                "--doc",
                "valuation=other.xml"
            )
        }
        // A bank entry whose statement lists the valuation twice, signed properly.
        let offline = try w.sign(
            "M-1",
            "valuation",
            as: "bank",
            at: "2026-11-03T10:00:00Z",
            "--doc",
            "valuation=\(samples)/valuation.xml",
            "--offline",
            "out/v.dsse.json"
        )
        #expect(offline.status == 0, "\(offline.stderr)")
        let envelope = try Envelope(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: w.path("out/v.dsse.json")))))
        let statement = try envelope.statement()
        let subject = statement.subjects.first { $0.name == "valuation" }!
        let text = String(decoding: envelope.payload, as: UTF8.self)
        let listed = #"{"name":"valuation","digest":{"sha256":"\#(subject.sha256.hex)"}}"#
        let sha256 = statement.attachments[0].sha256!.hex
        let attached = #"{"name":"valuation","sha256":"\#(sha256)"}"#
        #expect(text.contains(listed) && text.contains(attached))
        let key = try KeyFile.load(w.path("out/keys/bank.pem"))
        for (name, payload) in [
            ("subjects", text.replacingOccurrences(of: listed, with: listed + "," + listed)),
            ("attaches", text.replacingOccurrences(of: attached, with: attached + "," + attached)),
        ] {
            let twice = try Envelope.sign(payload: Array(payload.utf8), key: key)
            let file = "out/twice-\(name).dsse.json"
            try Data(twice.bytes).write(to: URL(fileURLWithPath: w.path(file)))
            try FileManager.default.copyItem(
                atPath: w.path("out/v.dsse.json.docs"),
                toPath: w.path(file + ".docs")
            )
            try w.expectRefusal(["\(file): refused: not a Countersign entry"]) {
                try w.cli.run("submit", file, "--now", "2026-11-03T11:00:00Z")
            }
        }
        #expect(try w.stepStatus("M-1", "valuation", at: "2026-11-03T11:00:00Z") == "ready")
    }

    @Test(
        "an envelope naming another case's stored document by fingerprint alone is refused by submit",
        arguments: StoreKind.allCases
    )
    func foreignDocumentByFingerprint(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties, store: store)
        // M-2 holds a valuation of 1,500,000; M-1 has none yet.
        try Self.edited(w, "\(samples)/valuation.xml", "1480000", "1500000", to: "m2-valuation.xml")
        try valuedMortgage(w, "M-2", valuation: "m2-valuation.xml")
        #expect(try w.openMortgage("M-1").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        // The bank's offline valuation of M-1 names that document, and travels without it.
        let offline = try w.sign(
            "M-1",
            "valuation",
            as: "bank",
            at: "2026-11-03T11:00:00Z",
            "--doc",
            "valuation=m2-valuation.xml",
            "--offline",
            "out/v.dsse.json"
        )
        #expect(offline.status == 0, "\(offline.stderr)")
        try FileManager.default.removeItem(atPath: w.path("out/v.dsse.json.docs"))
        try w.expectRefusal([
            "document 'valuation': the entry attaches it but it was not sent with the envelope"
        ]) { try w.cli.run("submit", "out/v.dsse.json", "--now", "2026-11-03T12:00:00Z") }
        #expect(try w.stepStatus("M-1", "valuation", at: "2026-11-03T12:00:00Z") == "ready")
    }

    @Test("an offline document swapped for a copy with the same fingerprint (a comment added) is refused")
    func offlineDocumentSwapped() throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties)
        #expect(try w.openMortgage("M-1").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        let offline = try w.sign(
            "M-1",
            "valuation",
            as: "bank",
            at: "2026-11-03T10:00:00Z",
            "--doc",
            "valuation=\(samples)/valuation.xml",
            "--offline",
            "out/v.dsse.json"
        )
        #expect(offline.status == 0, "\(offline.stderr)")
        try Self.edited(
            w,
            "\(samples)/valuation.xml",
            "<valuation>",
            "<!-- not what the bank signed --><valuation>",
            to: "out/v.dsse.json.docs/valuation.xml"
        )
        try w.expectRefusal(["document 'valuation': its bytes do not hash to the SHA-256 the entry signs"]) {
            try w.cli.run("submit", "out/v.dsse.json", "--now", "2026-11-03T11:00:00Z")
        }
    }

    // MARK: - Stored bytes

    /// Replaces, behind Countersign's back, `old` by `new` in the stored bytes of the document under
    /// store key `key`, as whoever administers the store could.
    static func alterDocument(_ w: ExampleWorkspace, key: String, replacing old: String, with new: String) throws {
        let bytes = try #require(try w.store().document(key: key))
        let edited = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: old, with: new)
        try w.administer("UPDATE documents SET bytes = :blob WHERE doc_key = '\(key)'", blob: Array(edited.utf8))
    }

    @Test(
        "a stored document's bytes gaining a comment keep its fingerprint, but log verify and verify-bundle find them",
        arguments: StoreKind.allCases
    )
    func commentAddedToStoredBytes(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties, store: store)
        try valuedMortgage(w, "M-1")
        #expect(try w.cli.run("log", "verify").status == 0)
        let valuation = try #require(try w.status("M-1", at: "2026-11-03T10:00:00Z")["documents"] as? [[String: Any]])
            .first { $0["name"] as? String == "valuation" }
        let fingerprint = try #require(valuation?["fingerprint"] as? String)
        let signed = Array(try Data(contentsOf: URL(fileURLWithPath: w.path("\(samples)/valuation.xml"))))
        let exactKey = DocumentKey.exactBytes(SHA256.hash(signed))
        #expect(try w.store().document(key: exactKey) == signed, "the exact bytes are kept by their SHA-256")
        #expect(try w.store().document(key: fingerprint) == nil, "and only there")
        func bundleVerifies(_ folder: String) throws -> CLI.Result {
            let bundle = try w.cli.run(
                ["bundle", "M-1", "--out", folder, "--as", "bank", "--key", "out/keys/bank.pem"]
                    + ["--now", "2026-11-04T00:00:00Z"]
            )
            #expect(bundle.status == 0, "\(bundle.stderr)")
            return try w.cli.run("verify-bundle", folder)
        }

        // The stored bytes gain a comment: the fingerprint stays, their SHA-256 does not.
        let comment = "<!-- value agreed with the borrower -->"
        try Self.alterDocument(w, key: exactKey, replacing: "<valuation>", with: comment + "<valuation>")
        let altered = try #require(try w.store().document(key: exactKey))
        #expect(String(decoding: altered, as: UTF8.self).contains(comment), "the bytes were altered")
        #expect(try XMLDocument(bytes: altered, source: "stored").fingerprint().description == fingerprint)
        let again = try w.cli.run("log", "verify")
        #expect(again.status == 1)
        #expect(
            again.stderr.contains("the stored bytes of document 'valuation' are not the bytes the entry signs"),
            "\(again.stderr)"
        )
        let checked = try bundleVerifies("out/b2")
        #expect(checked.status == 1, "\(checked.stdout)")
        #expect(checked.stdout.contains("its SHA-256 is not the"), "\(checked.stdout)")
    }

    @Test(
        "two cases attaching the same valuation in different bytes (one with a comment) each keep their own bytes",
        arguments: StoreKind.allCases
    )
    func sameFingerprintOtherBytes(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties, store: store)
        try Self.edited(
            w,
            "\(samples)/valuation.xml",
            "<valuation>",
            "<!-- signed copy --><valuation>",
            to: "annotated.xml"
        )
        try valuedMortgage(w, "M-1")
        try valuedMortgage(w, "M-2", valuation: "annotated.xml")
        #expect(try w.cli.run("log", "verify").status == 0)
        for caseID in ["M-1", "M-2"] {
            let bundle = try w.cli.run(
                "bundle",
                caseID,
                "--out",
                "out/b-\(caseID)",
                "--as",
                "bank",
                "--key",
                "out/keys/bank.pem",
                "--now",
                "2026-11-04T00:00:00Z"
            )
            #expect(bundle.status == 0, "\(bundle.stderr)")
            let checked = try w.cli.run("verify-bundle", "out/b-\(caseID)")
            #expect(checked.status == 0, "\(caseID): \(checked.stdout)")
        }
        let bundled = try String(contentsOfFile: w.path("out/b-M-2/data/documents/valuation.xml"), encoding: .utf8)
        #expect(bundled.contains("<!-- signed copy -->"), "M-2's bundle holds the bytes M-2's bank signed")
    }

    // MARK: - Envelope size

    /// A sparse file of `size` bytes at `relative`: it takes no disk space, and reading it whole
    /// would take gigabytes of memory.
    static func sparse(_ w: ExampleWorkspace, _ relative: String, size: UInt64) throws {
        #expect(FileManager.default.createFile(atPath: w.path(relative), contents: Data("{".utf8)))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: w.path(relative)))
        try handle.truncate(atOffset: size)
        try handle.close()
    }

    @Test("a 16 GiB envelope file is refused before it is read, by submit and by the inbox")
    func hugeEnvelopeRefusedUnread() throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties)
        #expect(try w.openMortgage("M-1").status == 0)
        try FileManager.default.createDirectory(atPath: w.path("out/inbox"), withIntermediateDirectories: true)
        let size: UInt64 = 16 << 30
        try Self.sparse(w, "out/huge.dsse.json", size: size)
        try Self.sparse(w, "out/inbox/huge.dsse.json", size: size)
        let started = Date()
        try w.expectRefusal([
            "out/huge.dsse.json: refused:",
            "is \(size) bytes, more than the 1048576 bytes an envelope file may have",
        ]) { try w.cli.run("submit", "out/huge.dsse.json", "--now", "2026-11-02T11:00:00Z") }
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
        #expect(night.stdout.contains("inbox: 0 accepted, 1 refused"), "\(night.stdout)")
        #expect(try w.entryCount() == before)
        let reason = try String(contentsOfFile: w.path("out/inbox/refused/huge.dsse.json.reason"), encoding: .utf8)
        #expect(reason.contains("is \(size) bytes, more than the 1048576 bytes"), "\(reason)")
        #expect(Date().timeIntervalSince(started) < 30, "refused without reading 16 GiB")
    }
}
