import CountersignKit
import Foundation
import TestSupport
import Testing

/// Issue 11's "the engine acts on unverified rows": whoever administers the store edits rows the
/// engine reads — an entry, a document's bytes, a case summary — and the engine must notice before
/// it acts on them, on both stores.
@Suite("The engine acts on verified rows only: edited entries, documents and summaries are found")
struct VerifiedStateTests {
    static let parties = ["bank", "lawyer", "registry", "retailer", "operator"]

    /// The envelope of entry `index` with its statement's `old` replaced by `new`, signature kept.
    static func reencoded(
        _ w: ExampleWorkspace,
        entry index: Int,
        replacing old: String,
        with new: String
    ) throws
        -> [UInt8]
    {
        let envelope = try Envelope(bytes: #require(try w.store().entry(at: index)).envelope)
        let statement = String(decoding: envelope.payload, as: UTF8.self)
        #expect(statement.contains(old))
        let changed = statement.replacingOccurrences(of: old, with: new)
        return Array(
            String(decoding: envelope.bytes, as: UTF8.self).replacingOccurrences(
                of: Data(envelope.payload).base64EncodedString(),
                with: Data(changed.utf8).base64EncodedString()
            ).utf8
        )
    }

    /// `reconcile` as the bank (the mortgage pipeline's orchestrator), as JSON.
    static func reconcile(
        _ w: ExampleWorkspace,
        at now: String,
        _ extra: String...
    ) throws -> (
        status: Int32, report: [String: Any], stderr: String
    ) {
        let result = try w.cli.run(["reconcile", "--now", now, "--json"] + extra)
        let report = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        return (result.status, report, result.stderr)
    }

    @Test(
        "a rejection re-encoded as an approval, its leaf hash column left or rewritten: status, sign, advance and reconcile refuse to act on it",
        arguments: StoreKind.allCases,
        [false, true]
    )
    func rejectionReencoded(store: StoreKind, rewritesLeafHash: Bool) throws {
        let w = try ExampleWorkspace(keysFor: Self.parties, store: store)
        try w.openMortgage("M-R")
        let rejected = try w.sign(
            "M-R",
            "credit-check",
            as: "bank",
            at: "2026-11-02T10:00:00Z",
            "--reject",
            "--reason",
            "income too low"
        )
        #expect(rejected.status == 0, "\(rejected.stderr)")
        let index = try w.entryCount() - 1
        let forged = try Self.reencoded(w, entry: index, replacing: "\"reject\"", with: "\"approve\"")
        try w.administer("UPDATE entries SET envelope = :blob WHERE idx = \(index)", blob: forged)
        if rewritesLeafHash {
            try w.administer(
                "UPDATE entries SET leaf_hash = :blob WHERE idx = \(index)",
                blob: MerkleHash.leaf(forged).bytes
            )
        }
        let damage = rewritesLeafHash ? "its signature does not verify" : "its stored leaf hash is not the hash"
        let status = try w.cli.run("status", "M-R", "--now", "2026-11-03T09:00:00Z")
        #expect(status.status != 0)
        #expect(status.stderr.contains("case 'M-R' is damaged at entry \(index): \(damage)"), "\(status.stderr)")

        let before = try w.entryCount()
        let signed = try w.sign("M-R", "legal-review", as: "lawyer", at: "2026-11-03T10:00:00Z")
        #expect(signed.status != 0)
        #expect(signed.stderr.contains("damaged at entry \(index)"), "\(signed.stderr)")
        let advanced = try w.cli.run("advance", "--now", "2026-11-04T10:00:00Z")
        #expect(
            advanced.stderr.contains("M-R") || advanced.stdout.contains("M-R"),
            "\(advanced.stdout)\(advanced.stderr)"
        )

        let checkpoints = try w.store().checkpoints().count
        let run = try Self.reconcile(w, at: "2026-11-05T02:00:00Z")
        #expect(run.status == 1, "\(run.stderr)")
        let problems = run.report["problems"] as? [String] ?? []
        #expect(
            problems.contains { $0.hasPrefix("M-R: damaged in the store, nothing was signed on it") },
            "\(problems)"
        )
        #expect(problems.contains { $0.contains("the checkpoint was not signed") }, "\(problems)")
        #expect(try w.entryCount() == before, "nothing is appended on top of a damaged case")
        #expect(try w.store().checkpoints().count == checkpoints, "no checkpoint vouches for a damaged log")
        #expect(try w.cli.run("log", "verify").status == 1)
    }

    /// A lottery claim determined on 2026-06-15 (its window runs a year), reconciled once.
    static func reconciledClaim(on store: StoreKind) throws -> ExampleWorkspace {
        let w = try ExampleWorkspace(keysFor: Self.parties, store: store)
        let lotto = ExampleWorkspace.lottoSamples
        let opened = try w.openLotto("L-1", at: "2026-06-15T09:00:00Z")
        #expect(opened.status == 0, "\(opened.stderr)")
        let drawn = try w.sign(
            "L-1",
            "record-draw",
            as: "operator",
            at: "2026-06-15T10:00:00Z",
            "--doc",
            "draw-result=\(lotto)/draw-result.xml"
        )
        #expect(drawn.status == 0, "\(drawn.stderr)")
        let first = try Self.reconcile(w, at: "2026-06-16T02:00:00Z")
        #expect(first.status == 0, "\(first.stderr)\(first.report["problems"] ?? "")")
        let summary = try #require(try w.store().caseSummaries(of: ["L-1"]).first)
        let head = try w.store().chainHead("L-1")?.leaf
        #expect(summary.expiresAt != nil && summary.headLeaf == head)
        return w
    }

    @Test(
        "a case summary edited or deleted so a claim never expires is reported, rebuilt, and the claim expires",
        arguments: StoreKind.allCases,
        [
            "UPDATE case_summaries SET wake_at = NULL, expires_at = NULL WHERE case_id = 'L-1'",
            "UPDATE case_summaries SET outcome = 'completed' WHERE case_id = 'L-1'",
            "DELETE FROM case_summaries WHERE case_id = 'L-1'",
        ]
    )
    func summaryEdited(store: StoreKind, edit: String) throws {
        let w = try Self.reconciledClaim(on: store)
        try w.administer(edit)
        let run = try Self.reconcile(w, at: "2027-07-01T02:00:00Z")
        #expect(run.status == 1, "a mismatch is a reported problem: \(run.stderr)")
        let problems = run.report["problems"] as? [String] ?? []
        let expected = edit.hasPrefix("DELETE") ? "L-1: its case summary is missing" : "L-1: its case summary says"
        #expect(problems.contains { $0.hasPrefix(expected) && $0.contains("rebuilt from its entries") }, "\(problems)")
        #expect(try w.status("L-1", at: "2027-07-01T03:00:00Z")["state"] as? String == "expired")
        let repaired = try #require(try w.store().caseSummaries(of: ["L-1"]).first)
        let head = try w.store().chainHead("L-1")?.leaf
        #expect(repaired.outcome == "expired" && repaired.headLeaf == head)
        let again = try Self.reconcile(w, at: "2027-07-02T02:00:00Z")
        #expect(again.status == 0, "repaired, the next night finds nothing: \(again.report["problems"] ?? "")")
    }

    @Test("a summary claiming a newer head than the case has (its last entry deleted) makes the case damaged")
    func headDeleted() throws {
        let w = try Self.reconciledClaim(on: .sqlite)
        try w.administer(
            "UPDATE case_summaries SET head_index = head_index + 5 WHERE case_id = 'L-1'"
        )
        let before = try w.entryCount()
        let run = try Self.reconcile(w, at: "2027-07-01T02:00:00Z")
        #expect(run.status == 1)
        let problems = run.report["problems"] as? [String] ?? []
        #expect(
            problems.contains {
                $0.hasPrefix("L-1: damaged in the store") && $0.contains("entries of the case are missing")
            },
            "\(problems)"
        )
        #expect(try w.entryCount() == before, "the claim is not expired on top of missing entries")
    }

    @Test(
        "a comment added to a stored document's bytes, which the fingerprint ignores, is found by status and log verify",
        arguments: StoreKind.allCases
    )
    func documentBytesEdited(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.parties, store: store)
        try w.openMortgage("M-D")
        let bytes = Array(
            try Data(
                contentsOf: URL(fileURLWithPath: w.path(ExampleWorkspace.mortgageSamples + "/application-small.xml"))
            )
        )
        let key = DocumentKey.exactBytes(SHA256.hash(bytes))
        #expect(try w.store().document(key: key) == bytes)
        let commented = bytes + Array("<!-- approved by the board -->".utf8)
        try w.administer(
            "UPDATE documents SET bytes = :blob WHERE doc_key = '\(key)'",
            blob: commented
        )
        let status = try w.cli.run("status", "M-D", "--now", "2026-11-03T09:00:00Z")
        #expect(status.status != 0)
        #expect(
            status.stderr.contains("the stored bytes of document 'application' are not the bytes the entry signs"),
            "\(status.stderr)"
        )
        let verify = try w.cli.run("log", "verify")
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("are not the bytes the entry signs"), "\(verify.stderr)")
    }

    @Test(
        "two versions of a document that differ only in a comment (one fingerprint) are both kept, each case with its own bytes",
        arguments: StoreKind.allCases
    )
    func sameFingerprintTwoVersions(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: Self.parties, store: store)
        try w.openMortgage("M-A")
        let original = try Data(
            contentsOf: URL(fileURLWithPath: w.path(ExampleWorkspace.mortgageSamples + "/application-small.xml"))
        )
        let commented = original + Data("<!-- second copy -->\n".utf8)
        try commented.write(to: URL(fileURLWithPath: w.path("application-commented.xml")))
        #expect(
            try XMLDocument(bytes: Array(original), source: "a").fingerprint()
                == XMLDocument(bytes: Array(commented), source: "b").fingerprint()
        )
        let opened = try w.cli.run(
            "open",
            "mortgage-approval",
            "M-B",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            "2026-11-02T09:30:00Z",
            "--doc",
            "application=application-commented.xml"
        )
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(try w.store().document(key: DocumentKey.exactBytes(SHA256.hash(Array(original)))) == Array(original))
        #expect(try w.store().document(key: DocumentKey.exactBytes(SHA256.hash(Array(commented)))) == Array(commented))
        for caseID in ["M-A", "M-B"] {
            #expect(try w.cli.run("status", caseID, "--now", "2026-11-03T09:00:00Z").status == 0)
        }
        #expect(try w.cli.run("log", "verify").status == 0)
        let bundle = try w.cli.run("bundle", "M-B", "--as", "bank", "--key", "out/keys/bank.pem")
        #expect(bundle.status == 0, "\(bundle.stderr)")
        let bundled = try Data(
            contentsOf: URL(fileURLWithPath: w.path("out/bundles/M-B/data/documents/application.xml"))
        )
        #expect(bundled == commented, "the bundle holds the bytes M-B's entry signs")
        #expect(try w.cli.run("verify-bundle", "out/bundles/M-B").status == 0)
    }
}
