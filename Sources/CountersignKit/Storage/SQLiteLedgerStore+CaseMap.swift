import Foundation

/// The case-head map on SQLite (`CaseMapStore`): `case_map_versions` (a root per checkpoint
/// size), `case_map_nodes` (each node by the version that wrote it, its depth and prefix) and
/// `case_heads` (each case's head by the version that wrote it). A version's nodes are appended
/// together at the end of their table, and found by a narrow index on (depth, prefix, version):
/// a checkpoint's scattered writes then land in the index's small pages, not in the rows' large ones.
extension SQLiteLedgerStore {
    static let caseMapTables = """
        CREATE TABLE IF NOT EXISTS case_map_versions (
            version INTEGER PRIMARY KEY,
            root BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS case_map_nodes (
            version INTEGER NOT NULL,
            depth INTEGER NOT NULL,
            prefix BLOB NOT NULL,
            kind INTEGER NOT NULL,
            first BLOB NOT NULL,
            second BLOB NOT NULL,
            PRIMARY KEY (version, depth, prefix)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS case_map_nodes_by_position ON case_map_nodes (depth, prefix, version);
        CREATE TABLE IF NOT EXISTS case_heads (
            case_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            count INTEGER NOT NULL,
            head_leaf BLOB NOT NULL,
            outcome TEXT NOT NULL,
            PRIMARY KEY (case_id, version)
        ) WITHOUT ROWID;

        """

    public func caseMapVersion(atOrBelow size: Int) throws -> (version: Int, root: Digest)? {
        try connection.prepare(
            "SELECT version, root FROM case_map_versions WHERE version <= ? ORDER BY version DESC LIMIT 1"
        ).first([.integer(Int64(size))]) { (Int($0.int(0)), Digest(bytes: $0.blob(1))) }
    }

    public func caseMapNodes(at positions: [CaseMapPosition], version: Int) throws -> [CaseMapPosition: CaseMapNode] {
        let query = statements.caseMapNode
        var nodes: [CaseMapPosition: CaseMapNode] = [:]
        nodes.reserveCapacity(positions.count)
        try connection.readTransaction {
            for position in positions {
                let node = try query.first([
                    .integer(Int64(position.depth)), .blob(position.prefix), .integer(Int64(version)),
                ]) { row in
                    CaseMapNode(kind: row.int(0) == 1 ? .inner : .leaf, first: row.blob(1), second: row.blob(2))
                }
                // A row whose hashes are not 32 bytes reads as no node: the path then leads nowhere.
                if let node = node ?? nil { nodes[position] = node }
            }
        }
        return nodes
    }

    public func caseHeads(of caseIDs: [String], version: Int) throws -> [String: CaseHead] {
        let query = statements.caseMapHead
        var heads: [String: CaseHead] = [:]
        try connection.readTransaction {
            for caseID in caseIDs {
                heads[caseID] = try query.first([.text(caseID), .integer(Int64(version))]) { row in
                    CaseHead(
                        caseID: caseID,
                        count: Int(row.int(0)),
                        headLeaf: Digest(bytes: row.blob(1)),
                        outcome: row.text(2) ?? ""
                    )
                }
            }
        }
        return heads
    }

    /// The leaf hash is a bare column beside `max(idx)`: SQLite takes it from the row holding the
    /// maximum.
    public func caseHeadChanges(in range: Range<Int>) throws -> [CaseHeadChange] {
        let query = try connection.prepare(
            """
            SELECT e.case_id, count(*), max(e.idx), e.leaf_hash
            FROM entries e
            WHERE e.idx < ?2 AND e.case_id IN (
                SELECT DISTINCT case_id FROM entries
                WHERE idx >= ?1 AND idx < ?2 AND case_id IS NOT NULL AND case_id NOT LIKE '@%')
            GROUP BY e.case_id
            """
        )
        try query.bind([.integer(Int64(range.lowerBound)), .integer(Int64(range.upperBound))])
        var changes: [CaseHeadChange] = []
        while try query.step() {
            changes.append(
                CaseHeadChange(
                    caseID: query.text(0) ?? "",
                    count: Int(query.int(1)),
                    headIndex: Int(query.int(2)),
                    headLeaf: Digest(bytes: query.blob(3))
                )
            )
        }
        return changes
    }

    public func saveCaseMap(version: Int, root: Digest, nodes: [CaseMapPosition: CaseMapNode], heads: [CaseHead]) throws
    {
        try connection.writeTransaction {
            let stored = try connection.prepare("SELECT 1 FROM case_map_versions WHERE version = ?")
                .first([.integer(Int64(version))]) { _ in true }
            guard stored == nil else { return }
            let node = try connection.prepare(
                "INSERT OR REPLACE INTO case_map_nodes (depth, prefix, version, kind, first, second) "
                    + "VALUES (?, ?, ?, ?, ?, ?)"
            )
            // In position order, so the index's inserts fill its pages in turn.
            for (position, value) in nodes.sorted(by: { ($0.key.depth, $0.key.bits) < ($1.key.depth, $1.key.bits) }) {
                try node.run([
                    .integer(Int64(position.depth)), .blob(position.prefix), .integer(Int64(version)),
                    .integer(Int64(value.kind.rawValue)), .blob(value.firstHash.bytes), .blob(value.secondHash.bytes),
                ])
            }
            let head = try connection.prepare(
                "INSERT OR REPLACE INTO case_heads (case_id, version, count, head_leaf, outcome) VALUES (?, ?, ?, ?, ?)"
            )
            for value in heads.sorted(by: { $0.caseID < $1.caseID }) {
                try head.run([
                    .text(value.caseID), .integer(Int64(version)), .integer(Int64(value.count)),
                    .blob(value.headLeaf.bytes), .text(value.outcome),
                ])
            }
            try connection.prepare("INSERT INTO case_map_versions (version, root) VALUES (?, ?)")
                .run([.integer(Int64(version)), .blob(root.bytes)])
        }
    }
}

extension SQLiteLedgerStore {
    /// The bytes the database's pages hold (free pages left out): how a store's growth is measured.
    public func storedBytes() throws -> Int {
        let pages = try connection.prepare("PRAGMA page_count").first { Int($0.int(0)) } ?? 0
        let free = try connection.prepare("PRAGMA freelist_count").first { Int($0.int(0)) } ?? 0
        let size = try connection.prepare("PRAGMA page_size").first { Int($0.int(0)) } ?? 0
        return (pages - free) * size
    }
}
