import CountersignKit
import Foundation
import TestSupport
import Testing

/// Log times edited behind Countersign's back, a short scenario on the real clock, and the demo on
/// its simulated one.
extension LogTimeTests {
    /// Sets the stored log time of entry `index`.
    static func setLogTime(of index: Int, to time: String, in w: ExampleWorkspace, on store: StoreKind) throws {
        let seconds = Int(try #require(Timestamp.parse(time)).timeIntervalSince1970)
        try w.administer("UPDATE entries SET log_time = \(seconds) WHERE idx = \(index)")
        #expect(try w.store().entry(at: index)?.logTime == Timestamp.parse(time))
    }

    /// `checkpoint --as bank`, saved to `file`.
    @discardableResult
    static func checkpoint(_ w: ExampleWorkspace, to file: String) throws -> Checkpoint {
        let result = try succeed(w, ["checkpoint"] + signer("bank"))
        try result.stdout.write(toFile: w.path(file), atomically: true, encoding: .utf8)
        return try Checkpoint(note: SignedNote(parsing: result.stdout))
    }

    /// `log verify`, expecting a failure that says each of `problems`.
    static func expectVerifyFails(
        _ w: ExampleWorkspace,
        _ problems: [String],
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let verify = try w.cli.run("log", "verify")
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)", sourceLocation: sourceLocation)
        for problem in problems {
            #expect(
                verify.stderr.contains(problem),
                "missing '\(problem)' in: \(verify.stderr)",
                sourceLocation: sourceLocation
            )
        }
    }

    @Test(
        "log times edited in the store — a time moved back, a checkpoint's time changed — fail log verify and the next witness",
        arguments: StoreKind.allCases
    )
    func editedLogTimes(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: ["bank", "lawyer", "registry"], store: store)
        let opened = w.foundingEntries
        #expect(try w.openMortgage("M-1", at: "2026-11-02T09:00:00Z").status == 0)
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        let size = opened + 2
        #expect(try Self.checkpoint(w, to: "cp-a.txt").logTime == Timestamp.parse("2026-11-02T10:00:00Z"))
        // A witness whose clock is behind the log's by more than 5 minutes refuses; on time, it cosigns.
        let early = try w.cli.run(["witness", "cp-a.txt", "--now", "2026-11-02T09:54:59Z"] + Self.signer("registry"))
        #expect(early.status == 1)
        #expect(
            early.stderr.contains(
                "the checkpoint's log time 2026-11-02T10:00:00Z lies ahead of this witness's clock (2026-11-02T09:54:59Z) "
                    + "by more than 5 minutes"
            ),
            "\(early.stderr)"
        )
        try Self.succeed(w, ["witness", "cp-a.txt", "--now", "2026-11-02T11:00:00Z"] + Self.signer("registry"))
        let cosigned = try w.witnessNotes("registry")
        #expect(cosigned.count == 1)
        #expect(try w.sign("M-1", "legal-review", as: "lawyer", at: "2026-11-03T10:00:00Z").status == 0)
        #expect(
            try w.sign(
                "M-1",
                "valuation",
                as: "bank",
                at: "2026-11-04T10:00:00Z",
                "--doc",
                "valuation=\(Self.samples)/valuation.xml"
            ).status == 0
        )
        try Self.succeed(w, ["log", "verify"])

        // The checkpoint's newest entry given another time: the checkpoint no longer matches the log.
        try Self.setLogTime(of: size - 1, to: "2026-11-02T10:30:00Z", in: w, on: store)
        try Self.expectVerifyFails(
            w,
            [
                "checkpoint of size \(size) says its newest entry reached the log at 2026-11-02T10:00:00Z, "
                    + "but the log says 2026-11-02T10:30:00Z"
            ]
        )
        try Self.setLogTime(of: size - 1, to: "2026-11-02T10:00:00Z", in: w, on: store)
        try Self.succeed(w, ["log", "verify"])

        // The stored checkpoint's time line edited: it no longer matches the log, nor its signatures.
        let line = Checkpoint.logTimePrefix
        try w.administer(
            "UPDATE checkpoints SET note = replace(note, '\(line)2026-11-02T10:00:00Z', '\(line)2026-11-02T10:30:00Z') "
                + "WHERE size = \(size)"
        )
        let edited = try #require(try w.store().checkpoints().first { $0.size == size }).note
        #expect(edited.contains("\(line)2026-11-02T10:30:00Z"))
        try Self.expectVerifyFails(
            w,
            [
                "checkpoint of size \(size) says its newest entry reached the log at 2026-11-02T10:30:00Z, "
                    + "but the log says 2026-11-02T10:00:00Z",
                "checkpoint of size \(size): ",
            ]
        )
        try edited.write(toFile: w.path("cp-edited.txt"), atomically: true, encoding: .utf8)
        let forged = try w.cli.run(
            ["witness", "cp-edited.txt", "--now", "2026-11-05T10:00:00Z"] + Self.signer("registry")
        )
        #expect(forged.status == 1)
        #expect(forged.stderr.contains("the note was altered after signing"), "\(forged.stderr)")
        #expect(try w.witnessNotes("registry") == cosigned)
        try w.administer(
            "UPDATE checkpoints SET note = replace(note, '\(line)2026-11-02T10:30:00Z', '\(line)2026-11-02T10:00:00Z') "
                + "WHERE size = \(size)"
        )
        try Self.succeed(w, ["log", "verify"])

        // The newest entry's time moved back, before the checkpoint the witness cosigned.
        let newest = try w.entryCount() - 1
        try Self.setLogTime(of: newest, to: "2026-11-01T00:00:00Z", in: w, on: store)
        try Self.expectVerifyFails(
            w,
            [
                "log verification failed at entry \(newest)",
                "entry \(newest): its log time 2026-11-01T00:00:00Z is earlier than the previous entry's "
                    + "(2026-11-03T10:00:00Z): log times never go back; they were edited",
            ]
        )
        let next = try Self.checkpoint(w, to: "cp-b.txt")
        #expect(next.size == UInt64(newest + 1) && next.logTime == Timestamp.parse("2026-11-01T00:00:00Z"))
        let refused = try w.cli.run(["witness", "cp-b.txt", "--now", "2026-11-05T10:00:00Z"] + Self.signer("registry"))
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(
            refused.stderr.contains(
                "the log's time went back: the checkpoint says 2026-11-01T00:00:00Z, but the one this witness last "
                    + "cosigned said 2026-11-02T10:00:00Z"
            ),
            "\(refused.stderr)"
        )
        #expect(refused.stdout.isEmpty)
        #expect(try w.witnessNotes("registry") == cosigned)
    }

    @Test(
        "a short mortgage case on the real clock, no --now anywhere: log times are the store's clock, checkpointed, witnessed, verified",
        arguments: StoreKind.allCases
    )
    func realClockScenario(store: StoreKind) throws {
        let started = Timestamp.truncated(Date())
        let w = try Self.systemLedger(on: store)
        let opened = try w.entryCount()
        try Self.succeed(w, ["open", "mortgage-approval", "M-1", "--doc", Self.application] + Self.signer("bank"))
        try Self.succeed(w, ["sign", "M-1", "credit-check"] + Self.signer("bank"))
        try Self.succeed(
            w,
            ["sign", "M-1", "valuation", "--doc", "valuation=\(Self.samples)/valuation.xml"] + Self.signer("bank")
        )
        try Self.succeed(w, ["sign", "M-1", "legal-review"] + Self.signer("lawyer"))
        let cp = try Self.checkpoint(w, to: "out/cp.txt")
        try Self.succeed(w, ["witness", "out/cp.txt"] + Self.signer("regulator"))
        let finished = Date()

        // Every log time is the store's clock during this test, never going back.
        let times = try Self.logTimes(w).map { try #require($0, "every entry has a log time") }
        #expect(times.count == opened + 4)
        #expect(times == times.sorted(), "log times never go back: \(times.map(Timestamp.format))")
        for time in times {
            #expect(time >= started && time <= finished, "\(Timestamp.format(time)) is not the real time")
            #expect(abs(time.timeIntervalSince(finished)) < 60)
        }
        #expect(cp.size == UInt64(times.count) && cp.logTime == times.last)

        // Status shows the log times (today's), and nothing about a simulated clock.
        let status = try Self.succeed(w, ["status", "M-1"])
        #expect(status.stdout.contains("Opened by bank at \(Timestamp.format(times[opened]))"), "\(status.stdout)")
        #expect(!status.stdout.contains("prove nothing"), "\(status.stdout)")
        let json = try w.status("M-1", at: Timestamp.format(finished))
        let steps = try #require(json["steps"] as? [[String: Any]])
        let at = Dictionary(uniqueKeysWithValues: steps.map { ($0["id"] as? String ?? "", $0["at"] as? String) })
        #expect(json["openedAt"] as? String == Timestamp.format(times[opened]))
        #expect(at["credit-check"] == Timestamp.format(times[opened + 1]))
        #expect(at["valuation"] == Timestamp.format(times[opened + 2]))
        #expect(at["legal-review"] == Timestamp.format(times[opened + 3]))

        try Self.succeed(w, ["log", "verify"])
        try Self.succeed(w, ["bundle", "M-1"])
        let verified = try Self.succeed(w, ["verify-bundle", "out/bundles/M-1"])
        #expect(verified.stdout.contains("bundle verified"), "\(verified.stdout)")
        #expect(!verified.stdout.contains("prove nothing"), "\(verified.stdout)")
    }

    @Test("the demo runs on a simulated-clock ledger and moves through two years in seconds")
    func demo() throws {
        let w = try ExampleWorkspace(keysFor: [], founded: false)
        let started = Date()
        let demo = try w.cli.run("demo")
        #expect(Date().timeIntervalSince(started) < 60, "in seconds")
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("log verified: "), "\(demo.stdout.suffix(2_000))\(demo.stderr)")
        #expect(demo.stdout.contains("--clock simulated"))
        #expect(demo.stdout.contains("This ledger's clock is simulated (a demo or test): its times prove nothing."))
        #expect(
            demo.stdout.contains(
                "note: governance: this ledger's clock is simulated (a demo or test): its times prove nothing"
            )
        )
        #expect(demo.stdout.contains("expired L-4521-QLD-002214"), "the unclaimed prize expires two years on")

        let store = try SQLiteLedgerStore(path: w.path("out/demo/out/ledger.sqlite"))
        var times: [Date] = []
        try store.forEachEntry(in: 0..<store.size()) { times.append($0.logTime ?? .distantPast) }
        #expect(times == times.sorted(), "log times never go back")
        #expect(times.first == Timestamp.parse("2026-11-01T08:00:00Z"))
        #expect(try #require(times.last) >= #require(Timestamp.parse("2028-11-22T00:00:00Z")), "two years on")
        let folder = w.path("out/demo/out")
        let reports =
            try FileManager.default.contentsOfDirectory(atPath: "\(folder)/reports").sorted().map {
                "reports/\($0)"
            }
            + FileManager.default.contentsOfDirectory(atPath: "\(folder)/bundles").sorted().map {
                "bundles/\($0)/data/report.html"
            }
        #expect(reports.count > 2)
        for report in reports {
            let text = try String(contentsOfFile: "\(folder)/\(report)", encoding: .utf8)
            #expect(text.contains("simulated"), "\(report) does not say so")
        }
    }
}
