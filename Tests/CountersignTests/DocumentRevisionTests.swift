import CountersignKit
import Foundation
import TestSupport
import Testing

/// Who may bring a newer version of a document (`produces`, `revised-by`), and what a newer version
/// does to a quorum's count: the approvals on the older one stop counting, and status says whose.
@Suite("Document revisions: revised-by, and approvals on an older version no longer counting")
struct DocumentRevisionTests {
    static let parties = ["bank", "lawyer", "director-a", "director-b", "director-c"]

    /// A board adopts a resolution by two of three votes; a memo the lawyer may revise.
    static let pipelines = [
        (
            "resolution",
            """
            pipeline: resolution
            title: A resolution the board adopts by two votes
            version: "1"
            opened-by: [bank]
            orchestrator: bank
            documents:
              resolution: {}
            steps:
              - id: adopt
                by: { quorum: 2, of: [director-a, director-b, director-c] }
                produces: [resolution]

            """
        ),
        (
            "memo",
            """
            pipeline: memo
            title: A memo the lawyer may revise before the bank approves it
            version: "1"
            opened-by: [bank]
            orchestrator: bank
            documents:
              memo: { revised-by: [review] }
            steps:
              - id: review
                by: lawyer
              - id: approve
                by: bank
                after: [review]
                needs: [memo]

            """
        ),
    ]

    static func workspace(_ store: StoreKind) throws -> ExampleWorkspace {
        let w = try ExampleWorkspace(keysFor: Self.parties, store: store)
        for (name, text) in Self.pipelines {
            try text.write(toFile: w.path("pipelines/\(name).yaml"), atomically: true, encoding: .utf8)
            let proposed = try w.cli.run(
                "propose",
                "pipelines/\(name).yaml",
                "--as",
                "bank",
                "--key",
                "out/keys/bank.pem",
                "--now",
                "2026-11-01T00:00:00Z"
            )
            #expect(proposed.status == 0, "\(proposed.stderr)")
        }
        for (name, text) in [("v1", "first draft"), ("v2", "amended"), ("memo1", "memo"), ("memo2", "memo, revised")] {
            try "<text>\(text)</text>\n".write(toFile: w.path("\(name).xml"), atomically: true, encoding: .utf8)
        }
        return w
    }

    func run(_ w: ExampleWorkspace, _ arguments: String...) throws -> CLI.Result {
        try w.cli.run(arguments)
    }

    @Test(
        "a newer resolution restarts the board's count: status names the stale approval, which must be given again",
        arguments: StoreKind.allCases
    )
    func staleApprovals(store: StoreKind) throws {
        let w = try Self.workspace(store)
        let opened = try run(
            w,
            "open",
            "resolution",
            "R-1",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            "2026-11-02T09:00:00Z"
        )
        #expect(opened.status == 0, "\(opened.stderr)")
        let first = try w.sign(
            "R-1",
            "adopt",
            as: "director-a",
            at: "2026-11-02T10:00:00Z",
            "--doc",
            "resolution=v1.xml"
        )
        #expect(first.status == 0, "\(first.stderr)")
        let amended = try run(
            w,
            "attach",
            "R-1",
            "resolution=v2.xml",
            "--as",
            "director-b",
            "--key",
            "out/keys/director-b.pem",
            "--now",
            "2026-11-02T11:00:00Z"
        )
        #expect(
            amended.status == 0,
            "a signer of the producing step may amend it before the step is decided: \(amended.stderr)"
        )

        let steps = try w.status("R-1", at: "2026-11-02T12:00:00Z")["steps"] as! [[String: Any]]
        let adopt = try #require(steps.first { $0["id"] as? String == "adopt" })
        #expect(adopt["staleApprovals"] as? [String] == ["director-a"], "\(adopt)")
        #expect(adopt["status"] as? String == "ready")
        let text = try run(w, "status", "R-1", "--now", "2026-11-02T12:00:00Z")
        #expect(
            text.stdout.contains("approved an older version of its documents (no longer counts): director-a"),
            "\(text.stdout)"
        )

        // director-b's approval and director-a's again, both on the amended resolution, adopt it.
        #expect(try w.sign("R-1", "adopt", as: "director-b", at: "2026-11-02T13:00:00Z").status == 0)
        #expect(try w.stepStatus("R-1", "adopt", at: "2026-11-02T13:30:00Z") == "ready")
        let again = try w.sign("R-1", "adopt", as: "director-a", at: "2026-11-02T14:00:00Z")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try w.status("R-1", at: "2026-11-02T15:00:00Z")["state"] as? String == "completed")
        // Decided, the resolution is frozen.
        try w.expectRefusal(["the case is completed"]) {
            try run(
                w,
                "attach",
                "R-1",
                "resolution=v1.xml",
                "--as",
                "director-c",
                "--key",
                "out/keys/director-c.pem",
                "--now",
                "2026-11-02T16:00:00Z"
            )
        }
    }

    @Test(
        "revised-by names who may bring a newer version: the lawyer may, the bank whose step needs it may not",
        arguments: StoreKind.allCases
    )
    func revisedBy(store: StoreKind) throws {
        let w = try Self.workspace(store)
        let opened = try run(
            w,
            "open",
            "memo",
            "N-1",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--now",
            "2026-11-02T09:00:00Z",
            "--doc",
            "memo=memo1.xml"
        )
        #expect(opened.status == 0, "\(opened.stderr)")
        try w.expectRefusal([
            "'bank' may not attach a newer version of document 'memo': only a signer of step 'review' may"
        ]) {
            try run(
                w,
                "attach",
                "N-1",
                "memo=memo2.xml",
                "--as",
                "bank",
                "--key",
                "out/keys/bank.pem",
                "--now",
                "2026-11-02T10:00:00Z"
            )
        }
        let revised = try w.sign("N-1", "review", as: "lawyer", at: "2026-11-02T11:00:00Z", "--doc", "memo=memo2.xml")
        #expect(revised.status == 0, "the step revised-by names may attach a newer version: \(revised.stderr)")
        let documents = try w.status("N-1", at: "2026-11-02T12:00:00Z")["documents"]
        #expect("\(documents ?? "")".contains("lawyer"), "the memo is now the lawyer's version: \(documents ?? "")")
        #expect(try w.sign("N-1", "approve", as: "bank", at: "2026-11-02T13:00:00Z").status == 0)
        // The approval rests on the memo: it is frozen now, even for the reviser.
        try w.expectRefusal(["the case is completed"]) {
            try run(
                w,
                "attach",
                "N-1",
                "memo=memo1.xml",
                "--as",
                "lawyer",
                "--key",
                "out/keys/lawyer.pem",
                "--now",
                "2026-11-02T14:00:00Z"
            )
        }
    }
}
