import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Copying a ledger between stores")
struct LedgerCopyTests {

    static let key = try! Ed25519PrivateKey(seed: [UInt8](repeating: 7, count: 32))
    static let origin = "countersign.test/copy"
    static let pipeline = Array("pipeline: p\n".utf8)

    static func open(_ location: String) throws -> any LedgerStore {
        try LedgerLocation(location, workspace: FileManager.default.temporaryDirectory).open()
    }

    /// The signed entry for step number `number` of `caseID`, attaching `documents`.
    static func entry(
        _ caseID: String,
        _ number: Int,
        previous: Digest?,
        documents: [StoredDocument]
    ) throws -> NewEntry {
        let predicate = try StepPredicate(
            pipeline: "p",
            pipelineDigest: SHA256.hash(pipeline),
            caseID: caseID,
            step: number == 0 ? StepPredicate.openStep : "step-\(number)",
            party: "bank",
            decision: number == 0 ? .open : .approve,
            signedAt: Date(timeIntervalSince1970: 1_790_000_000 + Double(number)),
            previous: previous,
            attaches: documents.indices.map { .init(name: "doc-\($0)", sha256: SHA256.hash(documents[$0].bytes)) }
        )
        // The documents' fingerprints here are the SHA-256 of their bytes (`document(_:)`).
        var endorsed: [String: Digest] = [:]
        for (offset, document) in documents.enumerated() { endorsed["doc-\(offset)"] = SHA256.hash(document.bytes) }
        let statement = try Statement(endorsing: endorsed, predicate: predicate)
        return NewEntry(
            envelope: try Envelope.sign(statement: statement, key: key).bytes,
            caseID: caseID,
            expectedPrevious: previous,
            documents: documents
        )
    }

    static func document(_ text: String) -> StoredDocument {
        let bytes = Array("<doc>\(text)</doc>".utf8)
        return StoredDocument(exactBytes: bytes)
    }

    /// Fills `store` with 40 entries: three cases whose steps interleave, each attaching a document
    /// (the pipeline stored with each opening), every tenth entry outside any case; checkpoints are
    /// signed at 10, 25 and 40 entries and case summaries saved. Returns every stored document key.
    @discardableResult
    static func fill(_ store: any LedgerStore, entries count: Int = 40) throws -> [String] {
        let ledger = Ledger(store: store)
        let pipelineDocument = StoredDocument(exactBytes: pipeline)
        var heads: [String: Digest] = [:]
        var steps: [String: Int] = [:]
        var fingerprints = [pipelineDocument.key]
        for number in 0..<count {
            if number % 10 == 9 {
                try ledger.append([NewEntry(envelope: Array("{\"other\":\(number)}".utf8))])
            } else {
                let caseID = "C-\(number % 3)"
                let step = steps[caseID, default: 0]
                let attached = document("\(caseID) step \(step)")
                fingerprints.append(attached.key)
                let new = try entry(
                    caseID,
                    step,
                    previous: heads[caseID],
                    documents: step == 0 ? [pipelineDocument, attached] : [attached]
                )
                heads[caseID] = try ledger.append([new])[0].leafHash
                steps[caseID] = step + 1
            }
            if [10, 25, 40].contains(number + 1) { _ = try ledger.signStorageCheckpoint(origin: origin, key: key) }
        }
        let summaries = heads.keys.map {
            CaseSummary(
                caseID: $0,
                headIndex: 0,
                headLeaf: nil,
                outcome: "open",
                wakeAt: nil,
                expiresAt: nil,
                needsOrchestrator: false
            )
        }
        try store.saveCaseSummaries(summaries, watermark: count)
        return fingerprints
    }

    static func allEntries(_ store: any LedgerStore) throws -> [LedgerEntry] {
        var entries: [LedgerEntry] = []
        try store.forEachEntry(in: 0..<store.size()) { entries.append($0) }
        return entries
    }

    @Test(
        "a copy has every entry, case, document and checkpoint of the source, its root, and no case summaries",
        arguments: [(StoreKind.sqlite, StoreKind.postgres), (.postgres, .sqlite), (.sqlite, .sqlite)]
    )
    func faithfulCopy(from: StoreKind, to: StoreKind) throws {
        let folder = TemporaryDirectory()
        let source = try Self.open(from.freshLocation(in: folder))
        let fingerprints = try Self.fill(source)
        let target = try Self.open(
            to == .sqlite ? "sqlite:" + folder.path("copy.sqlite") : to.freshLocation(in: folder)
        )
        var copy = LedgerCopy(from: source, to: target)
        copy.batchSize = 4
        var progress: [Int] = []
        copy.progress = { copied, total in
            #expect(total == 40)
            progress.append(copied)
        }
        let report = try copy.run()

        #expect(report.isFaithful)
        #expect(report.entries == 40 && report.checkpoints == 3 && report.laterCheckpoints == 0)
        #expect(report.documents == fingerprints.count && report.missingDocuments.isEmpty)
        #expect(report.copyRoot == (try Ledger(store: source).root().root))
        #expect(progress == Array(stride(from: 4, through: 40, by: 4)))
        #expect(try Self.allEntries(target) == Self.allEntries(source))
        for caseID in try source.caseIDs() {
            #expect(try target.entries(ofCase: caseID) == source.entries(ofCase: caseID))
        }
        #expect(try target.caseIDs() == ["C-0", "C-1", "C-2"])
        for fingerprint in fingerprints {
            #expect(try target.document(key: fingerprint) == source.document(key: fingerprint))
        }
        #expect(try target.checkpoints() == source.checkpoints())
        #expect(try target.checkpoints().map(\.size) == [10, 25, 40])
        #expect(try target.caseSummaryWatermark() == 0)
        #expect(try target.allCaseSummaries().isEmpty)
    }

    @Test(
        "a target holding entries or checkpoints is refused and nothing is written to it",
        arguments: StoreKind.allCases
    )
    func nonEmptyTarget(kind: StoreKind) throws {
        let folder = TemporaryDirectory()
        let source = try Self.open("sqlite:" + folder.path("source.sqlite"))
        try Self.fill(source, entries: 12)
        let withEntries = try Self.open(
            kind == .sqlite ? "sqlite:" + folder.path("a.sqlite") : kind.freshLocation(in: folder)
        )
        try Self.fill(withEntries, entries: 3)
        let before = try Self.allEntries(withEntries)
        #expect(throws: LedgerCopy.Failure.targetNotEmpty(location: withEntries.location, entries: 3, checkpoints: 0)) {
            try LedgerCopy(from: source, to: withEntries).run()
        }
        #expect(try Self.allEntries(withEntries) == before)
        #expect(try withEntries.checkpoints().isEmpty)

        let withCheckpoint = try Self.open(
            kind == .sqlite ? "sqlite:" + folder.path("b.sqlite") : kind.freshLocation(in: folder)
        )
        try withCheckpoint.saveCheckpoint(StoredCheckpoint(size: 0, note: "a note"))
        #expect(throws: LedgerCopy.Failure.self) { try LedgerCopy(from: source, to: withCheckpoint).run() }
        #expect(try withCheckpoint.size() == 0)
        #expect(try withCheckpoint.checkpoints() == [StoredCheckpoint(size: 0, note: "a note")])
    }

    @Test(
        "entry bytes altered under the source's stored hashes give a copy with another root, and its checkpoints say so"
    )
    func alteredSource() throws {
        let server = try PostgresServer.running()
        let database = try server.createDatabase()
        let source = try Self.open(server.url(database: database))
        try Self.fill(source)
        try server.execute(
            "UPDATE entries SET envelope = convert_to('{\"other\":0}', 'UTF8') WHERE idx = 12",
            in: database
        )
        let folder = TemporaryDirectory()
        let target = try Self.open("sqlite:" + folder.path("copy.sqlite"))
        let report = try LedgerCopy(from: source, to: target).run()
        #expect(!report.rootsMatch && !report.isFaithful)
        #expect(report.sourceRoot == (try Ledger(store: source).root().root))
        #expect(report.checkpointProblems.count == 2)
        #expect(report.checkpointProblems.allSatisfy { $0.contains("is not the copy's root") })
        #expect(report.checkpointProblems.first?.hasPrefix("checkpoint 25:") == true)
    }

    @Test("documents the source lacks are named, and everything else is copied")
    func missingDocument() throws {
        let folder = TemporaryDirectory()
        let source = try Self.open("sqlite:" + folder.path("source.sqlite"))
        try Self.fill(source, entries: 5)
        let absent = Self.document("never stored")
        var unstored = try Self.entry("C-9", 0, previous: nil, documents: [absent])
        unstored.documents = []
        try source.append([unstored])
        let report = try LedgerCopy(from: source, to: Self.open("sqlite:" + folder.path("copy.sqlite"))).run()
        #expect(report.isFaithful)
        #expect(report.entries == 6)
        #expect(report.missingDocuments == [absent.key])
    }

    @Test("entries and checkpoints added to the source while it is copied are left out of the copy")
    func liveSource() throws {
        let folder = TemporaryDirectory()
        let location = try StoreKind.postgres.freshLocation(in: folder)
        let source = try Self.open(location)
        try Self.fill(source)
        let writer = Ledger(store: try Self.open(location))
        var copy = LedgerCopy(from: source, to: try Self.open("sqlite:" + folder.path("copy.sqlite")))
        copy.batchSize = 16
        copy.progress = { _, _ in
            _ = try? writer.append([NewEntry(envelope: Array("{\"late\":true}".utf8))])
            _ = try? writer.signStorageCheckpoint(origin: Self.origin, key: Self.key)
        }
        let report = try copy.run()
        #expect(try source.size() == 43)
        #expect(report.isFaithful)
        #expect(report.entries == 40 && report.checkpoints == 3 && report.laterCheckpoints == 3)
        #expect(report.copyRoot == (try Ledger(store: source).root(size: 40).root))
    }
}
