import CountersignKit
import Foundation
import TestSupport
import Testing

/// `notices`, `reconcile --notify`, the `status` filters, `log show` and `export`, on the dry-run
/// scenario at its later time: M-3's legal review overdue, L-2 expiring within 30 days, M-2 past
/// its window.
@Suite("notices and queries")
struct NoticesCommandTests {
    static let later = DryRunTests.later

    static func lines(_ result: CLI.Result) -> [String] {
        result.stdout.split(separator: "\n").map(String.init)
    }

    @Test("notices lists overdue steps with how late and expiring cases, and writes nothing")
    func notices() throws {
        let w = try DryRunTests.scenario(.sqlite)
        let before = try w.cli.run("log", "verify").stdout
        let json = try DryRunTests.json(try w.cli.run("notices", "--now", Self.later, "--json"))
        #expect(json["now"] as? String == Self.later)
        let parties = try #require(json["parties"] as? [[String: Any]])
        let waiting = parties.flatMap { party in
            (party["waiting"] as? [[String: Any]] ?? []).map { (party["party"] as! String, $0) }
        }
        let overdue = waiting.filter { $0.1["case"] as? String == "M-3" && $0.1["step"] as? String == "legal-review" }
        #expect(!overdue.isEmpty)
        for (party, item) in overdue {
            #expect(item["overdue"] as? Bool == true)
            #expect(item["dueAt"] as? String == "2027-04-15T10:00:00Z")
            // From the due time to `later`: 46 days and 14 hours.
            #expect(item["overdueSeconds"] as? Int == 46 * 86_400 + 14 * 3_600)
            #expect((item["waitingOn"] as? [String])?.contains(party) == true)
        }
        let expiring = parties.flatMap { ($0["expiring"] as? [[String: Any]] ?? []).map { $0["case"] as? String } }
        #expect(expiring.contains("L-2"))
        let l2 = try #require(
            parties.flatMap { $0["expiring"] as? [[String: Any]] ?? [] }.first { $0["case"] as? String == "L-2" }
        )
        #expect(l2["notice"] as? String == "30d" && l2["secondsLeft"] as? Int == 14 * 86_400 + 12 * 3_600)
        // Read-only: the log is as it was (nothing fired, nothing expired).
        #expect(try w.cli.run("log", "verify").stdout == before)

        let text = try w.cli.run("notices", "--now", Self.later)
        #expect(text.status == 0)
        #expect(text.stdout.contains("M-3 legal-review (mortgage-approval): ready since"))
        #expect(text.stdout.contains("overdue by 46 days"))
        #expect(text.stdout.contains("L-2 (lotto-claim): expires 2027-06-15T12:00:00Z, 14 days left (notice 30d)"))
        // M-2 is past its window: the next advance expires it.
        #expect(
            text.stdout.contains(
                "M-2 (mortgage-approval): its window ended 2027-05-01T09:00:00Z; the next advance expires it"
            )
        )
        // A party with nothing waiting says so; an unknown party is a usage error.
        let bank = try DryRunTests.json(
            try w.cli.run("notices", "--party", "bank", "--now", "2026-01-01T00:00:00Z", "--json")
        )
        #expect((bank["parties"] as? [[String: Any]])?.map { $0["party"] as? String } == ["bank"])
        let unknown = try w.cli.run("notices", "--party", "nobody")
        #expect(unknown.status == 2 && unknown.stderr.contains("no party 'nobody'"))
    }

    @Test("status filters narrow the list, combine, and refuse a case id or a bad value")
    func statusFilters() throws {
        let w = try DryRunTests.scenario(.sqlite)
        func cases(_ arguments: String...) throws -> [String] {
            let result = try w.cli.run(["status", "--now", Self.later, "--json"] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            let list = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
            return list.compactMap { $0["case"] as? String }.sorted()
        }
        let all = try cases()
        #expect(all.contains("M-3") && all.contains("L-2"))
        #expect(try cases("--overdue") == ["M-3"])
        #expect(try cases("--pipeline", "lotto-claim").allSatisfy { $0.hasPrefix("L-") })
        #expect(try cases("--expiring", "30").contains("L-2"))
        #expect(try !cases("--expiring", "30").contains("M-3"))
        #expect(try cases("--state", "completed").isEmpty || !(try cases("--state", "completed").contains("M-3")))
        #expect(try cases("--overdue", "--pipeline", "lotto-claim").isEmpty)
        #expect(try cases("--party", "lawyer").contains("M-3"))
        let both = try w.cli.run("status", "M-3", "--overdue")
        #expect(both.status == 2 && both.stderr.contains("give no CASE"))
        let bad = try w.cli.run("status", "--state", "finished")
        #expect(bad.status == 2 && bad.stderr.contains("--state expects"))
        #expect(try w.cli.run("status", "--overdue", "--pipeline", "lotto-claim").stdout.contains("no case matches"))
    }

    @Test("log show decodes one entry; export streams every entry from --since as JSON lines that match it")
    func logShowAndExport() throws {
        let w = try DryRunTests.scenario(.sqlite)
        let first = try DryRunTests.json(try w.cli.run("log", "show", "0"))
        #expect(first["index"] as? Int == 0)
        let envelope = try #require(Data(base64Encoded: first["envelope"] as? String ?? ""))
        #expect(MerkleHash.leaf(Array(envelope)).base64 == first["leafHash"] as? String)
        #expect((first["statement"] as? [String: Any])?["_type"] as? String == "https://in-toto.io/Statement/v1")
        let past = try w.cli.run("log", "show", "100000")
        #expect(past.status == 2 && past.stderr.contains("is not in the log"))

        let everything = Self.lines(try w.cli.run("export"))
        let tail = try w.cli.run("export", "--since", "3", "--json")
        #expect(tail.status == 0)
        let tailLines = Self.lines(tail)
        #expect(tailLines.count == everything.count - 3)
        #expect(Array(everything.dropFirst(3)) == tailLines)
        for (offset, line) in everything.enumerated() {
            let entry = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(entry["index"] as? Int == offset)
        }
        let shown = try DryRunTests.json(try w.cli.run("log", "show", "\(everything.count - 1)"))
        let last = try JSONSerialization.jsonObject(with: Data(everything.last!.utf8)) as? [String: Any]
        #expect(last?["leafHash"] as? String == shown["leafHash"] as? String)
        #expect(try w.cli.run("export", "--since", "\(everything.count + 1)").status == 2)
    }

    @Test(
        "reconcile --notify gives each party its notices on stdin; a failing hook is a problem, not the end of the night"
    )
    func notify() throws {
        let w = try DryRunTests.scenario(.sqlite)
        let hook = "cat > \(w.path("notified"))-$COUNTERSIGN_PARTY.json"
        let night = try DryRunTests.json(
            try w.cli.run("reconcile", "--now", Self.later, "--notify", hook, "--json"),
            status: 1  // the scenario's junk inbox file
        )
        let notifications = try #require(night["notifications"] as? [[String: Any]])
        #expect(!notifications.isEmpty && notifications.allSatisfy { $0["ok"] as? Bool == true })
        for item in notifications {
            let party = try #require(item["party"] as? String)
            let data = try Data(contentsOf: URL(fileURLWithPath: w.path("notified-\(party).json")))
            let told = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(told["party"] as? String == party)
            let count = (told["waiting"] as? [Any] ?? []).count + (told["expiring"] as? [Any] ?? []).count
            #expect(count == item["notices"] as? Int && count > 0)
        }
        // A hook that fails: reported per party, the night still signs its checkpoint.
        let failing = try DryRunTests.json(
            try w.cli.run(
                "reconcile",
                "--now",
                "2027-06-02T00:00:00Z",
                "--notify",
                "echo mail down >&2; exit 7",
                "--json"
            ),
            status: 1
        )
        let failed = try #require(failing["notifications"] as? [[String: Any]])
        #expect(!failed.isEmpty && failed.allSatisfy { $0["ok"] as? Bool == false })
        #expect((failed.first?["failure"] as? String)?.contains("exited 7: mail down") == true)
        let problems = failing["problems"] as? [String] ?? []
        #expect(problems.contains { $0.hasPrefix("--notify for ") })
        #expect(failing["checkpoint"] is String)
    }
}
