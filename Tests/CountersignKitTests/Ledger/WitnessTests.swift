import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Witness")
struct WitnessTests {
    static let origin = "countersign.example/witness-test"
    static let logKey = try! Ed25519PrivateKey(seed: [UInt8](repeating: 1, count: 32))
    static let witnessKey = try! Ed25519PrivateKey(seed: [UInt8](repeating: 2, count: 32))
    static let otherWitnessKey = try! Ed25519PrivateKey(seed: [UInt8](repeating: 3, count: 32))
    static let monday = Timestamp.parse("2026-11-23T09:00:00Z")!
    static let tuesday = monday.addingTimeInterval(86_400)
    /// When the test ledgers' entries reached the log: before the witness looks.
    static let sunday = monday.addingTimeInterval(-86_400)

    /// A ledger in `folder` holding `entries`, one envelope per string.
    static func ledger(_ folder: TemporaryDirectory, _ name: String, entries: [String]) throws -> Ledger {
        let ledger = Ledger(store: try SQLiteLedgerStore(path: folder.path(name)))
        try ledger.append(entries.map { NewEntry(envelope: Array($0.utf8), logTime: sunday) })
        return ledger
    }

    static func witness(
        _ folder: TemporaryDirectory,
        name: String = "regulator",
        key: Ed25519PrivateKey = witnessKey
    )
        -> Witness
    {
        Witness(
            name: name,
            key: key,
            logKeys: [logKey.publicKey, witnessKey.publicKey],
            stateFile: folder.url.appendingPathComponent("witness/\(name).checkpoint")
        )
    }

    static func bytes(_ note: SignedNote) -> [UInt8] { Array(note.serialized.utf8) }

    /// The witness's valid cosignature on `note`, if it carries one.
    static func cosignature(on note: SignedNote, by name: String, key: Ed25519PrivateKey) throws -> Cosignature? {
        let verifier = try NoteVerifier(name: name, publicKey: key.publicKey, type: .cosignatureV1)
        let checkpoint = try Checkpoint(note: note)
        return try note.signatures.filter { verifier.matches($0) }.map { try Cosignature($0) }
            .first { $0.isValid(for: checkpoint, by: verifier) }
    }

    static func stored(_ ledger: Ledger, size: Int) throws -> SignedNote? {
        try ledger.storedCheckpoints().first { $0.checkpoint.size == UInt64(size) }?.note
    }

    @Test("a growing log is cosigned at each checkpoint; the stored note keeps the log's signature")
    func growingLog() throws {
        let folder = TemporaryDirectory()
        let ledger = try Self.ledger(folder, "log.sqlite", entries: ["a", "b", "c"])
        let witness = Self.witness(folder)
        #expect(try witness.lastCosigned() == nil)

        let first = try ledger.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        let cosignedFirst = try witness.cosign(Self.bytes(first), source: "cp", in: ledger, at: Self.monday)
        let storedFirst = try #require(try Self.stored(ledger, size: 3))
        #expect(storedFirst == cosignedFirst)
        #expect(storedFirst.signatures.count == 2)
        #expect(
            try storedFirst.verify(with: [try NoteVerifier(name: Self.origin, publicKey: Self.logKey.publicKey)]).count
                == 1
        )
        let cosignature = try #require(try Self.cosignature(on: storedFirst, by: "regulator", key: Self.witnessKey))
        #expect(cosignature.time == Self.monday)

        try ledger.append(["d", "e", "f", "g"].map { NewEntry(envelope: Array($0.utf8), logTime: Self.sunday) })
        let second = try ledger.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        let cosignedSecond = try witness.cosign(Self.bytes(second), source: "cp", in: ledger, at: Self.tuesday)
        #expect(try Self.stored(ledger, size: 7) == cosignedSecond)
        #expect(try Self.cosignature(on: cosignedSecond, by: "regulator", key: Self.witnessKey)?.time == Self.tuesday)
        #expect(try Self.stored(ledger, size: 3) == cosignedFirst)

        let state = try #require(try witness.lastCosigned())
        #expect(state.checkpoint == (try Checkpoint(note: second)))
        #expect(state.cosignedAt == Self.tuesday)
        let stateText = try String(contentsOf: witness.stateFile, encoding: .utf8)
        #expect(stateText == cosignedSecond.serialized)
    }

    @Test("a second witness's cosignature is added beside the first, which is kept")
    func twoWitnesses() throws {
        let folder = TemporaryDirectory()
        let ledger = try Self.ledger(folder, "log.sqlite", entries: ["a", "b"])
        let note = try ledger.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        _ = try Self.witness(folder).cosign(Self.bytes(note), source: "cp", in: ledger, at: Self.monday)
        let other = Self.witness(folder, name: "auditor", key: Self.otherWitnessKey)
        let both = try other.cosign(Self.bytes(note), source: "cp", in: ledger, at: Self.tuesday)
        #expect(both.signatures.map(\.name) == [Self.origin, "regulator", "auditor"])
        #expect(try Self.cosignature(on: both, by: "regulator", key: Self.witnessKey) != nil)
        #expect(try Self.cosignature(on: both, by: "auditor", key: Self.otherWitnessKey) != nil)
        #expect(try Self.stored(ledger, size: 2) == both)
    }

    @Test("a rewritten log is refused: an old entry changed, same origin and key; nothing is written")
    func rewrittenLog() throws {
        let folder = TemporaryDirectory()
        let honest = try Self.ledger(folder, "honest.sqlite", entries: ["a", "b", "c", "d"])
        let witness = Self.witness(folder)
        let cosigned = try witness.cosign(
            Self.bytes(try honest.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)),
            source: "cp",
            in: honest,
            at: Self.monday
        )
        let rewritten = try Self.ledger(folder, "rewritten.sqlite", entries: ["a", "B", "c", "d", "e"])
        let forged = try rewritten.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)

        let error = #expect(throws: WitnessError.self) {
            try witness.cosign(Self.bytes(forged), source: "cp", in: rewritten, at: Self.tuesday)
        }
        #expect(error == .logRewritten(size: 5, cosignedSize: 4, cosignedAt: Self.monday))
        #expect(
            error?.description
                == "the log was rewritten: checkpoint 5 is not consistent with the checkpoint of size 4 "
                + "this witness cosigned on 2026-11-23T09:00:00Z"
        )
        #expect(try String(contentsOf: witness.stateFile, encoding: .utf8) == cosigned.serialized)
        #expect(try Self.stored(rewritten, size: 5) == forged)
    }

    @Test("a checkpoint the ledger does not hold is refused even by a witness with no history")
    func foreignCheckpoint() throws {
        let folder = TemporaryDirectory()
        let ledger = try Self.ledger(folder, "log.sqlite", entries: ["a", "b", "c"])
        let other = try Self.ledger(folder, "other.sqlite", entries: ["x", "y"])
        let witness = Self.witness(folder)
        let foreign = try other.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        #expect(
            throws: WitnessError.notThisLedger(size: 2, reason: "the ledger's tree of 2 entries has another root hash")
        ) {
            try witness.cosign(Self.bytes(foreign), source: "cp", in: ledger, at: Self.monday)
        }
        let larger = try Self.ledger(folder, "larger.sqlite", entries: ["a", "b", "c", "d"])
        let ahead = try larger.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        #expect(throws: WitnessError.notThisLedger(size: 4, reason: "the ledger holds only 3 entries")) {
            try witness.cosign(Self.bytes(ahead), source: "cp", in: ledger, at: Self.monday)
        }
        #expect(!FileManager.default.fileExists(atPath: witness.stateFile.path))
        #expect(try ledger.storedCheckpoints().isEmpty)
    }

    @Test("a truncated log is refused: the log shrank")
    func truncatedLog() throws {
        let folder = TemporaryDirectory()
        let full = try Self.ledger(folder, "full.sqlite", entries: ["a", "b", "c", "d", "e"])
        let witness = Self.witness(folder)
        let cosigned = try witness.cosign(
            Self.bytes(try full.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)),
            source: "cp",
            in: full,
            at: Self.monday
        )
        let truncated = try Self.ledger(folder, "truncated.sqlite", entries: ["a", "b", "c"])
        let smaller = try truncated.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        let error = #expect(throws: WitnessError.self) {
            try witness.cosign(Self.bytes(smaller), source: "cp", in: truncated, at: Self.tuesday)
        }
        #expect(error == .logShrank(size: 3, cosignedSize: 5, cosignedAt: Self.monday))
        #expect(error?.description.hasPrefix("the log shrank: checkpoint 3 is smaller than") == true)
        #expect(try String(contentsOf: witness.stateFile, encoding: .utf8) == cosigned.serialized)
    }

    @Test("another origin than the one cosigned before is refused")
    func originChanged() throws {
        let folder = TemporaryDirectory()
        let ledger = try Self.ledger(folder, "log.sqlite", entries: ["a", "b"])
        let witness = Self.witness(folder)
        _ = try witness.cosign(
            Self.bytes(try ledger.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)),
            source: "cp",
            in: ledger,
            at: Self.monday
        )
        try ledger.append([NewEntry(envelope: Array("c".utf8), logTime: Self.sunday)])
        let renamed = try ledger.signStorageCheckpoint(origin: "countersign.example/other", key: Self.logKey)
        #expect(throws: WitnessError.originChanged(old: Self.origin, new: "countersign.example/other")) {
            try witness.cosign(Self.bytes(renamed), source: "cp", in: ledger, at: Self.tuesday)
        }
    }

    @Test("a checkpoint signed by a key no party holds is refused")
    func unknownLogKey() throws {
        let folder = TemporaryDirectory()
        let ledger = try Self.ledger(folder, "log.sqlite", entries: ["a", "b"])
        let stranger = try Ed25519PrivateKey()
        let note = try ledger.signStorageCheckpoint(origin: Self.origin, key: stranger)
        #expect(throws: WitnessError.unknownLogKey(origin: Self.origin, signedBy: [Self.origin])) {
            try Self.witness(folder).cosign(Self.bytes(note), source: "cp", in: ledger, at: Self.monday)
        }
        let underAnotherName = try Checkpoint(note: note).signed(by: try NoteSigner(name: "bank", key: Self.logKey))
        #expect(throws: WitnessError.unknownLogKey(origin: Self.origin, signedBy: ["bank"])) {
            try Self.witness(folder).cosign(Self.bytes(underAnotherName), source: "cp", in: ledger, at: Self.monday)
        }
        #expect(!FileManager.default.fileExists(atPath: Self.witness(folder).stateFile.path))
    }

    @Test("a note altered after signing, or not a note at all, is refused and nothing is written")
    func tamperedNote() throws {
        let folder = TemporaryDirectory()
        let ledger = try Self.ledger(folder, "log.sqlite", entries: ["a", "b", "c"])
        let note = try ledger.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        let otherRoot = try ledger.root(size: 2).root
        let altered = try SignedNote(
            text: try Checkpoint(origin: Self.origin, size: 2, rootHash: otherRoot).body,
            signatures: note.signatures
        )
        let witness = Self.witness(folder)
        let error = #expect(throws: WitnessError.self) {
            try witness.cosign(Self.bytes(altered), source: "cp", in: ledger, at: Self.monday)
        }
        guard case .badLogSignature = error else {
            Issue.record("expected a bad log signature, got \(String(describing: error))")
            return
        }
        #expect(throws: WitnessError.self) {
            try witness.cosign(Array("hello\n".utf8), source: "cp", in: ledger, at: Self.monday)
        }
        #expect(!FileManager.default.fileExists(atPath: witness.stateFile.path))
        #expect(try Self.stored(ledger, size: 3) == note)
    }

    @Test("a state file without this witness's valid cosignature is refused")
    func tamperedState() throws {
        let folder = TemporaryDirectory()
        let ledger = try Self.ledger(folder, "log.sqlite", entries: ["a", "b"])
        let note = try ledger.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        let witness = Self.witness(folder)
        try FileManager.default.createDirectory(
            at: witness.stateFile.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try Data(note.serialized.utf8).write(to: witness.stateFile)
        #expect(throws: WitnessError.self) { try witness.lastCosigned() }
        #expect(throws: WitnessError.self) {
            try witness.cosign(Self.bytes(note), source: "cp", in: ledger, at: Self.monday)
        }
    }

    @Test("a checkpoint whose log time goes back from the one cosigned, or lies in the witness's future, is refused")
    func logTimes() throws {
        let folder = TemporaryDirectory()
        let ledger = try Self.ledger(folder, "log.sqlite", entries: ["a", "b", "c"])
        let witness = Self.witness(folder)
        let first = try ledger.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        #expect(try Checkpoint(note: first).logTime == Self.sunday)
        _ = try witness.cosign(Self.bytes(first), source: "cp", in: ledger, at: Self.monday)

        try ledger.append([NewEntry(envelope: Array("d".utf8), logTime: Self.sunday.addingTimeInterval(3_600))])
        let (size, root) = try ledger.root()
        let back = try Checkpoint(
            origin: Self.origin,
            size: UInt64(size),
            rootHash: root,
            logTime: Self.sunday.addingTimeInterval(-1)
        ).signed(by: try NoteSigner(name: Self.origin, key: Self.logKey))
        #expect(
            throws: WitnessError.timeWentBack(
                logTime: Self.sunday.addingTimeInterval(-1),
                cosignedLogTime: Self.sunday
            )
        ) {
            try witness.cosign(Self.bytes(back), source: "cp", in: ledger, at: Self.tuesday)
        }
        let ahead = try Checkpoint(
            origin: Self.origin,
            size: UInt64(size),
            rootHash: root,
            logTime: Self.tuesday.addingTimeInterval(301)
        ).signed(by: try NoteSigner(name: Self.origin, key: Self.logKey))
        #expect(throws: WitnessError.timeInFuture(logTime: Self.tuesday.addingTimeInterval(301), now: Self.tuesday)) {
            try witness.cosign(Self.bytes(ahead), source: "cp", in: ledger, at: Self.tuesday)
        }
        // Within the 5 minutes machines' clocks may differ by, and forward: cosigned.
        let skewed = try Checkpoint(
            origin: Self.origin,
            size: UInt64(size),
            rootHash: root,
            logTime: Self.tuesday.addingTimeInterval(300)
        ).signed(by: try NoteSigner(name: Self.origin, key: Self.logKey))
        _ = try witness.cosign(Self.bytes(skewed), source: "cp", in: ledger, at: Self.tuesday)
    }
}
