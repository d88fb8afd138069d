import CountersignKit
import Foundation
import TestSupport
import Testing

/// VERIFY.md's case-head section (9) alone, with the shared functions of section 1, on a folder
/// shaped like a bag: entries made here (a payload naming the case and a decision; their signatures
/// play no part in the section), a checkpoint whose `countersign.dev/case-map` line is the root
/// `IndependentCaseMap` computes over the case and three others, and the case's proof from it.
/// The checkpoint's signature is irrelevant to this section, so it is random bytes.
@Suite("VERIFY.md's case-head section: the proof folds to the checkpoint's map, and its head is the bag's")
struct VerifyGuideCaseHeadTests {
    typealias Head = IndependentCaseMap.Head

    static let caseID = "S-1"
    static let origin = "example.org/log"

    /// Three other cases of the log (heads: the SHA-256 of "a", "b", "c").
    static let others = [
        Head(caseID: "A-1", count: 3, headLeafHex: PlainSHA256.hex(Array("a".utf8)), outcome: "open"),
        Head(caseID: "A-3", count: 1, headLeafHex: PlainSHA256.hex(Array("b".utf8)), outcome: "rejected"),
        Head(caseID: "A-6", count: 12, headLeafHex: PlainSHA256.hex(Array("c".utf8)), outcome: "completed"),
    ]

    /// A case that opened, passed two steps and completed with an automatic one.
    static let completed = [("open", "open"), ("review", "approve"), ("sign-off", "approve"), ("release", "auto")]

    /// The case-head section and the functions it uses, as `VerifyGuide` writes them.
    static func script() throws -> String {
        let folder = TemporaryDirectory()
        let file = folder.url.appendingPathComponent("pipeline.yaml")
        try Data(
            "pipeline: sample\ntitle: A sample\nopened-by: [clerk]\norchestrator: clerk\nsteps:\n  - id: review\n    by: clerk\n"
                .utf8
        ).write(to: file)
        let guide = VerifyGuide.markdown(
            caseID: caseID,
            pipeline: try Pipeline(contentsOf: file, parties: ["clerk"]),
            checkpoint: try Checkpoint(origin: origin, size: 40, rootHash: SHA256.hash([]), logTime: nil),
            entries: completed.count,
            governanceEntries: 1,
            genesis: nil
        )
        return VerifyGuideScript(markdown: guide).script(section: VerifyGuideScript.caseHeadSection)
    }

    /// A bag-shaped folder for the section, and what was written into it.
    struct Bag {
        let folder = TemporaryDirectory()
        /// The case's head as the map holds it.
        var head: Head
        var checkpoint: String
        var proof: String
        var url: URL { folder.url }

        /// Writes the case's entries, one per `(step, decision)` at log indexes 20 onwards (their
        /// predicates name `entryCase`, default the case), then a checkpoint and a proof for the map
        /// over `others` and the case's head: its real count, newest leaf and `outcome`, changed by
        /// `mapHead` before the map is made. Without `mapLine` the checkpoint has no case-map line.
        init(
            decisions: [(String, String)] = completed,
            outcome: String = "completed",
            entryCase: (Int) -> String = { _ in caseID },
            mapLine: Bool = true,
            mapHead: (inout Head) -> Void = { _ in }
        ) throws {
            let entries = folder.url.appendingPathComponent("data/entries")
            try FileManager.default.createDirectory(at: entries, withIntermediateDirectories: true)
            var newest: [UInt8] = []
            for (number, (step, decision)) in decisions.enumerated() {
                let payload =
                    #"{"_type":"https://in-toto.io/Statement/v1","predicate":{"case":"\#(entryCase(number))","#
                    + #""step":"\#(step)","decision":"\#(decision)","party":"clerk"}}"#
                newest = DSSEWriter().envelope(
                    payloadType: "application/vnd.in-toto+json",
                    payload: Array(payload.utf8),
                    signatures: [.init(bytes: Self.randomBytes(64), keyID: .absent)]
                )
                try Data(newest).write(
                    to: entries.appendingPathComponent(String(format: "%08d.dsse.json", 20 + number))
                )
            }
            head = Head(
                caseID: caseID,
                count: decisions.count,
                headLeafHex: PlainSHA256.hex([0] + newest),
                outcome: outcome
            )
            mapHead(&head)
            let heads = others + [head]
            let root = Data(IndependentCaseMap.root(of: heads)).base64EncodedString()
            let siblings = try #require(IndependentCaseMap.proof(for: caseID, in: heads))
            #expect(!siblings.isEmpty, "the case shares the map with others: its path has siblings")
            checkpoint =
                "\(origin)\n40\n\(Data(Self.randomBytes(32)).base64EncodedString())\n"
                + "countersign.dev/log-time 2026-11-07T10:00:00Z\n"
                + (mapLine ? "countersign.dev/case-map \(root)\n" : "")
                + "\n— \(origin) \(Data(Self.randomBytes(68)).base64EncodedString())\n"
            proof = IndependentCaseMap.proofFile(for: head, siblings: siblings, checkpoint: checkpoint)
            try Data(checkpoint.utf8).write(to: folder.url.appendingPathComponent("data/checkpoint.txt"))
            try Data(proof.utf8).write(to: folder.url.appendingPathComponent("data/case-head.proof"))
        }

        func write(_ text: String, to path: String) throws {
            try Data(text.utf8).write(to: url.appendingPathComponent(path))
        }

        /// Replaces the first `old` in the proof file with `new`.
        func editProof(_ old: String, _ new: String) throws {
            let range = try #require(proof.range(of: old), "\(old) is not in the proof")
            try write(proof.replacingCharacters(in: range, with: new), to: "data/case-head.proof")
        }

        func run() throws -> VerifyGuideScript.Run {
            try VerifyGuideScript.run(try VerifyGuideCaseHeadTests.script(), in: url)
        }

        static func randomBytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255) } }
    }

    static func failures(_ run: VerifyGuideScript.Run) -> [Substring] { run.lines.filter { $0.hasPrefix("FAILED: ") } }

    @Test("a good proof: it leads to the map root, the bag holds every entry up to the head, the outcome fits")
    func good() throws {
        let bag = try Bag()
        let run = try bag.run()
        #expect(run.status == 0, "\(run.output)")
        #expect(Self.failures(run).isEmpty, "\(run.output)")
        #expect(
            run.lines == [
                "OK: data/case-head.proof leads from the head of case S-1 (4 entries, outcome completed) to the "
                    + "case-map root of the log's tree of 40 entries",
                "OK: the bag holds all 4 entries of case S-1 in the log's tree of 40 entries, the newest "
                    + "data/entries/00000023.dsse.json",
                "OK: the log says the case is completed; its newest entry, release auto, agrees",
            ],
            "\(run.output)"
        )
    }

    @Test(
        "the newest entry's decision must fit the outcome the map states",
        arguments: [
            ("completed", "approve", true), ("rejected", "reject", true), ("expired", "expire", true),
            ("withdrawn", "withdraw", true), ("open", "approve", true), ("open", "attach", true),
            ("open", "reject", true), ("rejected", "approve", false), ("completed", "reject", false),
            ("completed", "attach", false), ("expired", "withdraw", false), ("open", "expire", false),
            ("open", "withdraw", false),
        ]
    )
    func outcomes(outcome: String, decision: String, fits: Bool) throws {
        let bag = try Bag(decisions: [("open", "open"), ("last", decision)], outcome: outcome)
        let run = try bag.run()
        let agrees = "OK: the log says the case is \(outcome); its newest entry, last \(decision), agrees"
        let disagrees =
            "FAILED: the log says the case is \(outcome), but its newest entry data/entries/00000021.dsse.json is "
            + "last \(decision)"
        #expect(run.lines.last.map(String.init) == (fits ? agrees : disagrees), "\(run.output)")
        #expect(Self.failures(run).count == (fits ? 0 : 1), "\(run.output)")
    }

    @Test("a proof changed after the map was made leads elsewhere: a sibling, the count, the head, the outcome")
    func changedProof() throws {
        let bag = try Bag()
        let firstSibling = try #require(bag.proof.split(separator: "\n").dropFirst(5).first)
        var flipped = Array(Data(base64Encoded: String(firstSibling))!)
        flipped[0] ^= 1
        let head = bag.head.headLeafHex
        for (old, new) in [
            (String(firstSibling), Data(flipped).base64EncodedString()), ("count 4\n", "count 3\n"),
            ("head \(head)", "head \(String(head.reversed()))"), ("outcome completed", "outcome open"),
        ] {
            try bag.write(bag.proof, to: "data/case-head.proof")
            try bag.editProof(old, new)
            let run = try bag.run()
            #expect(
                run.lines == [
                    "FAILED: data/case-head.proof does not lead from the head of case S-1 to the case-map root of "
                        + "data/checkpoint.txt"
                ],
                "\(old) → \(new): \(run.output)"
            )
        }
    }

    @Test("a map whose head is not the bag's: a missing entry, a later head, another case's entry")
    func wrongHead() throws {
        let missing = try Bag(mapHead: { $0.count += 1 })
        let first = try missing.run()
        #expect(
            Self.failures(first) == [
                "FAILED: the bag holds 4 entries of case S-1, but the case had 5 in the log's tree of 40 entries"
            ],
            "\(first.output)"
        )
        let later = try Bag(mapHead: { $0.headLeafHex = PlainSHA256.hex(Array("later".utf8)) })
        let second = try later.run()
        #expect(
            Self.failures(second) == [
                "FAILED: data/entries/00000023.dsse.json, the bag's newest entry, is not the head of case S-1 in the "
                    + "log's tree of 40 entries"
            ],
            "\(second.output)"
        )
        let mixed = try Bag(entryCase: { $0 == 2 ? "S-2" : Self.caseID })
        let third = try mixed.run()
        #expect(
            Self.failures(third) == ["FAILED: entries of another case than S-1: data/entries/00000022.dsse.json"],
            "\(third.output)"
        )
    }

    @Test("no proof, no case-map line, or a proof of another checkpoint: FAILED")
    func missing() throws {
        let bag = try Bag()
        try FileManager.default.removeItem(at: bag.url.appendingPathComponent("data/case-head.proof"))
        #expect(
            try bag.run().lines == [
                "FAILED: data/case-head.proof is missing: nothing shows that the bag holds the whole case"
            ]
        )
        let unmapped = try Bag(mapLine: false)
        #expect(
            try unmapped.run().lines == [
                "FAILED: data/checkpoint.txt has no countersign.dev/case-map line: it commits to no case's head"
            ]
        )
        let other = try Bag()
        try other.editProof("\n40\n", "\n41\n")
        #expect(try other.run().lines == ["FAILED: data/case-head.proof: its checkpoint is not data/checkpoint.txt"])
    }

    @Test(
        "a malformed value in the proof is refused before use: nothing runs, FAILED names the file and ends the checks",
        arguments: [
            ("case S-1\n", "case $(touch CANARY)\n", "the case line"),
            ("case S-1\n", "case S-1`touch CANARY`\n", "the case line"),
            ("case S-1\n", "case S-1;touch CANARY\n", "the case line"),
            ("count 4\n", "count $(( $(touch CANARY) ))\n", "the count line"),
            ("count 4\n", "count $((1+3))\n", "the count line"),
            ("count 4\n", "count 99999999999999999999\n", "the count line"),
            ("count 4\n", "count 04\n", "the count line"),
            ("head ", "head $(touch CANARY)", "the head line"),
            ("outcome completed\n", "outcome completed;touch CANARY\n", "the outcome line"),
            ("outcome completed\n", "outcome completed\n$(touch CANARY)\n", "a sibling line"),
            ("outcome completed\n", "outcome completed\nAAAA\n", "a sibling line"),
            (
                "outcome completed\n", "outcome completed\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!=\n",
                "a sibling line"
            ),
            ("countersign.dev/case-head-proof/v1\n", "countersign.dev/case-head-proof/v2\n", "the first line"),
        ]
    )
    func hostile(old: String, new: String, what: String) throws {
        let bag = try Bag()
        let canary = bag.folder.path("CANARY")
        try bag.editProof(old, new.replacingOccurrences(of: "CANARY", with: canary))
        let run = try bag.run()
        #expect(run.status == 1, "\(run.output)")
        #expect(
            run.firstFailure?.hasPrefix("FAILED: data/case-head.proof: \(what) is malformed: ") == true,
            "\(run.output)"
        )
        #expect(run.lines.filter { $0.hasPrefix("OK: ") }.isEmpty, "\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: canary))
    }
}
