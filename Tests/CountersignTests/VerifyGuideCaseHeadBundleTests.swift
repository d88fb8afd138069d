import CountersignKit
import Foundation
import TestSupport
import Testing

/// VERIFY.md's case-head section (9) on real bundles, every section run: on the bundle as
/// `countersign bundle` writes it, and on one whose checkpoint the test re-signs with the log's and
/// the witness's keys over a case map `IndependentCaseMap` computes, with the case's proof from it.
@Suite("VERIFY.md's case-head section end to end: a bag missing its last entries fails it")
struct VerifyGuideCaseHeadBundleTests {
    typealias Head = IndependentCaseMap.Head

    /// The section's OK lines for the fixture's case, completed in 9 entries.
    static func caseHeadLines(size: Int) -> [String] {
        [
            "OK: data/case-head.proof leads from the head of case M-2 (9 entries, outcome completed) to the case-map "
                + "root of the log's tree of \(size) entries",
            "OK: the bag holds all 9 entries of case M-2 in the log's tree of \(size) entries, the newest ",
            "OK: the log says the case is completed; its newest entry, funds-release auto, agrees",
        ]
    }

    /// The case's head as the log holds it: its 9 entries, the newest's leaf hash, completed.
    static func head(_ fixture: BundleFixture) throws -> Head {
        let entries = try fixture.example.store().entries(ofCase: BundleFixture.caseID)
        let newest = try #require(entries.last)
        return Head(
            caseID: BundleFixture.caseID,
            count: entries.count,
            headLeafHex: PlainSHA256.hex([0] + newest.envelope),
            outcome: "completed"
        )
    }

    @Test("the bundle's own data/case-head.proof passes VERIFY.md and folds, in IndependentCaseMap, to the map root")
    func bundledProof() throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let script = try VerifyGuideScript(bag: fixture.bundle).script()
        let file = fixture.bundle.appendingPathComponent("data/case-head.proof")
        #expect(FileManager.default.fileExists(atPath: file.path), "bundles carry the case's head proof")
        let run = try VerifyGuideScript.run(script, in: fixture.bundle)
        let size = try fixture.caseIndexes().last! + 1
        #expect(run.status == 0 && run.firstFailure == nil, "\(run.output)")
        for line in Self.caseHeadLines(size: size) {
            #expect(run.lines.contains { $0.hasPrefix(line) }, "missing '\(line)' in:\n\(run.output)")
        }
        // The proof's header is the case's head as the log holds it, and its siblings fold that
        // head to the root on the checkpoint's case-map line.
        let text = try String(contentsOf: file, encoding: .utf8)
        let parts = text.components(separatedBy: "\n\n")
        let lines = parts[0].split(separator: "\n").map(String.init)
        let head = try Self.head(fixture)
        #expect(
            Array(lines.prefix(5)) == [
                "countersign.dev/case-head-proof/v1", "case \(head.caseID)", "count \(head.count)",
                "head \(head.headLeafHex)", "outcome \(head.outcome)",
            ]
        )
        let siblings = try lines.dropFirst(5).map { try #require(Data(base64Encoded: $0)).map { $0 } }
        let checkpoint = try String(
            contentsOf: fixture.bundle.appendingPathComponent("data/checkpoint.txt"),
            encoding: .utf8
        )
        #expect(text.hasSuffix("\n\n" + checkpoint))
        let mapLine = try #require(
            checkpoint.split(separator: "\n").first { $0.hasPrefix("countersign.dev/case-map ") }
        )
        let root = try #require(Data(base64Encoded: String(mapLine.dropFirst("countersign.dev/case-map ".count))))
        #expect(IndependentCaseMap.fold(head, siblings: siblings) == Array(root))
    }

    /// Re-signs the bag's checkpoint with a case-map line over `head` and two other cases, as the
    /// log signer (the bank) and the witness (the regulator); puts it in every proof and writes the
    /// case's proof; re-makes the manifests.
    static func mapCheckpoint(of bag: URL, head: Head, fixture: BundleFixture) throws {
        let note = try SignedNote(
            parsing: Array(try Data(contentsOf: bag.appendingPathComponent("data/checkpoint.txt")))
        )
        let checkpoint = try Checkpoint(note: note)
        let heads = [
            head, Head(caseID: "M-7", count: 2, headLeafHex: PlainSHA256.hex(Array("seven".utf8)), outcome: "open"),
            Head(caseID: "M-8", count: 5, headLeafHex: PlainSHA256.hex(Array("eight".utf8)), outcome: "expired"),
        ]
        let root = Data(IndependentCaseMap.root(of: heads)).base64EncodedString()
        let mapped = try Checkpoint(
            origin: checkpoint.origin,
            size: checkpoint.size,
            rootHash: checkpoint.rootHash,
            extensions: checkpoint.extensions.filter { !$0.hasPrefix("countersign.dev/case-map ") }
                + ["countersign.dev/case-map \(root)"]
        )
        let cosignature = try Cosignature.sign(
            mapped,
            name: BundleFixture.witnessName,
            key: try fixture.key("regulator"),
            time: BundleFixture.finalCosignature
        )
        let signed = try mapped.signed(by: try NoteSigner(name: BundleFixture.origin, key: try fixture.key("bank")))
            .adding(cosignature.noteSignature)
        try BundleFixture.replaceCheckpoint(in: bag, with: signed)
        let siblings = try #require(IndependentCaseMap.proof(for: head.caseID, in: heads))
        try Data(IndependentCaseMap.proofFile(for: head, siblings: siblings, checkpoint: signed.serialized).utf8)
            .write(to: bag.appendingPathComponent("data/case-head.proof"))
        try BundleFixture.recomputeManifests(bag)
    }

    @Test(
        "a checkpoint signed over an independent case map passes every section; without its last entry, or last two, the bag fails section 9"
    )
    func independentMap() throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let size = try fixture.caseIndexes().last! + 1
        let mapped = try fixture.copyOfBundle()
        try Self.mapCheckpoint(of: mapped, head: try Self.head(fixture), fixture: fixture)
        let script = try VerifyGuideScript(bag: mapped).script()
        let run = try VerifyGuideScript.run(script, in: mapped)
        #expect(run.status == 0 && run.firstFailure == nil, "\(run.output)")
        for line in Self.caseHeadLines(size: size) {
            #expect(run.lines.contains { $0.hasPrefix(line) }, "missing '\(line)' in:\n\(run.output)")
        }

        let cases = try fixture.caseIndexes()
        for dropped in [1, 2] {
            let bag = try fixture.copyOfBundle(of: mapped)
            for index in cases.suffix(dropped) { try BundleTampering.remove(entry: index, from: bag) }
            try BundleFixture.recomputeManifests(bag)
            let shortened = try VerifyGuideScript.run(script, in: bag)
            #expect(
                shortened.lines.filter { $0.hasPrefix("FAILED: ") } == [
                    "FAILED: the bag holds \(9 - dropped) entries of case M-2, but the case had 9 in the log's tree of "
                        + "\(size) entries"
                ],
                "without the last \(dropped): \(shortened.output)"
            )
        }

        let hostile = try fixture.copyOfBundle(of: mapped)
        let canary = fixture.scratch.path("CANARY")
        try BundleTampering.edit(hostile, "data/case-head.proof", "case M-2\n", "case M-2$(touch \(canary))\n")
        try BundleFixture.recomputeManifests(hostile)
        let refused = try VerifyGuideScript.run(script, in: hostile)
        #expect(refused.status == 1, "\(refused.output)")
        #expect(
            refused.lines.last?.hasPrefix("FAILED: data/case-head.proof: the case line is malformed: ") == true,
            "\(refused.output)"
        )
        #expect(refused.oksAfterFirstFailure.isEmpty && refused.firstFailure == refused.lines.last, "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: canary))
    }
}
