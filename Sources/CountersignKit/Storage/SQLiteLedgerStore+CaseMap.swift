import Foundation

/// The case-head map on SQLite (`CaseMapStore`): `case_map_versions` (a root per checkpoint
/// size), `case_map_nodes` (each node by depth, prefix and the version that wrote it) and
/// `case_heads` (each case's head by the version that wrote it).
extension SQLiteLedgerStore {
    static let caseMapTables = """
        CREATE TABLE IF NOT EXISTS case_map_versions (
            version INTEGER PRIMARY KEY,
            root BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS case_map_nodes (
            depth INTEGER NOT NULL,
            prefix BLOB NOT NULL,
            version INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            first BLOB NOT NULL,
            second BLOB NOT NULL,
            PRIMARY KEY (depth, prefix, version)
        ) WITHOUT ROWID;
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
        let query = try connection.prepare(
            "SELECT kind, first, second FROM case_map_nodes WHERE depth = ? AND prefix = ? AND version <= ? "
                + "ORDER BY version DESC LIMIT 1"
        )
        var nodes: [CaseMapPosition: CaseMapNode] = [:]
        try connection.readTransaction {
            for position in positions {
                let node = try query.first([
                    .integer(Int64(position.depth)), .blob(position.prefix), .integer(Int64(version)),
                ]) { row in
                    CaseMapNode(
                        kind: row.int(0) == 1 ? .inner : .leaf,
                        first: Digest(bytes: row.blob(1)),
                        second: Digest(bytes: row.blob(2))
                    )
                }
                if let node { nodes[position] = node }
            }
        }
        return nodes
    }

    public func caseHeads(of caseIDs: [String], version: Int) throws -> [String: CaseHead] {
        let query = try connection.prepare(
            "SELECT count, head_leaf, outcome FROM case_heads WHERE case_id = ? AND version <= ? "
                + "ORDER BY version DESC LIMIT 1"
        )
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
            for (position, value) in nodes {
                try node.run([
                    .integer(Int64(position.depth)), .blob(position.prefix), .integer(Int64(version)),
                    .integer(Int64(value.kind.rawValue)), .blob(value.first.bytes), .blob(value.second.bytes),
                ])
            }
            let head = try connection.prepare(
                "INSERT OR REPLACE INTO case_heads (case_id, version, count, head_leaf, outcome) VALUES (?, ?, ?, ?, ?)"
            )
            for value in heads {
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
