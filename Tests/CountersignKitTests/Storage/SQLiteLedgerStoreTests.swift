import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("SQLite ledger store")
struct SQLiteLedgerStoreTests {
    static func envelope(_ number: Int) -> [UInt8] { Array("{\"entry\":\(number)}".utf8) }

    @Test("roots and proofs served from stored subtrees equal those of the plain tree")
    func proofsFromStore() throws {
        let folder = TemporaryDirectory()
        let ledger = Ledger(store: try SQLiteLedgerStore(path: folder.path("ledger.sqlite")))
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

    @Test("an append whose case head moved on is refused and appends nothing, the whole batch")
    func caseHeadCheck() throws {
        let folder = TemporaryDirectory()
        let store = try SQLiteLedgerStore(path: folder.path("ledger.sqlite"))
        let first = try store.append([NewEntry(envelope: Self.envelope(0), caseID: "C-1", expectedPrevious: nil)])[0]
        let second = NewEntry(envelope: Self.envelope(1), caseID: "C-1", expectedPrevious: first.leafHash)
        let stale = NewEntry(envelope: Self.envelope(2), caseID: "C-1", expectedPrevious: first.leafHash)
        #expect(throws: StorageError.self) { try store.append([second, stale]) }
        #expect(try store.size() == 1)
        #expect(throws: StorageError.self) {
            try store.append([NewEntry(envelope: Self.envelope(3), caseID: "C-1", expectedPrevious: nil)])
        }
        try store.append([second])
        #expect(try store.entries(ofCase: "C-1").map(\.index) == [0, 1])
        #expect(try store.size() == 2)
    }

    @Test("documents are stored with their entry and checkpoints are replaced by size")
    func documentsAndCheckpoints() throws {
        let folder = TemporaryDirectory()
        let store = try SQLiteLedgerStore(path: folder.path("ledger.sqlite"))
        let document = StoredDocument(fingerprint: "sha256:abc", bytes: Array("<a/>".utf8))
        try store.append([NewEntry(envelope: Self.envelope(0), documents: [document, document])])
        #expect(try store.document(fingerprint: "sha256:abc") == document.bytes)
        #expect(try store.document(fingerprint: "sha256:def") == nil)
        try store.saveCheckpoint(StoredCheckpoint(size: 1, note: "one"))
        try store.saveCheckpoint(StoredCheckpoint(size: 1, note: "one, cosigned"))
        try store.saveCheckpoint(StoredCheckpoint(size: 0, note: "zero"))
        #expect(try store.checkpoints().map(\.note) == ["zero", "one, cosigned"])
        #expect(try store.latestCheckpoint()?.size == 1)
    }

    @Test("a store reopened sees what was appended, and entries stream in order")
    func reopen() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("ledger.sqlite")
        try SQLiteLedgerStore(path: path).append((0..<10).map { NewEntry(envelope: Self.envelope($0)) })
        let store = try SQLiteLedgerStore(path: path)
        var seen: [Int] = []
        try store.forEachEntry(in: 2..<5) { seen.append($0.index) }
        #expect(seen == [2, 3, 4])
        #expect(try store.entry(at: 9)?.envelope == Self.envelope(9))
        #expect(try store.entry(at: 10) == nil)
    }

    static let workerVariable = "COUNTERSIGN_TEST_APPEND_WORKER"

    @Test("two processes appending 500 entries each at once get indexes 0..999 and one valid tree")
    func concurrentProcesses() throws {
        let folder = TemporaryDirectory()
        let path = folder.path("ledger.sqlite")
        _ = try SQLiteLedgerStore(path: path)
        let workers = try (0..<2).map { worker in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            process.arguments = ["--testing-library", "swift-testing", "--filter", "appendWorker"]
            process.environment = ProcessInfo.processInfo.environment.merging([
                Self.workerVariable: "\(path)|\(worker)"
            ]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        for worker in workers {
            worker.waitUntilExit()
            #expect(worker.terminationStatus == 0)
        }
        let store = try SQLiteLedgerStore(path: path)
        #expect(try store.size() == 1000)
        var reference = InMemorySubtrees()
        var bodies = Set<[UInt8]>()
        try store.forEachEntry(in: 0..<1000) { entry in
            #expect(entry.index == reference.size)
            reference.append(MerkleHash.leaf(entry.envelope))
            bodies.insert(entry.envelope)
        }
        #expect(bodies.count == 1000)
        var tree = MerkleTree(reference)
        #expect(try Ledger(store: store).root().root == tree.root(size: 1000))
    }

    /// The body of one appending process, run only when `concurrentProcesses` starts it.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[workerVariable] != nil))
    func appendWorker() throws {
        let parts = ProcessInfo.processInfo.environment[Self.workerVariable]!.split(separator: "|")
        let store = try SQLiteLedgerStore(path: String(parts[0]))
        for number in 0..<500 {
            try store.append([NewEntry(envelope: Array("worker \(parts[1]) entry \(number)".utf8))])
        }
    }
}
