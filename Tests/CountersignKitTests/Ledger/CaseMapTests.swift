import CountersignKit
import Foundation
import TestSupport
import Testing

/// The case-head map (docs/CASE-MAP.md): the stored, versioned map a checkpoint signs agrees with
/// the map computed from nothing but the heads, at every version, on both stores; each case's
/// proof folds back to its version's root; and `log verify` catches a checkpoint whose map lies.
@Suite("Case-head map")
struct CaseMapTests {
    @Test("an empty map is 32 zero bytes, a map of one case is that case's leaf hash")
    func smallMaps() {
        #expect(CaseMap.root(of: []) == Digest(bytes: [UInt8](repeating: 0, count: 32)))
        let head = CaseHead(caseID: "M-1", count: 2, headLeaf: SHA256.hash(Array("x".utf8)), outcome: "open")
        #expect(CaseMap.root(of: [head]) == CaseMap.leafHash(of: head))
        // The leaf is SHA-256(0x00 || key || SHA-256(head text)), the head text five lines.
        let text = "countersign.dev/case-head/v1\nM-1\n2\n\(head.headLeaf.hex)\nopen\n"
        #expect(CaseMap.headText(head) == text)
        let expected = SHA256.hash(
            parts: [[0x00], SHA256.hash(Array("M-1".utf8)).bytes, SHA256.hash(Array(text.utf8)).bytes]
        )
        #expect(CaseMap.leafHash(of: head) == expected)
        #expect(CaseMap.root(of: head, siblings: []) == expected)
    }

    @Test(
        "the stored map follows the log round after round, every version's proofs fold to its root",
        arguments: StoreKind.allCases
    )
    func storedMapFollowsTheLog(kind: StoreKind) throws {
        let folder = TemporaryDirectory()
        let store = try LedgerLocation(try kind.freshLocation(in: folder), workspace: folder.url).open()
        let ledger = Ledger(store: store)
        var random = SplitMix64(seed: 12)
        var cases: [String: (count: Int, leaf: Digest)] = [:]
        var versions: [Int: [CaseHead]] = [:]
        var names: [String] = []
        // The test's own outcome for a case: a function of its entry count.
        func outcome(_ count: Int) -> String { ["open", "completed", "rejected", "open", "expired"][count % 5] }
        var entryNumber = 0
        for round in 0..<8 {
            var entries: [NewEntry] = []
            var heads: [String: Digest?] = [:]
            for _ in 0..<(round == 0 ? 1 : Int.random(in: 1...40, using: &random)) {
                let caseID: String
                if names.isEmpty || Int.random(in: 0..<3, using: &random) == 0 {
                    caseID = "C-\(names.count)"
                    names.append(caseID)
                } else {
                    caseID = names.randomElement(using: &random)!
                }
                entryNumber += 1
                let envelope = Array("{\"entry\":\(entryNumber)}".utf8)
                let previous = heads[caseID] ?? cases[caseID]?.leaf
                entries.append(NewEntry(envelope: envelope, caseID: caseID, expectedPrevious: previous))
                let leaf = MerkleHash.leaf(envelope)
                heads[caseID] = leaf
                cases[caseID] = ((cases[caseID]?.count ?? 0) + 1, leaf)
            }
            // Entries outside any case and in a reserved chain are not in the map.
            entries.append(NewEntry(envelope: Array("{\"bare\":\(round)}".utf8)))
            try store.append(entries)
            let size = try store.size()
            let root = try ledger.caseMapRoot(at: size) { changes in
                Dictionary(uniqueKeysWithValues: changes.map { ($0.caseID, outcome($0.count)) })
            }
            let expected = cases.map {
                CaseHead(
                    caseID: $0.key,
                    count: $0.value.count,
                    headLeaf: $0.value.leaf,
                    outcome: outcome($0.value.count)
                )
            }
            #expect(root == CaseMap.root(of: expected), "round \(round)")
            versions[size] = expected
        }
        // Every version still proves each of its cases, with its head of then.
        for (version, heads) in versions {
            let root = CaseMap.root(of: heads)
            for head in heads {
                let path = try #require(try ledger.caseHeadPath(of: head.caseID, version: version))
                #expect(path.head == head)
                #expect(CaseMap.root(of: head, siblings: path.siblings) == root)
                // A leaf sits where its key is alone: never deeper than the map needs.
                #expect(path.siblings.count < 2 * max(1, heads.count.bitWidth - heads.count.leadingZeroBitCount) + 8)
            }
            #expect(try ledger.caseHeadPath(of: "NO-SUCH-CASE", version: version) == nil)
        }
    }

    @Test(
        "a stored head altered behind Countersign's back no longer leads to the version's root",
        arguments: StoreKind.allCases
    )
    func alteredHead(kind: StoreKind) throws {
        let folder = TemporaryDirectory()
        let location = try kind.freshLocation(in: folder)
        let store = try LedgerLocation(location, workspace: folder.url).open()
        let ledger = Ledger(store: store)
        try store.append([
            NewEntry(envelope: Array("{\"a\":1}".utf8), caseID: "A", expectedPrevious: nil),
            NewEntry(envelope: Array("{\"b\":1}".utf8), caseID: "B", expectedPrevious: nil),
        ])
        _ = try ledger.caseMapRoot(at: 2) { changes in
            Dictionary(uniqueKeysWithValues: changes.map { ($0.caseID, "rejected") })
        }
        #expect(try ledger.caseHeadPath(of: "A", version: 2)?.head.outcome == "rejected")
        let sql = "UPDATE case_heads SET outcome = 'open' WHERE case_id = 'A'"
        switch kind {
        case .sqlite:
            let script =
                "import sqlite3, sys\ndb = sqlite3.connect(sys.argv[1])\ndb.executescript(sys.argv[2])\ndb.commit()"
            let path = String(location.dropFirst("sqlite:".count))
            #expect(try runTool("/usr/bin/env", ["python3", "-c", script, path, sql]) == 0)
        case .postgres:
            try PostgresServer.running().execute(sql, in: try #require(URL(string: location)?.lastPathComponent))
        }
        #expect(throws: LedgerError.caseMapDamaged(caseID: "A", version: 2)) {
            try Ledger(store: try LedgerLocation(location, workspace: folder.url).open()).caseHeadPath(
                of: "A",
                version: 2
            )
        }
    }
}

/// `log verify` recomputes the map from the log at every stored checkpoint.
@Suite("Case-head map: log verify")
struct CaseMapLogVerifyTests {
    @Test(
        "honest checkpoints pass; one whose map says a case is completed when it is open is caught, and so are later ones"
    )
    func lyingMap() throws {
        let workspace = try BundleTestWorkspace(pipeline: BundleBuilderTests.steps)
        try workspace.run("A", documents: [], steps: ["first", "second"])
        try workspace.run("B", documents: [], steps: ["first"])
        let honest = try LogAudit(store: workspace.ledger.store).run().report
        #expect(honest.problems.isEmpty, "\(honest.problems)")
        let signed = try #require(try workspace.ledger.storedCheckpoints().last?.checkpoint)
        #expect(signed.caseMapRoot != nil)

        // A third case; the operator's checkpoint claims it completed after its opening alone.
        try workspace.run("C", documents: [], steps: [], checkpointAtEnd: false)
        let lying = try workspace.ledger.signCheckpoint(
            origin: BundleTestWorkspace.origin,
            key: workspace.key,
            outcomes: { changes in Dictionary(uniqueKeysWithValues: changes.map { ($0.caseID, "completed") }) }
        )
        let size = try Checkpoint(note: lying).size
        let report = try LogAudit(store: workspace.ledger.store).run().report
        let problems = report.problems.map(\.message)
        #expect(
            problems.contains { $0.contains("is not the map the log's cases make at size \(size)") },
            "\(problems)"
        )
        // The map the operator stored builds on the lie: the next checkpoint's is caught too.
        try workspace.run("D", documents: [], steps: [])
        let next = try Checkpoint(note: try #require(try workspace.ledger.storedCheckpoints().last?.note)).size
        let again = try LogAudit(store: workspace.ledger.store).run().report.problems.map(\.message)
        #expect(again.contains { $0.contains("at size \(next)") }, "\(again)")
    }
}
