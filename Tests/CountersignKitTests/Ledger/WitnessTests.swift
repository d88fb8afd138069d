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
            origin: origin,
            logKeys: [logKey.publicKey, witnessKey.publicKey],
            stateDirectory: folder.url.appendingPathComponent("state")
        )
    }

    /// The notes the witness's state holds, as text, smallest size first.
    static func stateNotes(_ witness: Witness) throws -> [String] {
        try witness.state.notes().map { String(decoding: $0.bytes, as: UTF8.self) }
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
        #expect(try witness.history(in: ledger).isEmpty)

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

        let history = try witness.history()
        #expect(history.map(\.checkpoint) == [try Checkpoint(note: first), try Checkpoint(note: second)])
        #expect(history.map(\.cosignedAt) == [Self.monday, Self.tuesday])
        #expect(try Self.stateNotes(witness) == [cosignedFirst.serialized, cosignedSecond.serialized])
        let stateFolder = witness.state.folder
        #expect(stateFolder.path.hasSuffix("/state/countersign.example%2Fwitness-test/regulator"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: stateFolder.path).sorted()
                == ["3.checkpoint", "7.checkpoint"]
        )
        let modes: [(String, Int)] = [
            (stateFolder.path, 0o700), (stateFolder.deletingLastPathComponent().path, 0o700),
            (stateFolder.appendingPathComponent("7.checkpoint").path, 0o600),
        ]
        for (path, mode) in modes {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == mode, "\(path)")
        }
        // Both are in the ledger too, with the witness's cosignature: the history holds each from both places.
        #expect(try witness.history(in: ledger).count == 4)
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
        #expect(try Self.stateNotes(witness) == [cosigned.serialized])
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
        #expect(!FileManager.default.fileExists(atPath: witness.state.directory.path))
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
        #expect(try Self.stateNotes(witness) == [cosigned.serialized])
    }

    @Test("a checkpoint under another origin than the consortium's is refused, even by a witness with no history")
    func originChanged() throws {
        let folder = TemporaryDirectory()
        let ledger = try Self.ledger(folder, "log.sqlite", entries: ["a", "b"])
        let witness = Self.witness(folder)
        let renamed = try ledger.signStorageCheckpoint(origin: "countersign.example/other", key: Self.logKey)
        #expect(throws: WitnessError.originChanged(old: Self.origin, new: "countersign.example/other")) {
            try witness.cosign(Self.bytes(renamed), source: "cp", in: ledger, at: Self.monday)
        }
        #expect(!FileManager.default.fileExists(atPath: witness.state.directory.path))
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
        #expect(!FileManager.default.fileExists(atPath: Self.witness(folder).state.directory.path))
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
        #expect(!FileManager.default.fileExists(atPath: witness.state.directory.path))
        #expect(try Self.stored(ledger, size: 3) == note)
    }

    @Test(
        "a state note without this witness's valid cosignature, of another size than its name, or misnamed is refused"
    )
    func tamperedState() throws {
        let folder = TemporaryDirectory()
        let ledger = try Self.ledger(folder, "log.sqlite", entries: ["a", "b"])
        let note = try ledger.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        let witness = Self.witness(folder)
        let cosigned = try witness.cosign(Self.bytes(note), source: "cp", in: ledger, at: Self.monday)
        let stateFolder = witness.state.folder
        let honest = stateFolder.appendingPathComponent("2.checkpoint")
        for (name, contents, reason) in [
            ("2.checkpoint", note.serialized, "it carries no valid cosignature by regulator"),
            ("5.checkpoint", cosigned.serialized, "it holds a checkpoint of 2 entries of log '\(Self.origin)'"),
            ("notes.txt", cosigned.serialized, "it is not named SIZE.checkpoint"),
        ] {
            let file = stateFolder.appendingPathComponent(name)
            try Data(contents.utf8).write(to: file)
            let error = #expect(throws: WitnessError.self) { try witness.history() }
            #expect(error == .invalidState(path: file.path, reason: reason))
            #expect(throws: WitnessError.invalidState(path: file.path, reason: reason)) {
                try witness.cosign(Self.bytes(note), source: "cp", in: ledger, at: Self.tuesday)
            }
            try FileManager.default.removeItem(at: file)
            try Data(cosigned.serialized.utf8).write(to: honest)
        }
        #expect(try witness.history().count == 1)
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

    // MARK: The history of what it cosigned

    /// An honest log of 7 entries whose witness cosigned it at 3 and at 7 entries; and a rewrite of
    /// it keeping the first 3 entries and changing the rest, grown to 9.
    static func cosignedTwice(
        _ folder: TemporaryDirectory
    ) throws -> (witness: Witness, honest: Ledger, rewritten: Ledger) {
        let witness = Self.witness(folder)
        let honest = try Self.ledger(folder, "honest.sqlite", entries: ["a", "b", "c"])
        _ = try witness.cosign(
            Self.bytes(try honest.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)),
            source: "cp",
            in: honest,
            at: Self.monday
        )
        try honest.append(["d", "e", "f", "g"].map { NewEntry(envelope: Array($0.utf8), logTime: Self.sunday) })
        _ = try witness.cosign(
            Self.bytes(try honest.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)),
            source: "cp",
            in: honest,
            at: Self.tuesday
        )
        let rewritten = try Self.ledger(
            folder,
            "rewritten.sqlite",
            entries: ["a", "b", "c", "D", "E", "F", "G", "H", "I"]
        )
        return (witness, honest, rewritten)
    }

    /// Copies the ledger's stored checkpoints (the witness's cosigned notes) into another store.
    static func copyNotes(from source: Ledger, to target: Ledger) throws {
        for stored in try source.store.checkpoints() { try target.store.saveCheckpoint(stored) }
    }

    @Test(
        "a rewritten log consistent with an older cosigned checkpoint is refused: the witness checks every one it cosigned"
    )
    func everyCosignedCheckpoint() throws {
        let folder = TemporaryDirectory()
        let (witness, _, rewritten) = try Self.cosignedTwice(folder)
        let forged = try rewritten.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        #expect(throws: WitnessError.logRewritten(size: 9, cosignedSize: 7, cosignedAt: Self.tuesday)) {
            try witness.cosign(Self.bytes(forged), source: "cp", in: rewritten, at: Self.tuesday)
        }
        // The same tree size with another root.
        let seven = try Self.ledger(folder, "seven.sqlite", entries: ["a", "b", "c", "D", "E", "F", "G"])
        let sameSize = try seven.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        #expect(throws: WitnessError.logRewritten(size: 7, cosignedSize: 7, cosignedAt: Self.tuesday)) {
            try witness.cosign(Self.bytes(sameSize), source: "cp", in: seven, at: Self.tuesday)
        }
    }

    @Test(
        "an older state restored over the newer one cannot make the witness cosign a rewrite it saw before: the ledger's notes carry its cosignature"
    )
    func restoredOlderState() throws {
        let folder = TemporaryDirectory()
        let (witness, honest, rewritten) = try Self.cosignedTwice(folder)
        // The operator restores the state as it was after the first cosignature (the note of 7 gone) and
        // serves a rewrite of the log that still stores, among its checkpoints, what the witness cosigned.
        try FileManager.default.removeItem(at: witness.state.folder.appendingPathComponent("7.checkpoint"))
        #expect(try witness.history().map(\.checkpoint.size) == [3])
        try Self.copyNotes(from: honest, to: rewritten)
        let forged = try rewritten.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        let error = #expect(throws: WitnessError.self) {
            try witness.cosign(Self.bytes(forged), source: "cp", in: rewritten, at: Self.tuesday)
        }
        #expect(error == .logRewritten(size: 9, cosignedSize: 7, cosignedAt: Self.tuesday))
        #expect(try witness.state.notes().map(\.size) == [3], "nothing written on a refusal")

        // A witness whose state is gone altogether holds to them too, and refuses a smaller checkpoint.
        let fresh = Witness(
            name: witness.name,
            key: witness.key,
            origin: Self.origin,
            logKeys: witness.logKeys,
            stateDirectory: folder.url.appendingPathComponent("new-state")
        )
        #expect(throws: WitnessError.logRewritten(size: 9, cosignedSize: 7, cosignedAt: Self.tuesday)) {
            try fresh.cosign(Self.bytes(forged), source: "cp", in: rewritten, at: Self.tuesday)
        }
        let three = try Checkpoint(
            origin: Self.origin,
            size: 3,
            rootHash: try honest.root(size: 3).root,
            logTime: Self.sunday
        )
        .signed(by: try NoteSigner(name: Self.origin, key: Self.logKey))
        #expect(throws: WitnessError.logShrank(size: 3, cosignedSize: 7, cosignedAt: Self.tuesday)) {
            try fresh.cosign(Self.bytes(three), source: "cp", in: honest, at: Self.tuesday)
        }

        // On the honest log it goes on, and its state learns what the ledger held.
        try honest.append([NewEntry(envelope: Array("h".utf8), logTime: Self.sunday)])
        let next = try honest.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        _ = try fresh.cosign(Self.bytes(next), source: "cp", in: honest, at: Self.tuesday)
        #expect(try fresh.state.notes().map(\.size) == [3, 7, 8])
    }

    @Test("a note this witness cosigned, found in an earlier version's state file, is part of its history")
    func earlierStateFile() throws {
        let folder = TemporaryDirectory()
        let (witness, honest, rewritten) = try Self.cosignedTwice(folder)
        let legacy = folder.url.appendingPathComponent("out/witness/regulator.checkpoint")
        try FileManager.default.createDirectory(
            at: legacy.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try Data(try #require(try Self.stored(honest, size: 7)).serialized.utf8).write(to: legacy)
        var upgraded = Witness(
            name: witness.name,
            key: witness.key,
            origin: Self.origin,
            logKeys: witness.logKeys,
            stateDirectory: folder.url.appendingPathComponent("new-state")
        )
        upgraded.otherNotes = [legacy, folder.url.appendingPathComponent("absent.checkpoint")]
        let forged = try rewritten.signStorageCheckpoint(origin: Self.origin, key: Self.logKey)
        #expect(throws: WitnessError.logRewritten(size: 9, cosignedSize: 7, cosignedAt: Self.tuesday)) {
            try upgraded.cosign(Self.bytes(forged), source: "cp", in: rewritten, at: Self.tuesday)
        }
    }

    @Test("a state folder others may write to is refused: they could remove what the witness cosigned")
    func openStateFolder() throws {
        let folder = TemporaryDirectory()
        let (witness, honest, _) = try Self.cosignedTwice(folder)
        #expect(chmod(witness.state.folder.path, 0o777) == 0)
        let error = #expect(throws: WitnessError.self) { try witness.history(in: honest) }
        #expect("\(error!)".contains("others may write to it (mode 777)"), "\(error!)")
        #expect(chmod(witness.state.folder.path, 0o700) == 0)
        #expect(try witness.history().count == 2)
    }

    @Test("the state's default place: XDG_STATE_HOME when absolute, else ~/.local/state; one folder per origin")
    func defaultPlace() {
        #expect(
            WitnessState.defaultDirectory(environment: ["XDG_STATE_HOME": "/var/state", "HOME": "/home/r"])?.path
                == "/var/state/countersign/witness"
        )
        for ignored in ["", "relative/state"] {
            #expect(
                WitnessState.defaultDirectory(environment: ["XDG_STATE_HOME": ignored, "HOME": "/home/r"])?.path
                    == "/home/r/.local/state/countersign/witness"
            )
        }
        #expect(WitnessState.defaultDirectory(environment: [:]) == nil)
        let state = { (origin: String) in
            WitnessState(directory: URL(fileURLWithPath: "/s"), origin: origin, party: "p")
        }
        #expect(state("countersign.example/mortgage").folder.path == "/s/countersign.example%2Fmortgage/p")
        #expect(state("../x").folder.path == "/s/%2E.%2Fx/p")
        #expect(state("a b%").folder.path == "/s/a%20b%25/p")
    }
}
