import CountersignKit
import Foundation
import TestSupport
import Testing

/// A bundle proves the *whole* case (docs/CASE-MAP.md): a bag with its last entry, its last two,
/// or its rejection left out — manifests re-made, the log key pinned — fails `verify-bundle`, as
/// does a bag whose case-head proof is altered to fit or removed; on both stores.
@Suite("Audit bundles prove the whole case")
struct CaseHeadBundleTests {
    /// A mortgage rejected at the legal review (three entries), checkpointed and bundled, with a
    /// trust file pinning the log's key.
    struct Rejected {
        let example: ExampleWorkspace
        let bundle: URL
        let trust: String
        let entries: [Int]
        let scratch = TemporaryDirectory()

        init(store: StoreKind) throws {
            example = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties, store: store)
            #expect(try example.openMortgage("M-4").status == 0)
            #expect(try example.sign("M-4", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
            let rejected = try example.sign(
                "M-4",
                "legal-review",
                as: "lawyer",
                at: "2026-11-03T10:00:00Z",
                "--reject",
                "--reason",
                "easement not disclosed"
            )
            #expect(rejected.status == 0, "\(rejected.stderr)")
            let checkpoint = try example.cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem")
            #expect(checkpoint.status == 0, "\(checkpoint.stderr)")
            #expect(try example.cli.run("bundle", "M-4", "--now", "2026-11-04T00:00:00Z").status == 0)
            bundle = URL(fileURLWithPath: example.path("out/bundles/M-4"))
            let origin = try #require(checkpoint.stdout.split(separator: "\n").first.map(String.init))
            let bank = try KeyFile.load(example.path("out/keys/bank.pem")).publicKey
            trust = scratch.path("trust.txt")
            try Data("log \(try NoteVerifier(name: origin, publicKey: bank).vkey)\n".utf8)
                .write(to: URL(fileURLWithPath: trust))
            entries = try example.store().entries(ofCase: "M-4").map(\.index)
        }

        func copy() throws -> URL {
            let copy = scratch.url.appendingPathComponent(UUID().uuidString)
            try FileManager.default.copyItem(at: bundle, to: copy)
            return copy
        }

        func verify(_ bag: URL) throws -> CLI.Result {
            try example.cli.run("verify-bundle", bag.path, "--trust", trust)
        }
    }

    @Test("the whole rejected case verifies, its head proven closed", arguments: StoreKind.allCases)
    func wholeCase(store: StoreKind) throws {
        let fixture = try Rejected(store: store)
        let result = try fixture.verify(fixture.bundle)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("proves this is the whole case at log size"), "\(result.stdout)")
        #expect(result.stdout.contains("its 3 entries"), "\(result.stdout)")
        #expect(result.stdout.contains("the case rejected (closed: no entry can follow)"), "\(result.stdout)")
    }

    @Test(
        "leaving out the last entry, the last two, or the rejection fails verify-bundle though every file left verifies",
        arguments: StoreKind.allCases
    )
    func droppedEntries(store: StoreKind) throws {
        let fixture = try Rejected(store: store)
        for dropped in [Array(fixture.entries.suffix(1)), Array(fixture.entries.suffix(2))] {
            let bag = try fixture.copy()
            for index in dropped { try BundleTampering.remove(entry: index, from: bag) }
            try BundleFixture.recomputeManifests(bag)
            let result = try fixture.verify(bag)
            #expect(result.status == 1, "dropping \(dropped): \(result.stdout)")
            #expect(
                result.stdout.contains("FAIL: case-head: the log holds 3 entries of the case at log size"),
                "dropping \(dropped): \(result.stdout)"
            )
            #expect(result.stdout.contains("the bag ends early"), "\(result.stdout)")
            // Everything before the case-head check still passes: only the map tells.
            #expect(result.stdout.contains("ok: rules: all \(3 - dropped.count) entries replayed"), "\(result.stdout)")
        }
    }

    @Test(
        "a case-head proof rewritten to fit a shortened bag, or removed, fails verify-bundle",
        arguments: StoreKind.allCases
    )
    func rewrittenProof(store: StoreKind) throws {
        let fixture = try Rejected(store: store)
        let proofFile = "data/case-head.proof"
        let proof = try CaseHeadProof(parsing: try BundleTampering.read(fixture.bundle, proofFile))
        let second = try #require(try fixture.example.store().entry(at: fixture.entries[1]))
        // The bag without the rejection, its proof claiming the case open after its second entry.
        let shortened = CaseHeadProof(
            head: CaseHead(caseID: "M-4", count: 2, headLeaf: second.leafHash, outcome: "open"),
            siblings: proof.siblings,
            note: proof.note
        )
        let bag = try fixture.copy()
        try BundleTampering.remove(entry: fixture.entries[2], from: bag)
        try Data(shortened.serialized.utf8).write(to: bag.appendingPathComponent(proofFile))
        try BundleFixture.recomputeManifests(bag)
        let rewritten = try fixture.verify(bag)
        #expect(rewritten.status == 1)
        #expect(
            rewritten.stdout.contains(
                "FAIL: case-head: data/case-head.proof does not lead to the case-head map root checkpoint"
            ),
            "\(rewritten.stdout)"
        )
        // Only the outcome changed: the same.
        let relabelled = try fixture.copy()
        let open = CaseHeadProof(
            head: CaseHead(caseID: "M-4", count: 3, headLeaf: proof.head.headLeaf, outcome: "open"),
            siblings: proof.siblings,
            note: proof.note
        )
        try Data(open.serialized.utf8).write(to: relabelled.appendingPathComponent(proofFile))
        try BundleFixture.recomputeManifests(relabelled)
        #expect(try fixture.verify(relabelled).stdout.contains("does not lead to the case-head map root"))
        // No proof at all.
        let removed = try fixture.copy()
        try FileManager.default.removeItem(at: removed.appendingPathComponent(proofFile))
        try BundleFixture.recomputeManifests(removed)
        let missing = try fixture.verify(removed)
        #expect(missing.status == 1)
        #expect(
            missing.stdout.contains("FAIL: case-head: data/case-head.proof is missing, so nothing proves"),
            "\(missing.stdout)"
        )
    }
}

extension CaseHeadBundleTests {
    @Test(
        "VERIFY.md passes the whole case, and fails a bag without its last entry or last two, manifests re-made",
        arguments: StoreKind.allCases
    )
    func verifyGuideOnDroppedEntries(store: StoreKind) throws {
        let fixture = try Rejected(store: store)
        let whole = try VerifyGuideScript.run(try VerifyGuideScript(bag: fixture.bundle).script(), in: fixture.bundle)
        #expect(whole.status == 0 && whole.firstFailure == nil, "\(whole.output)")
        #expect(whole.output.contains("OK: the log says the case is rejected"), "\(whole.output)")
        for dropped in [Array(fixture.entries.suffix(1)), Array(fixture.entries.suffix(2))] {
            let bag = try fixture.copy()
            for index in dropped { try BundleTampering.remove(entry: index, from: bag) }
            try BundleFixture.recomputeManifests(bag)
            let run = try VerifyGuideScript.run(try VerifyGuideScript(bag: bag).script(), in: bag)
            // Every section before the case head passes: only the map tells.
            let failure = try #require(run.firstFailure, "dropping \(dropped): \(run.output)")
            #expect(failure.contains("entries of case M-4"), "dropping \(dropped): \(run.output)")
        }
    }

    @Test(
        "the case map recomputed from the log by an independent implementation is the root the checkpoint signs",
        arguments: StoreKind.allCases
    )
    func independentRecomputation(store: StoreKind) throws {
        let fixture = try Rejected(store: store)
        let example = fixture.example
        // More cases in other states: one open, one completed-looking progress, one lottery claim.
        #expect(try example.openMortgage("M-5").status == 0)
        #expect(try example.sign("M-5", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        #expect(try example.openMortgage("M-6", large: true).status == 0)
        let checkpoint = try example.cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank.pem")
        #expect(checkpoint.status == 0, "\(checkpoint.stderr)")
        let mapLine = try #require(
            checkpoint.stdout.split(separator: "\n").first { $0.hasPrefix("countersign.dev/case-map ") }
        )
        let signed = try #require(Data(base64Encoded: String(mapLine.dropFirst("countersign.dev/case-map ".count))))
        // From the log alone: each case's entries counted, the newest hashed, the state `status` reads.
        let store = try example.store()
        var heads: [IndependentCaseMap.Head] = []
        for caseID in try store.caseIDs() {
            let entries = try store.entries(ofCase: caseID)
            let state = try example.status(caseID, at: "2026-11-10T00:00:00Z")["state"] as? String
            heads.append(
                IndependentCaseMap.Head(
                    caseID: caseID,
                    count: entries.count,
                    headLeafHex: PlainSHA256.hex([0] + entries.last!.envelope),
                    outcome: try #require(state)
                )
            )
        }
        #expect(heads.count == 3)
        #expect(IndependentCaseMap.root(of: heads) == Array(signed))
    }
}
