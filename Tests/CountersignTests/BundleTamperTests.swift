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

    /// `entry 18 (legal-review approve by lawyer-partner at 2026-11-04T10:00:00Z)`, as verify-bundle labels it.
    static func label(_ fixture: BundleFixture, _ step: String, by party: String, at time: String) throws -> String {
        let index = try fixture.caseIndex(of: step, by: party)
        let what = step == "open" ? "open" : step == "funds-release" ? "\(step) auto" : "\(step) approve"
        return "entry \(index) (\(what) by \(party) at \(time))"
    }

    static func legalReview(_ fixture: BundleFixture) throws -> String {
        try label(fixture, "legal-review", by: "lawyer-partner", at: "2026-11-04T10:00:00Z")
    }

    static func opening(_ fixture: BundleFixture) throws -> String {
        try label(fixture, "open", by: "bank", at: "2026-11-02T09:00:00Z")
    }

    /// A key of the tamperer's, the same in a change and in the message it must cause.
    static func forgedKey(_ number: UInt8 = 1) throws -> Ed25519PrivateKey {
        try Ed25519PrivateKey(seed: Array(repeating: number, count: 32))
    }

    static func keyID(_ key: Ed25519PrivateKey) -> String { String(key.publicKey.keyID.prefix(16)) + "…" }

    /// Files of the bag; a folder stands for the file in its middle.
    static let files = [
        "data/entries/", "data/governance/", "data/proofs/", "data/documents/valuation.xml", "data/pipeline.yaml",
        "data/parties/lawyer-partner.yaml", "data/checkpoint.txt", "data/report.html", "data/VERIFY.md",
        "data/schemas/valuation.xsd", "data/log-times.txt", "bag-info.txt",
    ]

    @Test("a changed byte in any file, party files included, fails the bag check, naming the file", arguments: files)
    func changedByte(file: String) throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let bag = try fixture.copyOfBundle()
        var path = file
        if file.hasSuffix("/") {
            let names = try FileManager.default.contentsOfDirectory(atPath: bag.appendingPathComponent(file).path)
                .sorted()
            path = file + names[names.count / 2]
        }
        try BundleFixture.flipByte(in: bag.appendingPathComponent(path))
        let manifest = path.hasPrefix("data/") ? "manifest-sha512.txt" : "tagmanifest-sha512.txt"
        try expectFailure(fixture, bag, "bag: \(path): its SHA512 does not match \(manifest) (the file was changed)")
        #expect(!(try fixture.verify(bag)).stdout.contains("ok: contents"), "checks went on after the bag failed")
    }

    /// A change made by someone who also rewrites the manifests, and what verify-bundle must say.
    struct Tampering: CustomTestStringConvertible, Sendable {
        let name: String
        let change: @Sendable (URL, BundleFixture) throws -> Void
        let message: @Sendable (BundleFixture) throws -> String
        var testDescription: String { name }
    }

    static let tamperings: [Tampering] = [
        Tampering(
            name: "an entry re-dated",
            change: { bag, fixture in
                let index = try fixture.caseIndex(of: "legal-review", by: "lawyer-partner")
                try BundleTampering.editPayload(of: bag, entry: index, "T10:00:00Z", "T09:00:00Z")
            },
            message: { fixture in
                let entry = try label(fixture, "legal-review", by: "lawyer-partner", at: "2026-11-04T09:00:00Z")
                return "signature: \(entry): the signature by 'lawyer-partner' does not verify: the entry was altered"
            }
        ),
        Tampering(
            name: "a document edited",
            change: { bag, _ in try BundleTampering.edit(bag, "data/documents/valuation.xml", "1500000", "1600000") },
            message: { _ in "documents: data/documents/valuation.xml is not byte for byte the document " }
        ),
        Tampering(
            name: "the pipeline file edited",
            change: { bag, _ in try BundleTampering.edit(bag, "data/pipeline.yaml", "quorum: 2", "quorum: 1") },
            message: { fixture in
                "pipeline: data/pipeline.yaml is not the file version mortgage-approval@sha256:"
                    + "\(try fixture.caseVersion().hex) was approved with"
            }
        ),
        Tampering(
            name: "a schema of the version edited",
            change: { bag, _ in
                try BundleTampering.edit(bag, "data/schemas/valuation.xsd", "use=\"required\"", "use=\"optional\"")
            },
            message: { fixture in
                "pipeline: data/schemas/valuation.xsd is not the file version mortgage-approval@sha256:"
                    + "\(try fixture.caseVersion().hex) was approved with"
            }
        ),
        Tampering(
            name: "a schema the version does not hold added beside it",
            change: { bag, _ in
                try BundleTampering.copy(bag, "data/schemas/valuation.xsd", to: "data/schemas/extra.xsd")
            },
            message: { fixture in
                "pipeline: data/schemas/extra.xsd is no file of version mortgage-approval@sha256:\(try fixture.caseVersion().hex)"
            }
        ),
        Tampering(
            name: "the checkpoint's root changed",
            change: { bag, _ in try BundleTampering.editCheckpointRoot(of: bag) },
            message: { fixture in
                "proofs: the proof of \(try opening(fixture)) carries another checkpoint than data/checkpoint.txt"
            }
        ),
        Tampering(
            name: "a proof's path changed",
            change: { bag, fixture in
                try BundleTampering.editProof(
                    of: bag,
                    entry: try fixture.caseIndex(of: "legal-review", by: "lawyer-partner")
                )
            },
            message: { fixture in
                "proofs: the inclusion proof of \(try legalReview(fixture)) does not lead to the checkpoint's root"
            }
        ),
        Tampering(
            name: "two document versions swapped",
            change: { bag, fixture in
                let attached = BundleTampering.padded(try fixture.caseIndex(of: "attach", by: "bank"))
                try BundleTampering.swap(
                    bag,
                    "data/documents/valuation.xml",
                    "data/documents/valuation@\(attached).xml"
                )
            },
            message: { fixture in
                "documents: data/documents/valuation.xml is not byte for byte the document "
                    + "\(try label(fixture, "valuation", by: "bank", at: "2026-11-03T10:00:00Z")) attaches"
            }
        ),
        Tampering(
            name: "a document replaced by another",
            change: { bag, _ in
                try BundleTampering.copy(bag, "data/documents/application.xml", to: "data/documents/title-deed.xml")
            },
            message: { _ in "documents: data/documents/title-deed.xml is not byte for byte the document " }
        ),
        Tampering(
            name: "an entry removed",
            change: { bag, fixture in
                try BundleTampering.remove(
                    entry: try fixture.caseIndex(of: "legal-review", by: "lawyer-partner"),
                    from: bag
                )
            },
            message: { fixture in
                let next = try label(fixture, "board-approval", by: "director-a", at: "2026-11-05T10:00:00Z")
                return "chain: \(next) names as the case's previous entry the leaf hash"
            }
        ),
        Tampering(
            name: "the opening entry removed",
            change: { bag, fixture in try BundleTampering.remove(entry: try fixture.caseIndexes()[0], from: bag) },
            message: { fixture in
                let first = try label(fixture, "credit-check", by: "bank", at: "2026-11-02T10:00:00Z")
                return "chain: the first entry in the bundle, \(first), does not open the case"
            }
        ),
        Tampering(
            name: "an extra document file",
            change: { bag, _ in
                try BundleTampering.copy(bag, "data/documents/application.xml", to: "data/documents/extra.xml")
            },
            message: { _ in "documents: data/documents/extra.xml is attached by no entry in the bundle" }
        ),
        Tampering(
            name: "a stray file in an entries folder",
            change: { bag, _ in try BundleTampering.copy(bag, "data/report.html", to: "data/entries/report.html") },
            message: { _ in "contents: data/entries/report.html is not named INDEX.dsse.json" }
        ),
        Tampering(
            name: "a stray file in the governance folder",
            change: { bag, _ in try BundleTampering.copy(bag, "data/report.html", to: "data/governance/report.html") },
            message: { _ in "contents: data/governance/report.html is not named INDEX.dsse.json" }
        ),
        // The governance entries: keys, rights and the pipeline version come from them alone.
        Tampering(
            name: "the genesis removed",
            change: { bag, _ in try BundleTampering.remove(governance: 0, from: bag) },
            message: { _ in "contents: the bundle holds no genesis (data/governance/ has no entry 0)" }
        ),
        Tampering(
            name: "the governance entry bringing in a signer's key removed",
            change: { bag, fixture in
                try BundleTampering.remove(governance: try fixture.memberEntry(of: "lawyer-partner"), from: bag)
            },
            message: { fixture in
                "signature: \(try legalReview(fixture)) is signed with key "
                    + "\(try fixture.key("lawyer-partner").publicKey.keyID.prefix(16))…, which no member held in force "
                    + "at that point of the log (by the bundle's governance entries)"
            }
        ),
        Tampering(
            name: "the governance entry proposing the pipeline version removed",
            change: { bag, fixture in
                try BundleTampering.remove(governance: try fixture.versionEntries().proposal, from: bag)
            },
            message: { fixture in
                "pipeline: \(try opening(fixture)) opens the case under mortgage-approval@sha256:"
                    + "\(try fixture.caseVersion().hex), which no governance entry in the bundle brought into force before it"
            }
        ),
        Tampering(
            name: "a governance entry's bytes altered",
            change: { bag, fixture in
                let file = BundleTampering.governanceFile(try fixture.memberEntry(of: "lawyer-partner"))
                try BundleTampering.editPayload(of: bag, file: file, "Jane Smith", "Jane Smyth")
            },
            message: { fixture in
                "governance: governance entry \(try fixture.memberEntry(of: "lawyer-partner")) (member by bank) does not "
                    + "hold: proposal of party lawyer-partner by bank refused: the signature by key "
                    + "\(try fixture.key("bank").publicKey.keyID.prefix(16))… does not verify"
            }
        ),
        Tampering(
            name: "a member's key replaced in its re-signed governance entry, and its entry re-signed with it",
            change: { bag, fixture in
                let forged = try Ed25519PrivateKey()
                try BundleTampering.resignMemberEntry(
                    try fixture.memberEntry(of: "lawyer-partner"),
                    in: bag,
                    keys: [forged]
                ) { MemberDeclaration(id: $0.id, name: $0.name, keys: [PartyKey(publicKey: forged.publicKey)]) }
                try BundleTampering.replaceKey(in: bag, party: "lawyer-partner", with: forged.publicKey)
                try BundleTampering.resign(
                    entry: try fixture.caseIndex(of: "legal-review", by: "lawyer-partner"),
                    in: bag,
                    with: forged
                )
            },
            message: { fixture in
                "governance: governance entry \(try fixture.memberEntry(of: "lawyer-partner")) (member by bank) does not "
                    + "hold: proposal of party lawyer-partner by bank refused: it is not signed by a key of 'bank' in force"
            }
        ),
        Tampering(
            name: "a key forged in a party file, and the party's entry re-signed with it",
            change: { bag, fixture in
                let forged = try forgedKey()
                try BundleTampering.replaceKey(in: bag, party: "lawyer-partner", with: forged.publicKey)
                try BundleTampering.resign(
                    entry: try fixture.caseIndex(of: "legal-review", by: "lawyer-partner"),
                    in: bag,
                    with: forged
                )
            },
            message: { fixture in
                "signature: \(try legalReview(fixture)) is signed with key \(keyID(try forgedKey())), which no member "
                    + "held in force at that point of the log (by the bundle's governance entries)"
            }
        ),
        Tampering(
            name: "a forged governance entry: a non-admin member gives another party a key",
            change: { bag, fixture in
                let forged = try forgedKey()
                try addForgedMemberEntry(
                    bag,
                    fixture,
                    by: "director-a",
                    keys: [try fixture.key("director-a"), forged],
                    forged
                )
                try BundleTampering.resign(
                    entry: try fixture.caseIndex(of: "legal-review", by: "lawyer-partner"),
                    in: bag,
                    with: forged
                )
            },
            message: { fixture in
                "governance: governance entry \(try forgedIndex(fixture)) (member by director-a) does not hold: proposal "
                    + "of party lawyer-partner by director-a refused: only 'lawyer-partner' itself or an admin may propose "
                    + "its party file, and 'director-a' is neither"
            }
        ),
        Tampering(
            name: "a forged governance entry in the admin's name, signed by a key no member holds",
            change: { bag, fixture in
                try addForgedMemberEntry(bag, fixture, by: "bank", keys: [try forgedKey(2)], try forgedKey())
            },
            message: { fixture in
                "governance: governance entry \(try forgedIndex(fixture)) (member by bank) does not hold: proposal of party "
                    + "lawyer-partner by bank refused: it is signed by key \(keyID(try forgedKey(2))), which is neither a key "
                    + "in force nor a new key the entry adds"
            }
        ),
    ]

    /// Where the forged governance entries go: the first index before the case that the bag holds no entry at.
    static func forgedIndex(_ fixture: BundleFixture) throws -> Int {
        let logged = try fixture.governanceEntries().map(\.index)
        let bundled = try FileManager.default.contentsOfDirectory(
            atPath: fixture.bundle.appendingPathComponent("data/governance").path
        )
        let held = Set(bundled.compactMap { Int($0.prefix(8)) })
        return try #require(logged.first { !held.contains($0) })
    }

    /// Adds a governance entry proposing, as `party`, lawyer-partner's party file with `forged` as a further key.
    static func addForgedMemberEntry(
        _ bag: URL,
        _ fixture: BundleFixture,
        by party: String,
        keys: [Ed25519PrivateKey],
        _ forged: Ed25519PrivateKey
    ) throws {
        let member = try fixture.memberEntry(of: "lawyer-partner")
        let original = try Envelope(bytes: try BundleTampering.read(bag, BundleTampering.governanceFile(member)))
            .governanceStatement()
        guard case .member(let declaration) = original.predicate.change else { return }
        let predicate = try GovernancePredicate(
            change: .member(
                MemberDeclaration(
                    id: declaration.id,
                    name: declaration.name,
                    keys: declaration.keys + [PartyKey(publicKey: forged.publicKey)]
                )
            ),
            party: party,
            signedAt: try #require(Timestamp.parse("2026-11-01T00:00:00Z")),
            previous: original.predicate.previous
        )
        let envelope = try Envelope.sign(
            statement: GovernanceStatement(subjects: original.subjects, predicate: predicate),
            keys: keys
        )
        try BundleTampering.addGovernance(envelope, at: try forgedIndex(fixture), to: bag, proofOf: member)
    }

    @Test(
        "with the manifests rewritten to match, each change is caught by the check that covers it",
        arguments: tamperings
    )
    func rewrittenBag(tampering: Tampering) throws {
        let fixture = try BundleFixture(cosigned: false)
        try fixture.bundleCase()
        let bag = try fixture.copyOfBundle()
        try tampering.change(bag, fixture)
        try BundleFixture.recomputeManifests(bag)
        try expectFailure(fixture, bag, try tampering.message(fixture))
    }

    /// The checks verify-bundle reports for `bag`, but the bag's and the contents' (which count files).
    func verdict(_ fixture: BundleFixture, _ bag: URL) throws -> (status: Int32, checks: [Substring]) {
        let result = try fixture.verify(bag)
        let checks = result.stdout.split(separator: "\n").filter {
            !$0.hasPrefix("ok: bag: ") && !$0.hasPrefix("ok: contents: ")
        }
        return (result.status, checks)
    }

    @Test(
        "party files are for people: rewriting or removing them changes nothing in the verdict (adding one of no member fails: BundlePayloadFileTests)"
    )
    func partyFilesAreNotEvidence() throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let original = try verdict(fixture, fixture.bundle)
        #expect(original.status == 0, "\(original.checks)")

        let bag = try fixture.copyOfBundle()
        try BundleTampering.replaceKey(in: bag, party: "lawyer-partner")
        try BundleTampering.replaceKey(in: bag, party: "bank")
        try BundleTampering.edit(
            bag,
            "data/parties/director-a.yaml",
            "\n",
            "\n    until: 2026-01-02T00:00:00Z\n",
            last: true
        )
        try BundleTampering.edit(bag, "data/parties/registry.yaml", "name: ", "name: Not ")
        try FileManager.default.removeItem(at: bag.appendingPathComponent("data/parties/director-c.yaml"))
        try Data("not: [yaml".utf8).write(to: bag.appendingPathComponent("data/parties/regulator.yaml"))
        try BundleFixture.recomputeManifests(bag)

        let rewritten = try verdict(fixture, bag)
        #expect(rewritten.status == 0, "\(rewritten.checks)")
        #expect(rewritten.checks == original.checks)
        #expect(
            try fixture.verify(bag).stdout.contains(
                "7 party files for people to read (not evidence: no check reads them)"
            )
        )
    }

    @Test("a proof for another tree size is refused")
    func proofForAnotherTreeSize() throws {
        let fixture = try BundleFixture(cosigned: false)
        try fixture.bundleCase()
        let size = try fixture.caseIndexes().last! + 1
        #expect(try fixture.example.openMortgage("M-3").status == 0)
        #expect(try fixture.checkpoint().status == 0)
        let later = fixture.scratch.url.appendingPathComponent("later")
        #expect(try fixture.bundleCase(BundleFixture.caseID, "--out", later.path).status == 0)

        let last = try fixture.caseIndexes().last!
        let release = try Self.label(fixture, "funds-release", by: "bank", at: "2026-11-07T10:00:00Z")
        let proofFile = BundleTampering.proofFile(last)
        let oldProof = fixture.bundle.appendingPathComponent(proofFile)
        let whole = try fixture.copyOfBundle(of: later)
        try FileManager.default.removeItem(at: whole.appendingPathComponent(proofFile))
        try FileManager.default.copyItem(at: oldProof, to: whole.appendingPathComponent(proofFile))
        try BundleFixture.recomputeManifests(whole)
        try expectFailure(
            fixture,
            whole,
            "proofs: the proof of \(release) is for a tree of \(size) entries, but data/checkpoint.txt is of \(size + 1)"
        )

        let pathOnly = try fixture.copyOfBundle(of: later)
        let old = try TlogProof(parsing: Array(try Data(contentsOf: oldProof)))
        let newNote = try SignedNote(
            parsing: Array(try Data(contentsOf: later.appendingPathComponent("data/checkpoint.txt")))
        )
        let mixed = try TlogProof(index: old.index, hashes: old.hashes, note: newNote)
        try Data(mixed.serialized.utf8).write(to: pathOnly.appendingPathComponent(proofFile))
        try BundleFixture.recomputeManifests(pathOnly)
        try expectFailure(
            fixture,
            pathOnly,
            "proofs: the inclusion proof of \(release) does not lead to the checkpoint's root"
        )
    }

    /// A copy of the bundle whose checkpoint is the same tree signed under the log's origin by `key` instead.
    func resignedCheckpoint(_ fixture: BundleFixture, by key: Ed25519PrivateKey) throws -> URL {
        let bag = try fixture.copyOfBundle()
        let note = try SignedNote(
            parsing: Array(try Data(contentsOf: bag.appendingPathComponent("data/checkpoint.txt")))
        )
        let forged = try Checkpoint(note: note).signed(by: try NoteSigner(name: BundleFixture.origin, key: key))
        try BundleFixture.replaceCheckpoint(in: bag, with: forged)
        try BundleFixture.recomputeManifests(bag)
        return bag
    }

    @Test("a checkpoint signed by a key no member holds is not the log's")
    func unknownCheckpointKey() throws {
        let fixture = try BundleFixture(cosigned: false)
        try fixture.bundleCase()
        let bag = try resignedCheckpoint(fixture, by: try Ed25519PrivateKey())
        try expectFailure(
            fixture,
            bag,
            "checkpoint: no signature of the log signer 'bank' under '\(BundleFixture.origin)': it is not the log's checkpoint"
        )
        #expect(
            try fixture.verify(bag).stdout.contains(
                "note: checkpoint: the signature line of \(BundleFixture.origin) (by a key that is not one of the log signer"
            )
        )
    }

    @Test("a checkpoint signed by a member who is not the policy's log signer is not the log's")
    func checkpointByAnotherMember() throws {
        let fixture = try BundleFixture(cosigned: false)
        try fixture.bundleCase()
        for member in ["lawyer", "regulator"] {
            let bag = try resignedCheckpoint(fixture, by: try fixture.key(member))
            try expectFailure(
                fixture,
                bag,
                "checkpoint: no signature of the log signer 'bank' under '\(BundleFixture.origin)': it is not the log's checkpoint"
            )
            let output = try fixture.verify(bag).stdout
            #expect(!output.contains("ok: checkpoint: signed under"), "\(output)")
            #expect(!output.contains("ok: rules:"), "checks went on after the checkpoint failed")
        }
    }

    /// The FAIL line of a checkpoint that is not the log's.
    static let notTheLogs =
        "checkpoint: no signature of the log signer 'bank' under '\(BundleFixture.origin)': it is not the log's checkpoint"

    @Test("a checkpoint carrying only a witness's signatures, its log line removed, is not the log's")
    func checkpointByWitnessAlone() throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let original = try SignedNote(
            parsing: Array(try Data(contentsOf: fixture.bundle.appendingPathComponent("data/checkpoint.txt")))
        )
        let cosignature = try #require(original.signatures.first { $0.name == BundleFixture.witnessName })
        let witnessOnly = try SignedNote(text: original.text, signatures: [cosignature])
        // The witness also signs the body as a plain note under its own name (under the log's: checkpointByAnotherMember).
        let regulator = try fixture.key("regulator")
        let plain = try Checkpoint(note: original).signed(by: try NoteSigner(name: "regulator", key: regulator))
        let asNote = try witnessOnly.adding(plain.signatures[0])
        for note in [witnessOnly, asNote] {
            let bag = try fixture.copyOfBundle()
            try BundleFixture.replaceCheckpoint(in: bag, with: note)
            try BundleFixture.recomputeManifests(bag)
            try expectFailure(fixture, bag, Self.notTheLogs)
            #expect(!(try fixture.verify(bag).stdout.contains("ok: checkpoint: signed under")))
        }
    }

    @Test("a checkpoint signed by the log signer's revoked key is not the log's")
    func checkpointByRevokedKey() throws {
        let fixture = try BundleFixture(cosigned: false)
        let old = try fixture.key("bank")
        let at = "2026-11-07T12:00:00Z"
        let generated = try fixture.cli.run("keygen", "bank", "--out", "out/keys/bank-2.pem")
        #expect(generated.status == 0, "\(generated.stderr)")
        let rotated = try fixture.cli.run(
            "propose",
            "parties/bank.yaml",
            "--as",
            "bank",
            "--key",
            "out/keys/bank.pem",
            "--key",
            "out/keys/bank-2.pem",
            "--now",
            at
        )
        #expect(rotated.status == 0, "\(rotated.stdout)\(rotated.stderr)")
        let revoked = try fixture.cli.run(
            "revoke",
            "bank",
            old.publicKey.keyID,
            "--reason",
            "rotated",
            "--as",
            "bank",
            "--key",
            "out/keys/bank-2.pem",
            "--now",
            at
        )
        #expect(revoked.status == 0, "\(revoked.stdout)\(revoked.stderr)")
        let signed = try fixture.cli.run("checkpoint", "--as", "bank", "--key", "out/keys/bank-2.pem", "--now", at)
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(try fixture.bundleCase().status == 0)
        #expect(try fixture.verify(fixture.bundle).status == 0, "the new key's checkpoint is the log's")

        let bag = try resignedCheckpoint(fixture, by: old)
        try expectFailure(
            fixture,
            bag,
            "checkpoint: the log's signature is by key \(old.publicKey.keyID.prefix(16))… of 'bank', revoked at entry "
        )
        #expect(try fixture.verify(bag).stdout.contains("a revoked key signs no checkpoint"))
    }

    @Test(
        "a checkpoint of the same tree under another origin, or with the log's line under another name, is not the log's"
    )
    func checkpointUnderAnotherOrigin() throws {
        let fixture = try BundleFixture(cosigned: false)
        try fixture.bundleCase()
        let bank = try fixture.key("bank")
        let note = try SignedNote(
            parsing: Array(try Data(contentsOf: fixture.bundle.appendingPathComponent("data/checkpoint.txt")))
        )
        let checkpoint = try Checkpoint(note: note)
        let other = "countersign.example/another-log"
        let renamed = try Checkpoint(
            origin: other,
            size: checkpoint.size,
            rootHash: checkpoint.rootHash,
            extensions: checkpoint.extensions
        ).signed(by: try NoteSigner(name: other, key: bank))
        let bag = try fixture.copyOfBundle()
        try BundleFixture.replaceCheckpoint(in: bag, with: renamed)
        try BundleFixture.recomputeManifests(bag)
        try expectFailure(
            fixture,
            bag,
            "checkpoint: it names the log '\(other)', but the consortium's log is '\(BundleFixture.origin)'"
        )

        let misnamed = try checkpoint.signed(by: try NoteSigner(name: "bank", key: bank))
        let second = try fixture.copyOfBundle()
        try BundleFixture.replaceCheckpoint(in: second, with: misnamed)
        try BundleFixture.recomputeManifests(second)
        try expectFailure(fixture, second, Self.notTheLogs)
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
        try expectFailure(fixture, bag, "checkpoint: the cosignature of '\(BundleFixture.witnessName)' does not verify")
    }

    @Test(
        "issue 9: a bundle re-signed end to end with other keys passes on its own, and fails once the log key or the genesis is pinned"
    )
    func trustedKeys() throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let trust = try fixture.trustFile(witness: true)
        let pinned = try fixture.verify(fixture.bundle, "--trust", trust)
        #expect(pinned.status == 0, "\(pinned.stdout)\(pinned.stderr)")
        #expect(pinned.stdout.contains("ok: checkpoint: signed by the trusted log key \(BundleFixture.origin)+"))
        #expect(pinned.stdout.contains("ok: checkpoint: cosigned by trusted witness regulator at "))
        #expect(pinned.stdout.contains("ok: checkpoint: the trust file's witness quorum"))
        #expect(
            pinned.stdout.contains("ok: checkpoint: signed under '\(BundleFixture.origin)' by the log signer 'bank'")
        )
        #expect(!pinned.stdout.contains("no --trust file"))
        #expect(pinned.stdout.contains("bundle verified, with the log and witness keys of \(trust)"))

        let json = try fixture.verify(fixture.bundle, "--trust", trust, "--json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["verified"] as? Bool == true)
        #expect((object?["trust"] as? [String: Any])?["pinned"] as? Bool == true)
        #expect((object?["checks"] as? [[String: Any]])?.first?["status"] as? String == "ok")

        let genesisTrust = try fixture.genesisTrustFile()
        let genesisHash = try String(contentsOfFile: genesisTrust, encoding: .utf8).split(separator: " ").last!
            .dropLast()
        let byGenesis = try fixture.verify(fixture.bundle, "--trust", genesisTrust)
        #expect(byGenesis.status == 0, "\(byGenesis.stdout)\(byGenesis.stderr)")
        #expect(
            byGenesis.stdout.contains(
                "ok: governance: data/governance/00000000.dsse.json is the pinned genesis \(genesisHash)"
            )
        )
        #expect(byGenesis.stdout.contains("ok: checkpoint: the trust file pins no log key"))
        #expect(
            byGenesis.stdout.contains("ok: checkpoint: signed under '\(BundleFixture.origin)' by the log signer 'bank'")
        )
        #expect(!byGenesis.stdout.contains("no --trust file"))

        // Another consortium of the same parties' names: new genesis, new keys, every entry and the checkpoint re-signed.
        let impostor = try BundleFixture(cosigned: false)
        try impostor.bundleCase()
        let alone = try impostor.verify(impostor.bundle)
        #expect(alone.status == 0, "the impostor's bundle is consistent in itself:\n\(alone.stdout)")
        #expect(
            alone.stdout.contains(
                "note: checkpoint: no --trust file: the checkpoint and every signature are checked with keys"
            )
        )
        #expect(alone.stdout.contains("note: governance: no genesis is pinned"))
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
            "governance: data/governance/00000000.dsse.json is not the pinned genesis (its SHA-256 is sha256:",
            "--trust",
            genesisTrust
        )
        let stopped = try impostor.verify(impostor.bundle, "--trust", genesisTrust).stdout
        #expect(!stopped.contains("ok: signature:"), "no key of another consortium may be used: \(stopped)")
        try expectFailure(
            impostor,
            impostor.bundle,
            "checkpoint: the trust file's witness quorum",
            "--trust",
            try impostor.trustFile(witness: true)
        )
    }

    @Test("a trust file pinning witnesses alone roots nothing and is refused")
    func witnessesAlone() throws {
        let fixture = try BundleFixture()
        try fixture.bundleCase()
        let regulator = try fixture.key("regulator").publicKey
        let vkey = try NoteVerifier(name: BundleFixture.witnessName, publicKey: regulator, type: .cosignatureV1).vkey
        let file = fixture.scratch.path("witnesses.txt")
        try Data("witness regulator \(vkey)\n".utf8).write(to: URL(fileURLWithPath: file))
        try expectFailure(
            fixture,
            fixture.bundle,
            "checkpoint: the trust file pins neither a log key nor a genesis, so nothing roots the log's key",
            "--trust",
            file
        )
    }

    @Test("an entry the pipeline did not allow, though validly signed, logged and chained, is caught by the replay")
    func forbiddenEntries() throws {
        let fixture = try BundleFixture(cosigned: false)
        #expect(try fixture.example.openMortgage("M-3", large: true).status == 0)
        let registry = try Self.forge(fixture, caseID: "M-3", step: "title-registration", party: "registry")
        #expect(try fixture.example.openMortgage("M-4", large: true).status == 0)
        let lawyer = try Self.forge(fixture, caseID: "M-4", step: "credit-check", party: "lawyer")
        #expect(try fixture.checkpoint().status == 0)
        for caseID in ["M-3", "M-4"] {
            let result = try fixture.bundleCase(caseID)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let bundles = fixture.bundle.deletingLastPathComponent()
        try expectFailure(
            fixture,
            bundles.appendingPathComponent("M-3"),
            "rules: entry \(registry) (title-registration approve by registry at 2026-11-03T10:00:00Z) was not allowed by the pipeline: waiting for step 'valuation'"
        )
        try expectFailure(
            fixture,
            bundles.appendingPathComponent("M-4"),
            "rules: entry \(lawyer) (credit-check approve by lawyer at 2026-11-03T10:00:00Z) was not allowed by the pipeline: party 'lawyer' may not sign step 'credit-check' (signed by: bank)"
        )
    }

    /// Appends, bypassing every sign-off check, `party`'s approval of `step` signed with `key` (by
    /// default the party's own) at `signedAt`, logged at `logTime` (by default its signing time,
    /// not the machine's clock: the replay judges the case's windows at log time); returns its log
    /// index.
    @discardableResult
    static func forge(
        _ fixture: BundleFixture,
        caseID: String,
        step: String,
        party: String,
        key: Ed25519PrivateKey? = nil,
        signedAt: String = "2026-11-03T10:00:00Z",
        logTime: String? = nil
    ) throws -> Int {
        let ledger = Ledger(store: try fixture.example.store())
        let entries = try ledger.store.entries(ofCase: caseID)
        let opening = try Envelope(bytes: entries[0].envelope).statement().predicate
        let predicate = try StepPredicate(
            pipeline: opening.pipeline,
            pipelineDigest: opening.pipelineDigest,
            caseID: caseID,
            step: step,
            party: party,
            decision: .approve,
            signedAt: try #require(Timestamp.parse(signedAt)),
            previous: entries.last?.leafHash
        )
        // A step/v2 entry endorsing the case's documents as its last entry left them.
        let endorsed = try entries.last.flatMap { try Envelope(bytes: $0.envelope).statement().endorsedDocuments }
        let envelope = try Envelope.sign(
            statement: Statement(endorsing: endorsed ?? [:], predicate: predicate),
            key: try key ?? fixture.key(party)
        )
        let logged = try #require(Timestamp.parse(logTime ?? signedAt))
        return try ledger.append([
            NewEntry(
                envelope: envelope.bytes,
                caseID: caseID,
                expectedPrevious: entries.last?.leafHash,
                logTime: logged
            )
        ])[0].index
    }

    // MARK: A consortium of two admins

    @Test("under a two-admin policy the bundle carries the version's approval; without it the version is not in force")
    func versionApprovalRemoved() throws {
        let fixture = try BundleFixture(cosigned: false, twoAdmins: true)
        try fixture.bundleCase()
        let (proposal, approvals) = try fixture.versionEntries()
        #expect(approvals.count == 1)
        let approval = try #require(approvals.first)
        for index in [proposal, approval] {
            #expect(
                FileManager.default.fileExists(
                    atPath: fixture.bundle.appendingPathComponent(BundleTampering.governanceFile(index)).path
                )
            )
        }
        let verified = try fixture.verify(fixture.bundle)
        #expect(verified.status == 0, "\(verified.stdout)")
        #expect(verified.stdout.contains("policy quorum 2 of [bank, regulator]; log signed by bank"))
        #expect(verified.stdout.contains("in force since governance entry \(approval), governs every entry"))

        let bag = try fixture.copyOfBundle()
        try BundleTampering.remove(governance: approval, from: bag)
        try BundleFixture.recomputeManifests(bag)
        try expectFailure(
            fixture,
            bag,
            "pipeline: \(try Self.opening(fixture)) opens the case under mortgage-approval@sha256:"
                + "\(try fixture.caseVersion().hex), which no governance entry in the bundle brought into force before it"
        )
    }

    @Test("a key an admin added without the quorum's approval signs nothing, though its entry is really in the log")
    func keyWithoutApproval() throws {
        let fixture = try BundleFixture(cosigned: false, twoAdmins: true)
        let added = try Ed25519PrivateKey()
        let file = try String(contentsOfFile: fixture.path("parties/lawyer-partner.yaml"), encoding: .utf8)
        let text = file + "  - ed25519: \(Data(added.publicKey.spkiDER).base64EncodedString())\n"
        let party = try Party(bytes: Array(text.utf8), path: "parties/lawyer-partner.yaml")
        let receipt = try Consortium(ledger: Ledger(store: try fixture.example.store())).propose(
            member: party,
            as: "bank",
            keys: [try fixture.key("bank"), added],
            signedAt: try #require(Timestamp.parse("2026-11-02T00:00:00Z"))
        )
        #expect(!receipt.inForce, "quorum 2: the bank's proposal alone is not in force")

        #expect(try fixture.example.openMortgage("M-3", large: true).status == 0)
        #expect(try fixture.example.sign("M-3", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        let forged = try Self.forge(fixture, caseID: "M-3", step: "legal-review", party: "lawyer-partner", key: added)
        #expect(try fixture.checkpoint().status == 0)
        let written = try fixture.bundleCase("M-3")
        #expect(written.status == 0, "\(written.stderr)")
        let bag = fixture.bundle.deletingLastPathComponent().appendingPathComponent("M-3")
        #expect(
            FileManager.default.fileExists(
                atPath: bag.appendingPathComponent(BundleTampering.governanceFile(receipt.index)).path
            ),
            "the pending proposal is among the entries about lawyer-partner"
        )
        try expectFailure(
            fixture,
            bag,
            "signature: entry \(forged) (legal-review approve by lawyer-partner at 2026-11-03T10:00:00Z) is signed with key "
                + "\(added.publicKey.keyID.prefix(16))…, which no member held in force at that point of the log"
        )
    }
}
