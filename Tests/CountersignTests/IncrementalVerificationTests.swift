import CountersignKit
import Foundation
import TestSupport
import Testing

/// Issue 14's incremental nightly verification: a night verifies what is new since the tree this
/// machine verified last, and a history rewritten under that tree is still noticed.
@Suite("reconcile verifies what is new since the tree it verified last; rewritten history is still found")
struct IncrementalVerificationTests {
    static let night1 = "2026-11-03T01:00:00Z"
    static let night2 = "2026-11-04T01:00:00Z"

    /// `reconcile --json` as the bank (the log signer), its report as an object.
    static func reconcile(
        _ w: ExampleWorkspace,
        at now: String,
        _ extra: String...
    ) throws -> (status: Int32, report: [String: Any], stderr: String) {
        let result = try w.cli.run(
            ["reconcile", "--as", "bank", "--key", "out/keys/bank.pem", "--now", now, "--json"] + extra
        )
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        return (result.status, report, result.stderr)
    }

    static func verification(_ report: [String: Any]) -> [String: Any] {
        report["verification"] as? [String: Any] ?? [:]
    }

    static func problems(_ report: [String: Any]) -> [String] {
        report["problems"] as? [String] ?? []
    }

    /// Two cases, M-1 and M-2, and a first night that verified everything.
    static func workspace() throws -> ExampleWorkspace {
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer"])
        #expect(try w.openMortgage("M-1").status == 0)
        #expect(try w.openMortgage("M-2").status == 0)
        let first = try reconcile(w, at: night1)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(verification(first.report)["mode"] as? String == "full")
        #expect((verification(first.report)["reason"] as? String)?.contains("no tree verified before") == true)
        return w
    }

    /// Rewrites entry `index` in the SQLite store as an administrator who covers their tracks
    /// would: new bytes, their leaf hash, and every stored subtree hash recomputed from the leaves.
    static func rewrite(_ w: ExampleWorkspace, entry index: Int, consistently: Bool) throws {
        let script = """
            import hashlib, sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            index, consistent = int(sys.argv[2]), sys.argv[3] == "1"
            (envelope,) = db.execute("SELECT envelope FROM entries WHERE idx = ?", (index,)).fetchone()
            envelope = bytes(envelope).replace(b'"payload":"', b'"payload":"eyJ4IjoxfQ', 1)
            db.execute("UPDATE entries SET envelope = ? WHERE idx = ?", (envelope, index))
            if consistent:
                leaf = hashlib.sha256(b"\\x00" + envelope).digest()
                db.execute("UPDATE entries SET leaf_hash = ? WHERE idx = ?", (leaf, index))
                level = [bytes(row[0]) for row in db.execute("SELECT leaf_hash FROM entries ORDER BY idx")]
                depth = 1
                while len(level) > 1:
                    level = [hashlib.sha256(b"\\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
                    for i, node in enumerate(level):
                        db.execute("UPDATE nodes SET hash = ? WHERE level = ? AND idx = ?", (node, depth, i))
                    depth += 1
            db.commit()
            """
        let status = try runTool(
            "/usr/bin/env",
            ["python3", "-c", script, w.path("out/ledger.sqlite"), "\(index)", consistently ? "1" : "0"]
        )
        #expect(status == 0)
    }

    /// The index of the open entry of `caseID`.
    static func openEntry(_ w: ExampleWorkspace, _ caseID: String) throws -> Int {
        try #require(try w.store().entries(ofCase: caseID).first?.index)
    }

    @Test("the second night verifies only the new entries, from the tree the first recorded, with a consistency proof")
    func secondNightIsIncremental() throws {
        let w = try Self.workspace()
        let verifiedSize = try w.entryCount()
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-03T10:00:00Z").status == 0)
        let night = try Self.reconcile(w, at: Self.night2)
        #expect(night.status == 0, "\(night.stderr)")
        let verification = Self.verification(night.report)
        #expect(verification["mode"] as? String == "incremental", "\(verification)")
        #expect((verification["from"] as? [String: Any])?["size"] as? Int == verifiedSize)
        #expect((verification["consistencyProofHashes"] as? Int ?? 0) > 0)
        let counts = night.report["counts"] as? [String: Any] ?? [:]
        let newEntries = try w.entryCount() - verifiedSize
        #expect(counts["entriesVerified"] as? Int == newEntries, "\(counts)")
        // --full verifies everything, and says so.
        let full = try Self.reconcile(w, at: "2026-11-05T01:00:00Z", "--full")
        #expect(full.status == 0, "\(full.stderr)")
        #expect(Self.verification(full.report)["mode"] as? String == "full")
        #expect(Self.verification(full.report)["reason"] as? String == "--full")
    }

    @Test("an old entry of an untouched case rewritten with its hashes recomputed fails the consistency proof")
    func consistentRewriteIsFound() throws {
        let w = try Self.workspace()
        try Self.rewrite(w, entry: try Self.openEntry(w, "M-2"), consistently: true)
        // Tonight's work touches M-1 only.
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-03T10:00:00Z").status == 0)
        let night = try Self.reconcile(w, at: Self.night2)
        #expect(night.status == 1)
        #expect(Self.verification(night.report)["mode"] as? String == "incremental")
        let problems = Self.problems(night.report).joined(separator: "\n")
        #expect(problems.contains("history was rewritten"), "\(problems)")
        #expect(
            night.report["checkpoint"] == nil || night.report["checkpoint"] is NSNull,
            "no checkpoint vouches for it"
        )
        // A night with nothing new notices it just the same.
        let quiet = try Self.reconcile(w, at: "2026-11-05T01:00:00Z")
        #expect(quiet.status == 1)
        #expect(Self.problems(quiet.report).joined().contains("history was rewritten"))
    }

    @Test("an old entry's bytes changed under its hashes are found when its case is touched, and by --full")
    func bytesChangedUnderHashes() throws {
        let w = try Self.workspace()
        // Today M-1 moves on (so tonight its earlier entries are proved again); M-2 rests. Then
        // the open entries of both are edited under their hashes.
        let attached = try w.cli.run(
            "attach",
            "M-1",
            "valuation=\(ExampleWorkspace.mortgageSamples)/valuation.xml",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            "2026-11-03T10:00:00Z"
        )
        #expect(attached.status == 0, "\(attached.stderr)")
        try Self.rewrite(w, entry: try Self.openEntry(w, "M-1"), consistently: false)
        try Self.rewrite(w, entry: try Self.openEntry(w, "M-2"), consistently: false)
        let night = try Self.reconcile(w, at: Self.night2)
        let problems = Self.problems(night.report)
        let m1 = try Self.openEntry(w, "M-1")
        #expect(night.status == 1)
        #expect(
            problems.contains { $0.contains("entry \(m1): stored bytes do not match the leaf hash") },
            "\(problems)"
        )
        // The whole pass finds both.
        let full = try Self.reconcile(w, at: "2026-11-05T01:00:00Z", "--full")
        let m2 = try Self.openEntry(w, "M-2")
        #expect(full.status == 1)
        #expect(Self.problems(full.report).contains { $0.contains("entry \(m2): stored bytes do not match") })
    }

    @Test("a ledger shorter than the tree verified is reported, and --full accepts it as it stands")
    func shorterLedger() throws {
        let w = try Self.workspace()
        let size = try w.entryCount()
        try w.administer("DELETE FROM entries WHERE idx = \(size - 1); DELETE FROM checkpoints;")
        let night = try Self.reconcile(w, at: Self.night2)
        #expect(night.status == 1)
        #expect(Self.problems(night.report).joined().contains("fewer than the \(size) verified"), "\(night.report)")
        let full = try Self.reconcile(w, at: "2026-11-05T01:00:00Z", "--full")
        #expect(full.status == 0, "\(full.stderr)")
        // Verified as it stands, the shorter log is what the next night goes on from.
        let next = try Self.reconcile(w, at: "2026-11-06T01:00:00Z")
        #expect(next.status == 0, "\(next.stderr)")
        #expect(Self.verification(next.report)["mode"] as? String == "incremental")
    }
}
