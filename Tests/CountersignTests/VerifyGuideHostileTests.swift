import CountersignKit
import Foundation
import TestSupport
import Testing

/// VERIFY.md run on hostile bags, the way a regulator runs it (every block in one bash, in the bag):
/// a value a block reads — a file name, an index, a size, a time, a hash, an id — holding `$(...)`,
/// backticks, `;`, a newline, `$((...))`, too many digits or bytes that are no base64 is refused
/// before use. Each bag is a real bundle with one such value and its manifests re-made; the
/// commands never run (the canary file stays absent), the output names the file in a
/// `FAILED: ... is malformed` line, and nothing follows it: the shell ends there.
@Suite("VERIFY.md on hostile bags: every value is checked before use, nothing runs, the first malformed one ends it")
struct VerifyGuideHostileTests {
    /// One hostile change to a bag: what it does, the change, and the start of the FAILED line it must cause.
    struct Change {
        let label: String
        let failure: String
        let apply: (URL) throws -> Void
    }

    /// Applies each change to a fresh copy of the fixture's bundle, re-makes its manifests unless
    /// `remanifest` is false, runs the guide (all sections) and checks the refusal.
    static func expectRefused(_ changes: [Change], fixture: BundleFixture, canary: String) throws {
        let script = try VerifyGuideScript(bag: fixture.bundle).script()
        for change in changes {
            let bag = try fixture.copyOfBundle()
            try change.apply(bag)
            try BundleFixture.recomputeManifests(bag)
            let run = try VerifyGuideScript.run(script, in: bag)
            #expect(run.status == 1, "\(change.label): \(run.output)")
            #expect(
                run.lines.last?.hasPrefix(change.failure) == true && run.lines.last?.contains(" is malformed") == true,
                "\(change.label): the last line is not '\(change.failure)...is malformed': \(run.output)"
            )
            #expect(run.firstFailure.map { run.lines.last == $0 } ?? false, "\(change.label): \(run.output)")
            #expect(run.oksAfterFirstFailure.isEmpty, "\(change.label): \(run.output)")
            for place in [
                canary, bag.appendingPathComponent("CANARY").path, bag.appendingPathComponent("data/CANARY").path,
            ] {
                #expect(!FileManager.default.fileExists(atPath: place), "\(change.label) ran a command")
            }
        }
    }

    /// Replaces line `number` (1-based) of a bag file with `text`.
    static func replaceLine(_ number: Int, of file: String, in bag: URL, with text: String) throws {
        let url = bag.appendingPathComponent(file)
        var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        lines[number - 1] = text
        try Data(lines.joined(separator: "\n").utf8).write(to: url)
    }

    static func rename(_ file: String, to name: String, in bag: URL) throws {
        let url = bag.appendingPathComponent(file)
        try FileManager.default.moveItem(at: url, to: url.deletingLastPathComponent().appendingPathComponent(name))
    }

    @Test("file names, checkpoint lines, inclusion proofs and envelope fields")
    func namesCheckpointsProofs() throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let canary = fixture.scratch.path("CANARY")
        let touch = "$(touch \(canary))"
        let cases = try fixture.caseIndexes()
        let entry = BundleTampering.entryFile(cases[1])
        let proof = BundleTampering.proofFile(cases[1])
        let size = String(cases.last! + 1)
        try Self.expectRefused(
            [
                Change(label: "an entry file named $(touch CANARY)", failure: "FAILED: the bag: a file's path") {
                    try Self.rename(entry, to: "$(touch CANARY).dsse.json", in: $0)
                },
                Change(label: "an entry file named with a newline", failure: "FAILED: the bag: a file's path") {
                    try Self.rename(entry, to: "0000\n0001.dsse.json", in: $0)
                },
                Change(label: "an entry file named 1;touch CANARY", failure: "FAILED: the bag: a file's path") {
                    try Self.rename(entry, to: "1;touch CANARY.dsse.json", in: $0)
                },
                Change(
                    label: "a control character in a proof",
                    failure: "FAILED: \(proof) is malformed: it holds a control character"
                ) {
                    try BundleTampering.edit($0, proof, "index ", "index \u{1B}[2J")
                },
                Change(
                    label: "the checkpoint's size a[$(touch CANARY)]",
                    failure: "FAILED: data/checkpoint.txt: the tree size line"
                ) { try Self.replaceLine(2, of: "data/checkpoint.txt", in: $0, with: "a[\(touch)]") },
                Change(
                    label: "the checkpoint's size $((7*7+1))",
                    failure: "FAILED: data/checkpoint.txt: the tree size line"
                ) { try Self.replaceLine(2, of: "data/checkpoint.txt", in: $0, with: "$((7*7+1))") },
                Change(
                    label: "the checkpoint's size with 19 digits",
                    failure: "FAILED: data/checkpoint.txt: the tree size line"
                ) { try Self.replaceLine(2, of: "data/checkpoint.txt", in: $0, with: "1000000000000000000") },
                Change(
                    label: "a newline and $(touch CANARY) after the checkpoint's size",
                    failure: "FAILED: data/checkpoint.txt: the root hash line"
                ) { try Self.replaceLine(2, of: "data/checkpoint.txt", in: $0, with: "\(size)\n\(touch)") },
                Change(
                    label: "a checkpoint signature line named $(touch CANARY)",
                    failure: "FAILED: data/checkpoint.txt: a signature line"
                ) { bag in
                    let url = bag.appendingPathComponent("data/checkpoint.txt")
                    try (try Data(contentsOf: url) + Data("— \(touch) AAAA\n".utf8)).write(to: url)
                },
                Change(
                    label: "a genesis whose party is $(touch CANARY)",
                    failure: "FAILED: data/governance/00000000.dsse.json: .predicate.party"
                ) {
                    try BundleTampering.editPayload(
                        of: $0,
                        file: BundleTampering.governanceFile(0),
                        #""party":"bank""#,
                        #""party":"\#(touch)""#
                    )
                },
                Change(label: "a keyid of x;touch CANARY", failure: "FAILED: \(entry): a signature's keyid") {
                    try BundleTampering.edit($0, entry, #""keyid":""#, #""keyid":"x;touch \#(canary);"#)
                },
                Change(label: "a payload that is no base64", failure: "FAILED: \(entry): .payload") {
                    try BundleTampering.edit($0, entry, #""payload":""#, #""payload":"`touch \#(canary)`"#)
                },
                Change(label: "a proof index $(touch CANARY)", failure: "FAILED: \(proof): the index line") {
                    try BundleTampering.edit($0, proof, "index \(cases[1])\n", "index \(touch)\n")
                },
                Change(label: "a proof index a[$(touch CANARY)]", failure: "FAILED: \(proof): the index line") {
                    try BundleTampering.edit($0, proof, "index \(cases[1])\n", "index a[\(touch)]\n")
                },
                Change(label: "a proof index of backticks", failure: "FAILED: \(proof): the index line") {
                    try BundleTampering.edit($0, proof, "index \(cases[1])\n", "index `touch \(canary)`\n")
                },
                Change(label: "a proof index of 20 digits", failure: "FAILED: \(proof): the index line") {
                    try BundleTampering.edit($0, proof, "index \(cases[1])\n", "index 99999999999999999999\n")
                },
                Change(label: "a proof index with ;", failure: "FAILED: \(proof): the index line") {
                    try BundleTampering.edit($0, proof, "index \(cases[1])\n", "index \(cases[1]);touch \(canary)\n")
                },
                Change(label: "a proof hash $(touch CANARY)", failure: "FAILED: \(proof): a hash of the path") {
                    try BundleTampering.edit($0, proof, "index \(cases[1])\n", "index \(cases[1])\n\(touch)\n")
                },
                Change(label: "a proof hash that is no base64", failure: "FAILED: \(proof): a hash of the path") {
                    try BundleTampering.edit($0, proof, "index \(cases[1])\n", "index \(cases[1])\n!!!!\n")
                },
                Change(
                    label: "a proof's checkpoint size $((1+1))",
                    failure: "FAILED: \(proof) (its checkpoint): the tree size line"
                ) { try BundleTampering.edit($0, proof, "\n\(size)\n", "\n$((\(size)))\n") },
            ],
            fixture: fixture,
            canary: canary
        )
    }

    @Test("log times, earlier checkpoints, consistency proofs and bag-info.txt")
    func timesAndCheckpoints() throws {
        let fixture = try BundleTimeTests.witnessed()
        let canary = fixture.scratch.path("CANARY")
        let touch = "$(touch \(canary))"
        let (first, _, _) = try BundleTimeTests.sizes(fixture)
        let checkpoint = BundleTimeTests.checkpointFile(first)
        let consistency = BundleTimeTests.consistencyFile(first)
        let review = BundleTampering.padded(try fixture.caseIndex(of: "legal-review", by: "lawyer-partner"))
        func appendLogTime(_ line: String) -> (URL) throws -> Void {
            { bag in
                let url = bag.appendingPathComponent("data/log-times.txt")
                try (try Data(contentsOf: url) + Data((line + "\n").utf8)).write(to: url)
            }
        }
        try Self.expectRefused(
            [
                Change(
                    label: "an earlier checkpoint's size a[$(touch CANARY)]",
                    failure: "FAILED: \(checkpoint): the tree size line"
                ) { try Self.replaceLine(2, of: checkpoint, in: $0, with: "a[\(touch)]") },
                Change(
                    label: "bag-info.txt lists 5;touch CANARY",
                    failure: "FAILED: bag-info.txt: Countersign-Bracketing-Checkpoints"
                ) {
                    try BundleTampering.edit(
                        $0,
                        "bag-info.txt",
                        "Countersign-Bracketing-Checkpoints: ",
                        "Countersign-Bracketing-Checkpoints: 5;touch \(canary) "
                    )
                },
                Change(
                    label: "a consistency proof's old size $(touch CANARY)",
                    failure: "FAILED: \(consistency): the old size line"
                ) {
                    try Self.replaceLine(2, of: consistency, in: $0, with: "old \(touch)")
                },
                Change(label: "a consistency proof hash $((1))", failure: "FAILED: \(consistency): a hash of the proof")
                {
                    try Self.replaceLine(4, of: consistency, in: $0, with: "$((1))")
                },
                Change(label: "a log-times index $(touch CANARY)", failure: "FAILED: data/log-times.txt: the line") {
                    try appendLogTime("\(touch) 2026-11-04T10:00:00Z")($0)
                },
                Change(label: "a log-times index of 19 digits", failure: "FAILED: data/log-times.txt: the line") {
                    try appendLogTime("1000000000000000000 2026-11-04T10:00:00Z")($0)
                },
                Change(label: "a log time with backticks", failure: "FAILED: data/log-times.txt: the line") {
                    try appendLogTime("\(review) 2026-11-04T10:00:00Z`touch \(canary)`")($0)
                },
            ],
            fixture: fixture,
            canary: canary
        )
    }
}
