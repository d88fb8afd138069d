import CountersignKit
import Foundation
import TestSupport
import Testing

/// The contract of `LedgerStore`, one set of scenarios run against every store.
@Suite("Ledger stores")
struct LedgerStoreTests {
    /// The stores the scenarios run against.
    static func envelope(_ number: Int) -> [UInt8] { Array("{\"entry\":\(number)}".utf8) }

    static func open(_ location: String) throws -> any LedgerStore {
        try LedgerLocation(location, workspace: FileManager.default.temporaryDirectory).open()
    }

    @Test("roots and proofs served from stored subtrees equal those of the plain tree", arguments: StoreKind.allCases)
    func proofsFromStore(kind: StoreKind) throws {
        let folder = TemporaryDirectory()
        let ledger = Ledger(store: try Self.open(kind.freshLocation(in: folder)))
        var reference = InMemorySubtrees()
        for batch in stride(from: 0, to: 100, by: 7) {
            let entries = (batch..<min(batch + 7, 100)).map { NewEntry(envelope: Self.envelope($0)) }
            let appended = try ledger.append(entries)
            #expect(appended.map(\.index) == Array(batch..<min(batch + 7, 100)))
            for entry in entries { reference.append(MerkleHash.leaf(entry.envelope)) }
        }
        var tree = MerkleTree(reference)
        for size in [1, 2, 3, 7, 8, 63, 64, 65, 99, 100] {
            #expect(try ledger.root(size: size).root == tree.root(size: size))
            for index in [0, size / 2, size - 1] {
                let proof = try ledger.inclusionProof(index: index, size: size)
                #expect(proof.hashes == (try tree.inclusionProof(index: index, size: size)))
                #expect(proof.isValid)
            }
            let consistency = try ledger.consistencyProof(from: size / 3, to: size)
            #expect(consistency.isValid)
        }
        #expect(throws: LedgerError.sizeBeyondLog(size: 101, logSize: 100)) { try ledger.root(size: 101) }
    }

    @Test(
        "an append whose case head moved on is refused and appends nothing, the whole batch",
        arguments: StoreKind.allCases
    )
    func caseHeadCheck(kind: StoreKind) throws {
        let folder = TemporaryDirectory()
        let store = try Self.open(kind.freshLocation(in: folder))
        let first = try store.append([NewEntry(envelope: Self.envelope(0), caseID: "C-1", expectedPrevious: nil)])[0]
        let second = NewEntry(envelope: Self.envelope(1), caseID: "C-1", expectedPrevious: first.leafHash)
        let stale = NewEntry(envelope: Self.envelope(2), caseID: "C-1", expectedPrevious: first.leafHash)
        let document = StoredDocument(key: "sha256:abc", bytes: Array("<a/>".utf8))
        let other = NewEntry(envelope: Self.envelope(3), caseID: "C-2", documents: [document])
        #expect(throws: StorageError.self) { try store.append([other, second, stale]) }
        #expect(try store.size() == 1)
        #expect(try store.entries(ofCase: "C-2").isEmpty)
        #expect(try store.document(key: "sha256:abc") == nil)
        #expect(throws: StorageError.self) {
            try store.append([NewEntry(envelope: Self.envelope(4), caseID: "C-1", expectedPrevious: nil)])
        }
        try store.append([second, other])
        #expect(try store.entries(ofCase: "C-1").map(\.index) == [0, 1])
        #expect(try store.entries(ofCase: "C-2").map(\.caseID) == ["C-2"])
        #expect(try store.size() == 3)
    }

    @Test("documents are stored with their entry and checkpoints are replaced by size", arguments: StoreKind.allCases)
    func documentsAndCheckpoints(kind: StoreKind) throws {
        let folder = TemporaryDirectory()
        let store = try Self.open(kind.freshLocation(in: folder))
        let document = StoredDocument(key: "sha256:abc", bytes: Array("<a/>".utf8))
        let empty = StoredDocument(key: "sha256:empty", bytes: [])
        try store.append([NewEntry(envelope: Self.envelope(0), documents: [document, document, empty])])
        try store.append([NewEntry(envelope: Self.envelope(1), documents: [document])])
        #expect(try store.document(key: "sha256:abc") == document.bytes)
        #expect(try store.document(key: "sha256:empty") == [])
        #expect(try store.document(key: "sha256:def") == nil)
        #expect(try store.checkpoints().isEmpty)
        try store.saveCheckpoint(StoredCheckpoint(size: 1, note: "one"))
        try store.saveCheckpoint(StoredCheckpoint(size: 1, note: "one, cosigned"))
        try store.saveCheckpoint(StoredCheckpoint(size: 0, note: "zero"))
        #expect(try store.checkpoints().map(\.note) == ["zero", "one, cosigned"])
        #expect(try store.latestCheckpoint()?.size == 1)
    }

    @Test("a store reopened sees what was appended, and entries stream in order", arguments: StoreKind.allCases)
    func reopen(kind: StoreKind) throws {
        let folder = TemporaryDirectory()
        let location = try kind.freshLocation(in: folder)
        let entries = (0..<2_500).map { NewEntry(envelope: Self.envelope($0), caseID: $0 == 7 ? "C-7" : nil) }
        try Self.open(location).append(entries)
        let store = try Self.open(location)
        var seen: [Int] = []
        try store.forEachEntry(in: 2..<5) { seen.append($0.index) }
        #expect(seen == [2, 3, 4])
        var count = 0
        try store.forEachEntry(in: 0..<3_000) { entry in
            #expect(entry.index == count)
            #expect(entry.envelope == Self.envelope(count))
            count += 1
        }
        #expect(count == 2_500)
        let seventh = try #require(try store.entry(at: 7))
        #expect(seventh.caseID == "C-7")
        #expect(seventh.leafHash == MerkleHash.leaf(Self.envelope(7)))
        #expect(try store.entry(at: 8)?.caseID == nil)
        #expect(try store.entry(at: 2_500) == nil)
    }

    static let workerVariable = "COUNTERSIGN_TEST_APPEND_WORKER"

    /// Starts two copies of this test binary, each running `appendWorker` with `job`, and waits;
    /// a failing copy's output becomes the failure's comment.
    static func runWorkers(_ job: String, location: String, count: Int) throws {
        let workers = try (0..<2).map { worker in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            process.arguments = ["--testing-library", "swift-testing", "--filter", "appendWorker"]
            process.environment = ProcessInfo.processInfo.environment.merging([
                workerVariable: [job, location, "\(worker)", "\(count)"].joined(separator: "|")
            ]) { $1 }
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            return (process, output)
        }
        for (process, output) in workers {
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(printed)")
        }
    }

    @Test(
        "two processes appending at once get gap-free indexes, one order and identical roots",
        .timeLimit(.minutes(5)),
        arguments: StoreKind.allCases
    )
    func concurrentProcesses(kind: StoreKind) throws {
        let folder = TemporaryDirectory()
        let location = try kind.freshLocation(in: folder)
        let count = kind.entriesPerWorker
        try Self.runWorkers("log", location: location, count: count)
        let total = 2 * count
        let store = try Self.open(location)
        #expect(try store.size() == total)
        var reference = InMemorySubtrees()
        var nextOfWorker = [0, 0]
        try store.forEachEntry(in: 0..<total) { entry in
            #expect(entry.index == reference.size)
            reference.append(MerkleHash.leaf(entry.envelope))
            let words = String(decoding: entry.envelope, as: UTF8.self).split(separator: " ")
            let worker = Int(words[1])!
            #expect(Int(words[3]) == nextOfWorker[worker])
            nextOfWorker[worker] += 1
        }
        #expect(nextOfWorker == [count, count])
        var tree = MerkleTree(reference)
        let elsewhere = Ledger(store: try Self.open(location))
        for size in [1, count - 1, count, total - 1, total] {
            let root = try tree.root(size: size)
            #expect(try Ledger(store: store).root(size: size).root == root)
            #expect(try elsewhere.root(size: size).root == root)
        }
    }

    @Test(
        "two processes racing to extend one case never fork its chain",
        .timeLimit(.minutes(5)),
        arguments: StoreKind.allCases
    )
    func caseRace(kind: StoreKind) throws {
        let folder = TemporaryDirectory()
        let location = try kind.freshLocation(in: folder)
        try Self.runWorkers("case", location: location, count: 150)
        let chain = try Self.open(location).entries(ofCase: "C-race")
        #expect(chain.count == 300)
        var head = "none"
        for entry in chain {
            #expect(String(decoding: entry.envelope, as: UTF8.self).hasSuffix(" after \(head)"))
            head = entry.leafHash.hex
        }
    }

    /// The body of one appending process, run only when `runWorkers` starts it: job `log` appends
    /// its entries one by one; job `case` extends case `C-race` from the head it last read, reading
    /// it again whenever the store says the case moved on.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[workerVariable] != nil))
    func appendWorker() throws {
        let parts = ProcessInfo.processInfo.environment[Self.workerVariable]!.split(separator: "|").map(String.init)
        let (job, store, worker, count) = (parts[0], try Self.open(parts[1]), parts[2], Int(parts[3])!)
        for number in 0..<count {
            let envelope = "worker \(worker) entry \(number)"
            guard job == "case" else {
                try store.append([NewEntry(envelope: Array(envelope.utf8))])
                continue
            }
            while true {
                let head = try store.entries(ofCase: "C-race").last?.leafHash
                let entry = NewEntry(
                    envelope: Array("\(envelope) after \(head?.hex ?? "none")".utf8),
                    caseID: "C-race",
                    expectedPrevious: head
                )
                do {
                    try store.append([entry])
                    break
                } catch StorageError.caseMovedOn {
                    continue
                }
            }
        }
    }
}

@Suite("Ledger locations")
struct LedgerLocationTests {
    @Test("a PostgreSQL location never shows its password, in the user part or the query")
    func redaction() throws {
        let workspace = URL(fileURLWithPath: "/w")
        let forms = [
            "postgres://alice:s3cret@db.example:5432/ledger",
            "postgresql://alice@db.example/ledger?password=s3cret&sslmode=require",
            "postgres://alice@db.example/ledger?PASSWORD=s3cret",
        ]
        for form in forms {
            let description = try LedgerLocation(form, workspace: workspace).description
            #expect(!description.contains("s3cret"), "\(description)")
            #expect(description.contains("db.example"))
        }
        #expect(try LedgerLocation("sqlite:out/l.sqlite", workspace: workspace) == .sqlite(path: "/w/out/l.sqlite"))
        #expect(throws: StorageError.badLocation("mysql://x")) { try LedgerLocation("mysql://x", workspace: workspace) }
    }
}

@Suite("SQLite schema migration")
struct SQLiteMigrationTests {
    @Test("a version 1 ledger gains the case summaries on open and keeps its entries")
    func fromVersion1() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("v1.sqlite")
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.executescript('''
            CREATE TABLE entries (idx INTEGER PRIMARY KEY, envelope BLOB NOT NULL, leaf_hash BLOB NOT NULL, case_id TEXT);
            CREATE TABLE nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
            CREATE TABLE documents (fingerprint TEXT PRIMARY KEY, bytes BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE checkpoints (size INTEGER PRIMARY KEY, note TEXT NOT NULL);
            PRAGMA user_version = 1;
            ''')
            import hashlib
            db.execute("INSERT INTO entries VALUES (0, ?, ?, 'C-1')", (b'e0', hashlib.sha256(b'\\\\x00e0').digest()))
            db.execute("INSERT INTO documents VALUES ('sha256:abc', ?)", (b'<a/>',))
            db.commit()
            """
        #expect(try runTool("/usr/bin/env", ["python3", "-c", script, path]) == 0)
        let store = try SQLiteLedgerStore(path: path)
        #expect(try store.size() == 1)
        #expect(try store.caseSummaryWatermark() == 0)
        try store.saveCaseSummaries(
            [
                CaseSummary(
                    caseID: "C-1",
                    headIndex: 0,
                    headLeaf: nil,
                    outcome: "open",
                    wakeAt: nil,
                    expiresAt: nil,
                    needsOrchestrator: false
                )
            ],
            watermark: 1
        )
        #expect(try SQLiteLedgerStore(path: path).openCaseCount() == 1)
        // Version 5: a document filed by fingerprint stays there, and is filed by its exact bytes too.
        let bytes = Array("<a/>".utf8)
        #expect(try store.document(key: "sha256:abc") == bytes)
        #expect(try store.document(key: DocumentKey.exactBytes(SHA256.hash(bytes))) == bytes)
        let leaf = SHA256.hash(Array("head".utf8))
        try store.saveCaseSummaries(
            [
                CaseSummary(
                    caseID: "C-1",
                    headIndex: 0,
                    headLeaf: leaf,
                    outcome: "open",
                    wakeAt: nil,
                    expiresAt: nil,
                    needsOrchestrator: false
                )
            ],
            watermark: nil
        )
        #expect(try store.caseSummaries(of: ["C-1", "C-2"]).map(\.headLeaf) == [leaf])
    }
}

@Suite("Ledger location redaction")
struct LedgerLocationRedactionTests {
    @Test("multi-host URLs keep their hosts and lose their password")
    func multiHost() throws {
        let url =
            "postgres://bank_signer:s3cret@db1:5432,db2:5432/countersign?target_session_attrs=read-write&password=s3cret"
        let description = try LedgerLocation(url, workspace: URL(fileURLWithPath: "/")).description
        #expect(
            description
                == "postgres://bank_signer:***@db1:5432,db2:5432/countersign?target_session_attrs=read-write&password=***"
        )
    }
}

@Suite("Checkpoint notes in the store")
struct CheckpointMergeTests {
    @Test(
        "two cosigned copies of one checkpoint saved one after the other keep both cosignatures",
        arguments: StoreKind.allCases
    )
    func cosignaturesMerge(kind: StoreKind) throws {
        let folder = TemporaryDirectory()
        let store = try LedgerLocation(try kind.freshLocation(in: folder), workspace: folder.url).open()
        let logKey = try Ed25519PrivateKey()
        try store.append([NewEntry(envelope: Array("e0".utf8))])
        let ledger = Ledger(store: store)
        let note = try ledger.signStorageCheckpoint(origin: "countersign.example/merge", key: logKey)
        let checkpoint = try Checkpoint(note: note)
        var copies: [SignedNote] = []
        for witness in ["regulator", "auditor"] {
            let cosignature = try Cosignature.sign(
                checkpoint,
                name: witness,
                key: try Ed25519PrivateKey(),
                time: Date(timeIntervalSince1970: 1_800_000_000)
            )
            copies.append(try note.adding(cosignature.noteSignature))
        }
        for copy in copies { try store.saveCheckpoint(StoredCheckpoint(size: 1, note: copy.serialized)) }
        let stored = try SignedNote(parsing: try #require(try store.latestCheckpoint()).note)
        #expect(Set(stored.signatures.map(\.name)) == ["countersign.example/merge", "regulator", "auditor"])
        #expect(stored.text == note.text)
    }
}
