import CountersignKit
import Foundation
import TestSupport
import Testing

/// Issue 14's batched ingest: envelopes are appended many to a transaction, yet each is decided
/// exactly as one `submit` would decide it, in inbox order.
@Suite("reconcile appends the inbox in batches, each envelope decided as submit would")
struct InboxBatchTests {
    @Test("two envelopes of one case, a copy, and a damaged one in one batch: each gets its own outcome, in order")
    func mixedBatch() throws {
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer"])
        #expect(try w.openMortgage("M-1").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        // Valuation and legal review are both ready after the credit check: signed offline apart.
        let valuation = try w.sign(
            "M-1",
            "valuation",
            as: "bank",
            at: "2026-11-02T11:00:00Z",
            "--doc",
            "valuation=\(ExampleWorkspace.mortgageSamples)/valuation.xml",
            "--offline",
            "out/inbox/4-valuation.json"
        )
        #expect(valuation.status == 0, "\(valuation.stderr)")
        let legal = try w.sign(
            "M-1",
            "legal-review",
            as: "lawyer",
            at: "2026-11-02T11:05:00Z",
            "--offline",
            "out/inbox/1-legal.json"
        )
        #expect(legal.status == 0, "\(legal.stderr)")
        let files = FileManager.default
        try files.copyItem(atPath: w.path("out/inbox/1-legal.json"), toPath: w.path("out/inbox/2-copy.json"))
        var damaged = Array(try Data(contentsOf: URL(fileURLWithPath: w.path("out/inbox/4-valuation.json"))))
        let signature = try #require(String(decoding: damaged, as: UTF8.self).range(of: "\"sig\":\""))
        let at = String(decoding: damaged, as: UTF8.self).utf8.distance(
            from: String(decoding: damaged, as: UTF8.self).utf8.startIndex,
            to: signature.upperBound
        )
        damaged[at] = damaged[at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        try Data(damaged).write(to: URL(fileURLWithPath: w.path("out/inbox/3-damaged.json")))
        let before = try w.entryCount()

        let night = try w.cli.run(
            "reconcile",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            "2026-11-03T01:00:00Z",
            "--json"
        )
        #expect(night.status == 1, "the damaged one is a problem")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(night.stdout.utf8)) as? [String: Any])
        let inbox = try #require(report["inbox"] as? [[String: Any]])
        #expect(
            inbox.map { $0["file"] as? String } == [
                "1-legal.json", "2-copy.json", "3-damaged.json", "4-valuation.json",
            ]
        )
        #expect(
            inbox.map { $0["outcome"] as? String } == ["accepted", "already accepted", "refused", "accepted"],
            "\(inbox)"
        )
        let indexes = inbox.compactMap { $0["entry"] as? Int }
        #expect(indexes == [before, before + 1], "appended in inbox order: \(indexes)")
        #expect(try w.entryCount() >= before + 2)
        #expect(try w.stepStatus("M-1", "legal-review", at: "2026-11-03T01:00:00Z") == "done")
        #expect(try w.stepStatus("M-1", "valuation", at: "2026-11-03T01:00:00Z") == "done")
        // Nothing lost: four files in, four filed.
        let accepted = try files.contentsOfDirectory(atPath: w.path("out/inbox/accepted")).filter {
            $0.hasSuffix(".json")
        }
        let refused = try files.contentsOfDirectory(atPath: w.path("out/inbox/refused")).filter {
            $0.hasSuffix(".json")
        }
        #expect(accepted.count == 3 && refused.count == 1, "\(accepted) \(refused)")
        #expect(try w.cli.run("log", "verify").status == 0)
    }
}
