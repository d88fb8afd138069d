import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Audit bundles: verify-bundle catches tampering")
struct BundleTamperTests {
    /// Runs verify-bundle on `bag`, which must fail (exit 1) with `message` among its FAIL lines.
    func expectFailure(
        _ fixture: BundleFixture,
        _ bag: URL,
        _ message: String,
        _ extra: String...,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let result = try fixture.cli.run(["verify-bundle", bag.path] + extra)
        #expect(
            result.status == 1,
            "expected a failure:\n\(result.stdout)\(result.stderr)",
            sourceLocation: sourceLocation
        )
        let failures = result.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL: ") }
        #expect(
            failures.contains { $0.contains(message) },
            "no FAIL line contains '\(message)':\n\(result.stdout)",
            sourceLocation: sourceLocation
        )
        #expect(
            result.stderr.hasPrefix("countersign: error: bundle verification failed: "),
            sourceLocation: sourceLocation
        )
    }

    static let files = [
        "data/entries/00000003.dsse.json", "data/documents/valuation.xml", "data/pipeline.yaml",
        "data/parties/lawyer-partner.yaml", "data/checkpoint.txt", "data/proofs/00000003.tlog-proof",
        "data/report.html", "data/VERIFY.md", "data/schemas/valuation.xsd", "bag-info.txt",
    ]

    @Test("a changed byte in any file fails the bag check, naming the file", arguments: files)
    func changedByte(file: String) throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let bag = try fixture.copyOfBundle()
        try BundleFixture.flipByte(in: bag.appendingPathComponent(file))
        let manifest = file.hasPrefix("data/") ? "manifest-sha512.txt" : "tagmanifest-sha512.txt"
        try expectFailure(fixture, bag, "bag: \(file): its SHA512 does not match \(manifest) (the file was changed)")
        #expect(!(try fixture.verify(bag)).stdout.contains("ok: contents"), "checks went on after the bag failed")
    }

    /// A change made by someone who also rewrites the manifests, and what verify-bundle must say.
    struct Tampering: CustomTestStringConvertible, Sendable {
        let name: String
        let change: @Sendable (URL) throws -> Void
        let message: String
        var testDescription: String { name }
    }

    static let tamperings: [Tampering] = [
        Tampering(
            name: "an entry re-dated",
            change: { try BundleTampering.editPayload(of: $0, entry: 3, "T10:00:00Z", "T09:00:00Z") },
            message:
                "signature: entry 3 (legal-review approve by lawyer-partner at 2026-11-04T09:00:00Z): the signature by 'lawyer-partner' does not verify: the entry was altered"
        ),
        Tampering(
            name: "a document edited",
            change: { try BundleTampering.edit($0, "data/documents/valuation.xml", "1500000", "1600000") },
            message: "documents: data/documents/valuation.xml has fingerprint sha256:"
        ),
        Tampering(
            name: "the pipeline edited",
            change: { try BundleTampering.edit($0, "data/pipeline.yaml", "quorum: 2", "quorum: 1") },
            message: "pipeline: entry 0 (open by bank at 2026-11-02T09:00:00Z) was signed under pipeline sha256:"
        ),
        Tampering(
            name: "a party's key replaced",
            change: { try BundleTampering.replaceKey(in: $0, party: "lawyer-partner") },
            message:
                "signature: entry 3 (legal-review approve by lawyer-partner at 2026-11-04T10:00:00Z) is signed with key "
        ),
        Tampering(
            name: "a key's window closed before it signed",
            change: {
                try BundleTampering.edit(
                    $0,
                    "data/parties/lawyer-partner.yaml",
                    "\n",
                    "\n    until: 2026-11-01T00:00:00Z\n",
                    last: true
                )
            },
            message:
                "of party 'lawyer-partner' is not valid from 2026-11-01T00:00:00Z, so it could not sign at 2026-11-04T10:00:00Z"
        ),
        Tampering(
            name: "the checkpoint's root changed",
            change: { try BundleTampering.editCheckpointRoot(of: $0) },
            message:
                "proofs: the proof of entry 0 (open by bank at 2026-11-02T09:00:00Z) carries another checkpoint than data/checkpoint.txt"
        ),
        Tampering(
            name: "a proof's path changed",
            change: { try BundleTampering.editProof(of: $0, entry: 3) },
            message:
                "proofs: the inclusion proof of entry 3 (legal-review approve by lawyer-partner at 2026-11-04T10:00:00Z) does not lead to the checkpoint's root"
        ),
        Tampering(
            name: "two document versions swapped",
            change: {
                try BundleTampering.swap($0, "data/documents/valuation.xml", "data/documents/valuation@00000002.xml")
            },
            message: "but entry 2 (valuation approve by bank at 2026-11-03T10:00:00Z) signs 'valuation' as sha256:"
        ),
        Tampering(
            name: "a document replaced by another",
            change: {
                try BundleTampering.copy($0, "data/documents/application.xml", to: "data/documents/title-deed.xml")
            },
            message: "documents: data/documents/title-deed.xml has fingerprint sha256:"
        ),
        Tampering(
            name: "an entry removed",
            change: { try BundleTampering.remove(entry: 3, from: $0) },
            message:
                "chain: entry 4 (board-approval approve by director-a at 2026-11-05T10:00:00Z) names as the case's previous entry the leaf hash"
        ),
        Tampering(
            name: "the opening entry removed",
            change: { try BundleTampering.remove(entry: 0, from: $0) },
            message:
                "chain: the first entry in the bundle, entry 1 (credit-check approve by bank at 2026-11-02T10:00:00Z), does not open the case"
        ),
        Tampering(
            name: "an extra document file",
            change: { try BundleTampering.copy($0, "data/documents/application.xml", to: "data/documents/extra.xml") },
            message: "documents: data/documents/extra.xml is attached by no entry in the bundle"
        ),
        Tampering(
            name: "a stray file in an entries folder",
            change: { try BundleTampering.copy($0, "data/report.html", to: "data/entries/report.html") },
            message: "contents: data/entries/report.html is not named INDEX.dsse.json"
        ),
    ]

    @Test(
        "with the manifests rewritten to match, each change is caught by the check that covers it",
        arguments: tamperings
    )
    func rewrittenBag(tampering: Tampering) throws {
        let fixture = try BundleFixture(cosigned: false)
        try fixture.bundleCase()
        let bag = try fixture.copyOfBundle()
        try tampering.change(bag)
        try BundleFixture.recomputeManifests(bag)
        try expectFailure(fixture, bag, tampering.message)
    }

    @Test("a proof for another tree size is refused")
    func proofForAnotherTreeSize() throws {
        let fixture = try BundleFixture(cosigned: false)
        try fixture.bundleCase()
        #expect(try fixture.example.openMortgage("M-3").status == 0)
        #expect(try fixture.checkpoint().status == 0)
        let later = fixture.scratch.url.appendingPathComponent("later")
        #expect(try fixture.bundleCase(BundleFixture.caseID, "--out", later.path).status == 0)

        let oldProof = fixture.bundle.appendingPathComponent("data/proofs/00000007.tlog-proof")
        let whole = try fixture.copyOfBundle(of: later)
        try FileManager.default.removeItem(at: whole.appendingPathComponent("data/proofs/00000007.tlog-proof"))
        try FileManager.default.copyItem(
            at: oldProof,
            to: whole.appendingPathComponent("data/proofs/00000007.tlog-proof")
        )
        try BundleFixture.recomputeManifests(whole)
        try expectFailure(
            fixture,
            whole,
            "proofs: the proof of entry 7 (funds-release auto by bank at 2026-11-07T10:00:00Z) is for a tree of 8 entries, but data/checkpoint.txt is of 9"
        )

        let pathOnly = try fixture.copyOfBundle(of: later)
        let old = try TlogProof(parsing: Array(try Data(contentsOf: oldProof)))
        let newNote = try SignedNote(
            parsing: Array(try Data(contentsOf: later.appendingPathComponent("data/checkpoint.txt")))
        )
        let mixed = try TlogProof(index: old.index, hashes: old.hashes, note: newNote)
        try Data(mixed.serialized.utf8).write(to: pathOnly.appendingPathComponent("data/proofs/00000007.tlog-proof"))
        try BundleFixture.recomputeManifests(pathOnly)
        try expectFailure(
            fixture,
            pathOnly,
            "proofs: the inclusion proof of entry 7 (funds-release auto by bank at 2026-11-07T10:00:00Z) does not lead to the checkpoint's root"
        )
    }

    @Test("a checkpoint signed by an unknown key is refused")
    func unknownCheckpointKey() throws {
        let fixture = try BundleFixture(cosigned: false)
        try fixture.bundleCase()
        let bag = try fixture.copyOfBundle()
        let note = try SignedNote(
            parsing: Array(try Data(contentsOf: bag.appendingPathComponent("data/checkpoint.txt")))
        )
        let forged = try Checkpoint(note: note).signed(
            by: try NoteSigner(name: BundleFixture.origin, key: try Ed25519PrivateKey())
        )
        try BundleFixture.replaceCheckpoint(in: bag, with: forged)
        try BundleFixture.recomputeManifests(bag)
        try expectFailure(
            fixture,
            bag,
            "checkpoint: no signature of the log '\(BundleFixture.origin)' verifies with a key in the bundle's party files"
        )
        let result = try fixture.verify(bag)
        #expect(
            result.stdout.contains(
                "note: checkpoint: the signature line of \(BundleFixture.origin) is by a key no party file in the bundle holds; not checked"
            )
        )
    }

    @Test("a witness cosignature that does not verify is refused")
    func badCosignature() throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let bag = try fixture.copyOfBundle()
        let note = try SignedNote(
            parsing: Array(try Data(contentsOf: bag.appendingPathComponent("data/checkpoint.txt")))
        )
        let line = try #require(note.signatures.first { $0.name == BundleFixture.witnessName })
        var bytes = line.bytes
        bytes[7] ^= 0x01
        let redated = try note.adding(try SignedNote.Signature(name: line.name, keyID: line.keyID, bytes: bytes))
        try BundleFixture.replaceCheckpoint(in: bag, with: redated)
        try BundleFixture.recomputeManifests(bag)
        try expectFailure(
            fixture,
            bag,
            "checkpoint: the cosignature of witness \(BundleFixture.witnessName) (key of 'regulator') does not verify"
        )
    }

    @Test("pinned keys: a bundle signed by the trusted log and witness passes; one re-signed with other keys does not")
    func trustedKeys() throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let trust = try fixture.trustFile(witness: true)
        let pinned = try fixture.verify(fixture.bundle, "--trust", trust)
        #expect(pinned.status == 0, "\(pinned.stdout)\(pinned.stderr)")
        #expect(pinned.stdout.contains("ok: checkpoint: signed by the trusted log key \(BundleFixture.origin)+"))
        #expect(pinned.stdout.contains("ok: checkpoint: cosigned by trusted witness regulator at "))
        #expect(pinned.stdout.contains("ok: checkpoint: the trust file's witness quorum"))
        #expect(!pinned.stdout.contains("no --trust file"))
        #expect(pinned.stdout.contains("bundle verified, with the log and witness keys of \(trust)"))

        let json = try fixture.verify(fixture.bundle, "--trust", trust, "--json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["ok"] as? Bool == true)
        #expect(object?["trusted"] as? Bool == true)
        #expect((object?["checks"] as? [[String: String]])?.first?["outcome"] == "ok")

        let impostor = try BundleFixture(cosigned: false)
        try impostor.bundleCase()
        #expect(try impostor.verify(impostor.bundle).status == 0, "the impostor's bundle is consistent in itself")
        try expectFailure(
            impostor,
            impostor.bundle,
            "checkpoint: not signed by a trusted log key: signed note has no signature by a trusted key",
            "--trust",
            trust
        )
        try expectFailure(
            impostor,
            impostor.bundle,
            "checkpoint: the trust file's witness quorum",
            "--trust",
            try impostor.trustFile(witness: true)
        )
    }

    @Test("an entry the pipeline did not allow, though validly signed, logged and chained, is caught by the replay")
    func forbiddenEntries() throws {
        let fixture = try BundleFixture(cosigned: false)
        #expect(try fixture.example.openMortgage("M-3", large: true).status == 0)
        try forge(fixture, caseID: "M-3", step: "title-registration", party: "registry")
        #expect(try fixture.example.openMortgage("M-4", large: true).status == 0)
        try forge(fixture, caseID: "M-4", step: "credit-check", party: "lawyer")
        #expect(try fixture.checkpoint().status == 0)
        for caseID in ["M-3", "M-4"] {
            let result = try fixture.bundleCase(caseID)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let bundles = fixture.bundle.deletingLastPathComponent()
        try expectFailure(
            fixture,
            bundles.appendingPathComponent("M-3"),
            "rules: entry 9 (title-registration approve by registry at 2026-11-03T10:00:00Z) was not allowed by the pipeline: waiting for step 'valuation'"
        )
        try expectFailure(
            fixture,
            bundles.appendingPathComponent("M-4"),
            "rules: entry 11 (credit-check approve by lawyer at 2026-11-03T10:00:00Z) was not allowed by the pipeline: party 'lawyer' may not sign step 'credit-check' (signed by: bank)"
        )
    }

    /// Appends, bypassing every sign-off check, `party`'s validly signed approval of `step`.
    func forge(_ fixture: BundleFixture, caseID: String, step: String, party: String) throws {
        let ledger = Ledger(store: try SQLiteLedgerStore(path: fixture.path("out/ledger.sqlite")))
        let entries = try ledger.store.entries(ofCase: caseID)
        let opening = try Envelope(bytes: entries[0].envelope).statement().predicate
        let predicate = try StepPredicate(
            pipeline: opening.pipeline,
            pipelineDigest: opening.pipelineDigest,
            caseID: caseID,
            step: step,
            party: party,
            decision: .approve,
            signedAt: try #require(Timestamp.parse("2026-11-03T10:00:00Z")),
            previous: entries.last?.leafHash
        )
        let key = try KeyFile.load(fixture.path("out/keys/\(party).pem"))
        let envelope = try Envelope.sign(statement: Statement(subjects: [], predicate: predicate), key: key)
        try ledger.append([NewEntry(envelope: envelope.bytes, caseID: caseID, expectedPrevious: entries.last?.leafHash)]
        )
    }
}
