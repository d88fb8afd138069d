import CountersignKit
import Foundation
import TestSupport
import Testing

/// CONSORTIUM.md "Time the log vouches for" in audit bundles: every entry's log time in
/// `data/log-times.txt`, bounded by the checkpoints the log signed before and after it (with their
/// witnesses' cosignature times), and the replay judging the pipeline's windows at log time.
@Suite("Audit bundles: when each entry reached the log")
struct BundleTimeTests {
    static let pad = BundleTampering.padded

    /// A case checkpointed and cosigned during its run (`BundleFixture(witnessed:)`), and its bundle.
    static func witnessed() throws -> BundleFixture {
        let fixture = try BundleFixture(witnessed: true)
        let written = try fixture.bundleCase()
        #expect(written.status == 0, "\(written.stderr)")
        return fixture
    }

    /// The tree sizes of the checkpoints signed during the witnessed case (after its fourth and sixth
    /// entries) and of the bundle's own checkpoint.
    static func sizes(_ fixture: BundleFixture) throws -> (first: Int, second: Int, main: Int) {
        let cases = try fixture.caseIndexes()
        return (cases[3] + 1, cases[5] + 1, cases.last! + 1)
    }

    static func checkpointFile(_ size: Int) -> String { "data/checkpoints/\(pad(size)).txt" }

    static func consistencyFile(_ size: Int) -> String { "data/checkpoints/\(pad(size)).consistency" }

    /// `checkpoint 18 (data/checkpoints/00000018.txt)`, as verify-bundle names an earlier checkpoint.
    static func checkpointLabel(_ size: Int) -> String { "checkpoint \(size) (\(checkpointFile(size)))" }

    static func label(_ fixture: BundleFixture, _ step: String, by party: String, at time: String) throws -> String {
        try BundleTamperTests.label(fixture, step, by: party, at: time)
    }

    static func legalReview(_ fixture: BundleFixture) throws -> String {
        try label(fixture, "legal-review", by: "lawyer-partner", at: "2026-11-04T10:00:00Z")
    }

    /// Replaces the log time `data/log-times.txt` gives the entry at `index`.
    static func setLogTime(of index: Int, to time: String, in bag: URL) throws {
        let text = try String(contentsOf: bag.appendingPathComponent("data/log-times.txt"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(pad(index) + " ") })
        try BundleTampering.edit(bag, "data/log-times.txt", String(line) + "\n", "\(pad(index)) \(time)\n")
    }

    /// Flips a bit of the time in the witness's cosignature on a checkpoint file.
    static func redateCosignature(in file: String, of bag: URL) throws {
        let note = try SignedNote(parsing: try BundleTampering.read(bag, file))
        var signatures: [SignedNote.Signature] = []
        for line in note.signatures {
            guard line.name == BundleFixture.witnessName else {
                signatures.append(line)
                continue
            }
            var bytes = line.bytes
            bytes[7] ^= 0x01
            signatures.append(try SignedNote.Signature(name: line.name, keyID: line.keyID, bytes: bytes))
        }
        let redated = try SignedNote(text: note.text, signatures: signatures)
        try BundleTampering.write(Array(redated.serialized.utf8), bag, file)
    }

    /// Replaces the witness's cosignature on a checkpoint file with a valid one made at `time`.
    static func cosignAgain(_ file: String, in bag: URL, _ fixture: BundleFixture, at time: String) throws {
        let note = try SignedNote(parsing: try BundleTampering.read(bag, file))
        let cosignature = try Cosignature.sign(
            try Checkpoint(note: note),
            name: BundleFixture.witnessName,
            key: try fixture.key("regulator"),
            time: try #require(Timestamp.parse(time))
        )
        let others = note.signatures.filter { $0.name != BundleFixture.witnessName }
        let redated = try SignedNote(text: note.text, signatures: others + [cosignature.noteSignature])
        try BundleTampering.write(Array(redated.serialized.utf8), bag, file)
    }

    /// Replaces the last hash of a consistency proof file.
    static func breakConsistencyProof(_ file: String, in bag: URL) throws {
        let text = String(decoding: try BundleTampering.read(bag, file), as: UTF8.self)
        let hash = try #require(text.split(separator: "\n").last)
        try BundleTampering.edit(bag, file, String(hash), MerkleHash.empty.base64, last: true)
    }

    /// Replaces the log-time line of a checkpoint file, keeping its signatures.
    static func setCheckpointTime(_ file: String, to time: String, in bag: URL) throws {
        let text = try String(contentsOf: bag.appendingPathComponent(file), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(Checkpoint.logTimePrefix) })
        try BundleTampering.edit(bag, file, String(line), Checkpoint.logTimePrefix + time)
    }

    @Test(
        "the bag carries every entry's log time and the checkpoints before and after each case entry; verify-bundle prints the interval each entry reached the log in"
    )
    func intervals() throws {
        let fixture = try Self.witnessed()
        let (first, second, main) = try Self.sizes(fixture)
        let bag = fixture.bundle
        #expect(
            BundleCommandTests.files(bag.appendingPathComponent("data/checkpoints"))
                == [first, second].flatMap { ["\(Self.pad($0)).consistency", "\(Self.pad($0)).txt"] }
        )
        let info = try String(contentsOf: bag.appendingPathComponent("bag-info.txt"), encoding: .utf8)
        #expect(info.contains("\nCountersign-Bracketing-Checkpoints: \(first) \(second)\n"), "\(info)")

        // Every entry of the bag, case and governance, with the log time the ledger recorded.
        let store = try fixture.example.store()
        let held = try FileManager.default.contentsOfDirectory(atPath: bag.appendingPathComponent("data/proofs").path)
            .compactMap { Int($0.prefix(8)) }.sorted()
        let expected = try held.map { index in
            "\(Self.pad(index)) \(Timestamp.format(try #require(try store.entry(at: index)?.logTime)))\n"
        }.joined()
        #expect(try String(contentsOf: bag.appendingPathComponent("data/log-times.txt"), encoding: .utf8) == expected)
        let ledger = Ledger(store: store)
        let proof = try ledger.consistencyProof(from: first, to: main)
        #expect(
            try String(contentsOf: bag.appendingPathComponent(Self.consistencyFile(first)), encoding: .utf8)
                == "countersign.dev/consistency-proof@v1\nold \(first)\nnew \(main)\n"
                + proof.hashes.map { $0.base64 + "\n" }.joined()
        )
        let stored = try #require(try store.checkpoints().first { $0.size == second })
        #expect(
            try String(contentsOf: bag.appendingPathComponent(Self.checkpointFile(second)), encoding: .utf8)
                == stored.note
        )

        let verified = try fixture.verify(bag)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let cosigned = (
            first: "cosigned by regulator at \(BundleFixture.midCaseCosignatures[0])",
            second: "cosigned by regulator at \(BundleFixture.midCaseCosignatures[1])",
            main: "cosigned by regulator at \(Timestamp.format(BundleFixture.finalCosignature))"
        )
        let registry = try Self.label(fixture, "title-registration", by: "registry", at: "2026-11-07T10:00:00Z")
        for line in [
            "ok: contents: 9 case entries and 9 governance entries with their inclusion proofs, 4 documents, the "
                + "pipeline and 3 files beside it (checked against its version below), the checkpoint, 2 earlier "
                + "checkpoints with their consistency proofs, 18 log times",
            "ok: time: data/log-times.txt gives all 18 entries (9 case, 9 governance) log times that never go back",
            "ok: time: \(Self.checkpointLabel(first)), log time 2026-11-03T10:00:00Z, is signed by the log signer 'bank' "
                + "and \(cosigned.first)",
            "ok: time: \(try BundleTamperTests.opening(fixture)) reached the log at 2026-11-02T09:00:00Z, after the log's "
                + "start and before checkpoint \(first) (log time 2026-11-03T10:00:00Z, \(cosigned.first))",
            "ok: time: \(try Self.legalReview(fixture)) reached the log at 2026-11-04T10:00:00Z, after checkpoint \(first) "
                + "(log time 2026-11-03T10:00:00Z, \(cosigned.first)) and before checkpoint \(second) (log time "
                + "2026-11-05T10:00:00Z, \(cosigned.second))",
            "ok: time: \(registry) reached the log at 2026-11-07T10:00:00Z, after checkpoint \(second) (log time "
                + "2026-11-05T10:00:00Z, \(cosigned.second)) and before checkpoint \(main) (log time 2026-11-07T10:00:00Z, "
                + "\(cosigned.main))",
            "note: time: this ledger's clock is simulated (a demo or test): these times prove nothing",
            "ok: rules: all 9 entries replayed through pipeline 'mortgage-approval': each signer was allowed and each "
                + "step ready when the log received it",
        ] {
            #expect(
                verified.stdout.contains(line + (line.hasPrefix("ok: contents") ? ";" : "")),
                "missing '\(line)' in:\n\(verified.stdout)"
            )
        }
        #expect(BundleCommandTests.lines(verified.stdout, "ok: time: entry ").count == 9, "\(verified.stdout)")
        let pinned = try fixture.verify(bag, "--trust", try fixture.trustFile(witness: true))
        #expect(pinned.status == 0, "\(pinned.stdout)")
        #expect(pinned.stdout.contains("ok: time: \(Self.checkpointLabel(second)), log time"))
    }

    /// A change to a witnessed bag's times (the manifests rewritten), and what verify-bundle must say.
    struct Tampering: CustomTestStringConvertible, Sendable {
        let name: String
        let change: @Sendable (URL, BundleFixture) throws -> Void
        let message: @Sendable (BundleFixture) throws -> String
        var testDescription: String { name }
    }

    static let tamperings: [Tampering] = [
        Tampering(
            name: "an entry's log time moved after the checkpoint that includes it",
            change: { bag, fixture in
                try setLogTime(
                    of: try fixture.caseIndex(of: "legal-review", by: "lawyer-partner"),
                    to: "2026-11-05T11:00:00Z",
                    in: bag
                )
            },
            message: { fixture in
                "time: data/log-times.txt gives \(try legalReview(fixture)) log time 2026-11-05T11:00:00Z, later than "
                    + "the 2026-11-05T10:00:00Z of \(checkpointLabel(try sizes(fixture).second)), which includes the entry"
            }
        ),
        Tampering(
            name: "an entry's log time moved before the checkpoint the log signed before it",
            change: { bag, fixture in
                try setLogTime(
                    of: try fixture.caseIndex(of: "legal-review", by: "lawyer-partner"),
                    to: "2026-11-03T09:00:00Z",
                    in: bag
                )
            },
            message: { fixture in
                "time: data/log-times.txt gives \(try legalReview(fixture)) log time 2026-11-03T09:00:00Z, earlier than "
                    + "the 2026-11-03T10:00:00Z of \(checkpointLabel(try sizes(fixture).first)), which the log signed "
                    + "before it received the entry"
            }
        ),
        Tampering(
            name: "an entry's log time going back",
            change: { bag, fixture in
                try setLogTime(
                    of: try fixture.caseIndex(of: "credit-check", by: "bank"),
                    to: "2026-11-02T08:00:00Z",
                    in: bag
                )
            },
            message: { fixture in
                "time: data/log-times.txt gives "
                    + "\(try label(fixture, "credit-check", by: "bank", at: "2026-11-02T10:00:00Z")) log time "
                    + "2026-11-02T08:00:00Z, earlier than the 2026-11-02T09:00:00Z of "
                    + "\(try BundleTamperTests.opening(fixture)) before it: the log's time never goes back"
            }
        ),
        Tampering(
            name: "the log time of a checkpoint's newest entry changed",
            change: { bag, fixture in
                try setLogTime(
                    of: try fixture.caseIndex(of: "valuation", by: "bank"),
                    to: "2026-11-03T09:30:00Z",
                    in: bag
                )
            },
            message: { fixture in
                "time: \(checkpointLabel(try sizes(fixture).first)) states log time 2026-11-03T10:00:00Z, but "
                    + "data/log-times.txt gives its newest entry, "
                    + "\(try label(fixture, "valuation", by: "bank", at: "2026-11-03T10:00:00Z")), 2026-11-03T09:30:00Z"
            }
        ),
        Tampering(
            name: "a bracketing checkpoint's log-time line edited",
            change: { bag, fixture in
                try setCheckpointTime(checkpointFile(try sizes(fixture).second), to: "2026-11-05T09:00:00Z", in: bag)
            },
            message: { fixture in
                "time: \(checkpointLabel(try sizes(fixture).second)) states log time 2026-11-05T09:00:00Z, but "
                    + "data/log-times.txt gives its newest entry"
            }
        ),
        Tampering(
            name: "a bracketing checkpoint's log-time line and its newest entry's log time edited together",
            change: { bag, fixture in
                let second = try sizes(fixture).second
                try setCheckpointTime(checkpointFile(second), to: "2026-11-05T11:00:00Z", in: bag)
                try setLogTime(of: second - 1, to: "2026-11-05T11:00:00Z", in: bag)
            },
            message: { fixture in
                "time: \(checkpointLabel(try sizes(fixture).second)): the log's signature by 'bank' does not verify: "
                    + "the note was altered"
            }
        ),
        Tampering(
            name: "a cosignature's timestamp altered",
            change: { bag, fixture in try redateCosignature(in: checkpointFile(try sizes(fixture).first), of: bag) },
            message: { fixture in
                "time: \(checkpointLabel(try sizes(fixture).first)): the cosignature of 'regulator' does not verify"
            }
        ),
        Tampering(
            name: "a cosignature dated more than 5 minutes before its checkpoint's log time",
            change: { bag, fixture in
                try cosignAgain(checkpointFile(try sizes(fixture).first), in: bag, fixture, at: "2026-11-03T09:50:00Z")
            },
            message: { fixture in
                "time: the cosignature of 'regulator' on \(checkpointLabel(try sizes(fixture).first)) is dated "
                    + "2026-11-03T09:50:00Z, more than 5 minutes before the checkpoint's log time 2026-11-03T10:00:00Z"
            }
        ),
        Tampering(
            name: "a bracketing checkpoint re-signed by a member who is not the log signer",
            change: { bag, fixture in
                let file = checkpointFile(try sizes(fixture).first)
                let note = try SignedNote(parsing: try BundleTampering.read(bag, file))
                let forged = try Checkpoint(note: note).signed(
                    by: try NoteSigner(name: BundleFixture.origin, key: try fixture.key("lawyer"))
                )
                try BundleTampering.write(Array(forged.serialized.utf8), bag, file)
            },
            message: { fixture in
                "time: \(checkpointLabel(try sizes(fixture).first)): no signature of the log signer 'bank' under "
                    + "'\(BundleFixture.origin)': it is not the log's checkpoint"
            }
        ),
        Tampering(
            name: "a bracketing checkpoint removed",
            change: { bag, fixture in
                let second = try sizes(fixture).second
                for file in [checkpointFile(second), consistencyFile(second)] {
                    try FileManager.default.removeItem(at: BundleTampering.url(bag, file))
                }
            },
            message: { fixture in
                let second = try sizes(fixture).second
                return "contents: bag-info.txt lists checkpoint \(second) among the bracketing checkpoints, but "
                    + "data/checkpoints/ holds no checkpoint of \(second) entries"
            }
        ),
        Tampering(
            name: "a consistency proof removed",
            change: { bag, fixture in
                try FileManager.default.removeItem(
                    at: BundleTampering.url(bag, consistencyFile(try sizes(fixture).first))
                )
            },
            message: { fixture in
                let first = try sizes(fixture).first
                return "contents: \(checkpointFile(first)) has no consistency proof (\(consistencyFile(first)))"
            }
        ),
        Tampering(
            name: "a consistency proof altered",
            change: { bag, fixture in
                try breakConsistencyProof(consistencyFile(try sizes(fixture).first), in: bag)
            },
            message: { fixture in
                let first = try sizes(fixture).first
                return "time: \(consistencyFile(first)) does not prove that \(checkpointLabel(first)) is a prefix of "
                    + "data/checkpoint.txt"
            }
        ),
        Tampering(
            name: "the log times removed",
            change: { bag, _ in try FileManager.default.removeItem(at: BundleTampering.url(bag, "data/log-times.txt"))
            },
            message: { _ in "time: governance entry 0 (genesis by bank) has no log time in data/log-times.txt" }
        ),
        Tampering(
            name: "a log time in another form",
            change: { bag, fixture in
                try setLogTime(
                    of: try fixture.caseIndex(of: "legal-review", by: "lawyer-partner"),
                    to: "2026-11-04T10:00:00+00:00",
                    in: bag
                )
            },
            message: { _ in
                "contents: data/log-times.txt cannot be read: not a log-times file: line 14 is not `INDEX TIME`"
            }
        ),
    ]

    @Test("each change to a bag's times, the manifests rewritten, fails naming it", arguments: tamperings)
    func tampered(tampering: Tampering) throws {
        let fixture = try Self.witnessed()
        let bag = try fixture.copyOfBundle()
        try tampering.change(bag, fixture)
        try BundleFixture.recomputeManifests(bag)
        let result = try fixture.verify(bag)
        #expect(result.status == 1, "expected a failure:\n\(result.stdout)")
        let message = try tampering.message(fixture)
        #expect(
            result.stdout.split(separator: "\n").contains { $0.hasPrefix("FAIL: ") && $0.contains(message) },
            "no FAIL line contains '\(message)':\n\(result.stdout)"
        )
        #expect(!result.stdout.contains("ok: rules:"), "checks went on after the times failed")
    }

    @Test("an earlier checkpoint left out, with its mention in bag-info.txt, only widens the interval shown")
    func checkpointLeftOut() throws {
        let fixture = try Self.witnessed()
        let (first, second, main) = try Self.sizes(fixture)
        let bag = try fixture.copyOfBundle()
        for file in [Self.checkpointFile(second), Self.consistencyFile(second)] {
            try FileManager.default.removeItem(at: BundleTampering.url(bag, file))
        }
        try BundleTampering.edit(bag, "bag-info.txt", "Checkpoints: \(first) \(second)\n", "Checkpoints: \(first)\n")
        try BundleFixture.recomputeManifests(bag)
        let result = try fixture.verify(bag)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "ok: time: \(try Self.legalReview(fixture)) reached the log at 2026-11-04T10:00:00Z, after checkpoint "
                    + "\(first) (log time 2026-11-03T10:00:00Z, cosigned by regulator at "
                    + "\(BundleFixture.midCaseCosignatures[0])) and before checkpoint \(main) (log time 2026-11-07T10:00:00Z"
            ),
            "\(result.stdout)"
        )
    }

    @Test(
        "the replay judges the pipeline at each entry's log time: a step signed inside the case's window but logged after it was not allowed"
    )
    func replayAtLogTime() throws {
        let fixture = try BundleFixture(cosigned: false)
        #expect(try fixture.example.openMortgage("M-3", large: true, at: "2026-11-08T09:00:00Z").status == 0)
        // The mortgage expires six months after its opening; signed inside, logged after.
        let late = try BundleTamperTests.forge(
            fixture,
            caseID: "M-3",
            step: "credit-check",
            party: "bank",
            signedAt: "2027-05-01T10:00:00Z",
            logTime: "2027-05-20T10:00:00Z"
        )
        #expect(try fixture.checkpoint().status == 0)
        #expect(try fixture.bundleCase("M-3").status == 0)
        let bag = fixture.bundle.deletingLastPathComponent().appendingPathComponent("M-3")
        let result = try fixture.verify(bag)
        #expect(result.status == 1, "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "FAIL: rules: entry \(late) (credit-check approve by bank at 2027-05-01T10:00:00Z) was not allowed by the "
                    + "pipeline: the case's window ended at 2027-05-08T09:00:00Z, before log time 2027-05-20T10:00:00Z "
                    + "(signed at 2027-05-01T10:00:00Z)"
            ),
            "\(result.stdout)"
        )
        #expect(result.stdout.contains("ok: signature: entry \(late) (credit-check"), "\(result.stdout)")
    }

    @Test(
        "when a window closes between an entry's log time and the checkpoint after it, verify-bundle says the checkpoints alone do not prove it in time"
    )
    func unprovenWindow() throws {
        let fixture = try BundleFixture(cosigned: false)
        #expect(try fixture.example.openMortgage("M-3", large: true, at: "2026-11-08T09:00:00Z").status == 0)
        let inTime = try BundleTamperTests.forge(
            fixture,
            caseID: "M-3",
            step: "credit-check",
            party: "bank",
            signedAt: "2027-05-07T10:00:00Z"
        )
        // The next checkpoint comes after the mortgage's window closed (2027-05-08T09:00:00Z).
        #expect(try fixture.example.openMortgage("M-4", at: "2027-06-01T10:00:00Z").status == 0)
        #expect(try fixture.checkpoint().status == 0)
        #expect(try fixture.bundleCase("M-3").status == 0)
        let result = try fixture.verify(fixture.bundle.deletingLastPathComponent().appendingPathComponent("M-3"))
        #expect(result.status == 0, "\(result.stdout)")
        let size = try fixture.example.store().size()
        #expect(
            result.stdout.contains(
                "note: rules: entry \(inTime) (credit-check approve by bank at 2027-05-07T10:00:00Z) is before the case's "
                    + "window ended at 2027-05-08T09:00:00Z only by its log time in data/log-times.txt, "
                    + "2027-05-07T10:00:00Z; the checkpoints prove only that it reached the log by 2027-06-01T10:00:00Z "
                    + "(checkpoint \(size))"
            ),
            "\(result.stdout)"
        )
        #expect(BundleCommandTests.lines(result.stdout, "note: rules: ").count == 1, "\(result.stdout)")
    }

    @Test("a case entry dated before its key came into force, or later than its log time + 5 minutes, is refused")
    func signingTimes() throws {
        let fixture = try BundleFixture(cosigned: false)
        for (caseID, signedAt, logTime) in [
            ("M-3", "2025-12-01T00:00:00Z", "2026-11-08T10:00:00Z"),
            ("M-4", "2026-11-09T10:06:00Z", "2026-11-09T10:00:00Z"),
        ] {
            #expect(try fixture.example.openMortgage(caseID, large: true, at: "2026-11-08T09:00:00Z").status == 0)
            try BundleTamperTests.forge(
                fixture,
                caseID: caseID,
                step: "credit-check",
                party: "bank",
                signedAt: signedAt,
                logTime: logTime
            )
        }
        #expect(try fixture.checkpoint().status == 0)
        let bank = try fixture.key("bank").publicKey.keyID.prefix(16)
        let bundles = fixture.bundle.deletingLastPathComponent()
        for (caseID, message) in [
            (
                "M-3",
                "it is signed at 2025-12-01T00:00:00Z, before its key \(bank)… of 'bank' came into force at log time "
                    + "\(ExampleWorkspace.founding) (entry 0)"
            ),
            ("M-4", "it is signed at 2026-11-09T10:06:00Z, later than its log time 2026-11-09T10:00:00Z + 5 minutes"),
        ] {
            #expect(try fixture.bundleCase(caseID).status == 0)
            let result = try fixture.verify(bundles.appendingPathComponent(caseID))
            #expect(result.status == 1)
            #expect(
                result.stdout.contains("FAIL: signature: entry ") && result.stdout.contains(message),
                "\(result.stdout)"
            )
        }
    }

    @Test("VERIFY.md's time section prints each entry's interval from the bag alone, and catches edited times")
    func verifyGuide() throws {
        let fixture = try Self.witnessed()
        let (first, second, main) = try Self.sizes(fixture)
        let guide = try String(contentsOf: fixture.bundle.appendingPathComponent("data/VERIFY.md"), encoding: .utf8)
        #expect(guide.contains("## 8. When each entry reached the log"))
        #expect(guide.contains("This consortium's clock is **simulated**"))
        let script = VerifyGuideScript(markdown: guide).script()
        let output = try BundleCommandTests.runBash(script, in: fixture.bundle)
        #expect(!output.contains("FAILED"), "\(output)")
        let review = Self.pad(try fixture.caseIndex(of: "legal-review", by: "lawyer-partner"))
        let cosigned = (
            first: "cosigned by regulator at \(BundleFixture.midCaseCosignatures[0])",
            second: "cosigned by regulator at \(BundleFixture.midCaseCosignatures[1])",
            main: "cosigned by regulator at \(Timestamp.format(BundleFixture.finalCosignature))"
        )
        for line in [
            "NOTE: this consortium's clock is simulated (a demo or test): the times below prove nothing",
            "OK: \(Self.checkpointFile(first)): the log's signature verifies with key ",
            "OK: \(Self.checkpointFile(first)): the cosignature of witness regulator at \(BundleFixture.midCaseCosignatures[0]) verifies",
            "OK: \(Self.checkpointFile(second)), the log's tree of \(second) entries at log time 2026-11-05T10:00:00Z, is a "
                + "prefix of data/checkpoint.txt",
            "OK: data/entries/\(review).dsse.json (legal-review approve by lawyer-partner) reached the log at "
                + "2026-11-04T10:00:00Z, after checkpoint \(first) (log time 2026-11-03T10:00:00Z, \(cosigned.first)) and "
                + "before checkpoint \(second) (log time 2026-11-05T10:00:00Z, \(cosigned.second))",
            "OK: data/entries/\(Self.pad(main - 1)).dsse.json (funds-release auto by bank) reached the log at "
                + "2026-11-07T10:00:00Z, after checkpoint \(second) (log time 2026-11-05T10:00:00Z, \(cosigned.second)) "
                + "and before checkpoint \(main) (log time 2026-11-07T10:00:00Z, \(cosigned.main))",
            "OK: data/governance/00000000.dsse.json (genesis by bank) reached the log at \(ExampleWorkspace.founding), "
                + "after the log's start and before checkpoint \(first) ",
        ] {
            #expect(output.contains(line), "missing '\(line)' in:\n\(output)")
        }
        #expect(BundleCommandTests.lines(output, "OK: ", " reached the log at ").count == 18, "\(output)")

        // An entry's log time moved after the checkpoint that includes it: that entry and the one
        // after it (whose time now goes back) fail, nothing else but the manifests.
        let moved = try fixture.copyOfBundle()
        try Self.setLogTime(
            of: try fixture.caseIndex(of: "legal-review", by: "lawyer-partner"),
            to: "2026-11-05T11:00:00Z",
            in: moved
        )
        let caught = try BundleCommandTests.runBash(script, in: moved)
        let directorA = Self.pad(try fixture.caseIndex(of: "board-approval", by: "director-a"))
        for line in [
            "FAILED: the bag's files do not match its manifests",
            "FAILED: data/entries/\(review).dsse.json (legal-review approve by lawyer-partner): data/log-times.txt gives "
                + "log time 2026-11-05T11:00:00Z: it is later than the log time 2026-11-05T10:00:00Z of checkpoint "
                + "\(second), which includes the entry",
            "FAILED: data/entries/\(directorA).dsse.json (board-approval approve by director-a): data/log-times.txt gives "
                + "log time 2026-11-05T10:00:00Z: its log time is earlier than the entry's before it",
        ] {
            #expect(caught.contains(line), "missing '\(line)' in:\n\(caught)")
        }
        #expect(BundleCommandTests.lines(caught, "FAILED: ").count == 3, "\(caught)")

        // A checkpoint's log-time line, a cosignature's time and a consistency proof changed.
        let checkpoints = try fixture.copyOfBundle()
        try Self.setCheckpointTime(Self.checkpointFile(second), to: "2026-11-05T11:00:00Z", in: checkpoints)
        let proof = Self.consistencyFile(first)
        try Self.breakConsistencyProof(proof, in: checkpoints)
        try BundleFixture.recomputeManifests(checkpoints)
        let broken = try BundleCommandTests.runBash(script, in: checkpoints)
        for line in [
            "FAILED: \(proof) does not prove that \(Self.checkpointFile(first)) is a prefix of data/checkpoint.txt",
            "FAILED: \(Self.checkpointFile(second)): the log's signature does not verify",
            "FAILED: \(Self.checkpointFile(second)): the cosignature of witness regulator at "
                + "\(BundleFixture.midCaseCosignatures[1]) does not verify",
            "FAILED: \(Self.checkpointFile(second)) carries no valid signature of the log signer bank",
        ] {
            #expect(broken.contains(line), "missing '\(line)' in:\n\(broken)")
        }
        #expect(!broken.contains("OK: \(Self.checkpointFile(second)), the log's tree"), "\(broken)")

        // Values that are not what they should be are refused before use, never run or followed:
        // the first ends the checks.
        let marker = fixture.scratch.path("ran")
        for line in [
            "$(touch \(marker)) 2026-11-04T10:00:00Z", "../../bagit 2026-11-04T10:00:00Z",
            "\(review) 2026-11-04T10:00:00Z;touch \(marker)",
        ] {
            let hostile = try fixture.copyOfBundle()
            let text = try String(contentsOf: hostile.appendingPathComponent("data/log-times.txt"), encoding: .utf8)
            try Data((text + line + "\n").utf8).write(to: hostile.appendingPathComponent("data/log-times.txt"))
            try BundleFixture.recomputeManifests(hostile)
            let refused = try VerifyGuideScript.run(script, in: hostile)
            #expect(refused.status == 1, "\(refused.output)")
            #expect(
                refused.firstFailure?.hasPrefix("FAILED: data/log-times.txt: the line is malformed: ") == true,
                "\(refused.output)"
            )
            #expect(BundleCommandTests.lines(refused.output, "FAILED: ").count == 1, "\(refused.output)")
            #expect(refused.oksAfterFirstFailure.isEmpty, "\(refused.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
    }
}
