import Foundation

/// The case-head map on PostgreSQL (`CaseMapStore`), in the same three tables as on SQLite. Nodes
/// of one level are read in one query, so bringing the map up to date costs one round trip per
/// level of the tree, not one per node.
extension PostgresLedgerStore {
    static let caseMapTables = """
        CREATE TABLE case_map_versions (
            version bigint PRIMARY KEY,
            root bytea NOT NULL
        );
        CREATE TABLE case_map_nodes (
            depth integer NOT NULL,
            prefix bytea NOT NULL,
            version bigint NOT NULL,
            kind integer NOT NULL,
            first bytea NOT NULL,
            second bytea NOT NULL,
            PRIMARY KEY (depth, prefix, version)
        );
        CREATE TABLE case_heads (
            case_id text NOT NULL,
            version bigint NOT NULL,
            count bigint NOT NULL,
            head_leaf bytea NOT NULL,
            outcome text NOT NULL,
            PRIMARY KEY (case_id, version)
        );

        """

    public func caseMapVersion(atOrBelow size: Int) throws -> (version: Int, root: Digest)? {
        let rows = try connection.query(
            "SELECT version, root FROM case_map_versions WHERE version <= $1 ORDER BY version DESC LIMIT 1",
            [.integer(Int64(size))]
        )
        return rows.count == 0 ? nil : (Int(rows.integer(0, 0)), Digest(bytes: rows.bytes(0, 1)))
    }

    public func caseMapNodes(at positions: [CaseMapPosition], version: Int) throws -> [CaseMapPosition: CaseMapNode] {
        guard !positions.isEmpty else { return [:] }
        let rows = try connection.query(
            """
            SELECT p.n, n.kind, n.first, n.second
            FROM unnest($1::bigint[], $2::bytea[]) WITH ORDINALITY AS p(depth, prefix, n)
            CROSS JOIN LATERAL (
                SELECT kind, first, second FROM case_map_nodes
                WHERE depth = p.depth AND prefix = p.prefix AND version <= $3
                ORDER BY version DESC LIMIT 1) n
            """,
            [
                .integers(positions.map { Int64($0.depth) }), .byteStrings(positions.map(\.prefix)),
                .integer(Int64(version)),
            ]
        )
        var nodes: [CaseMapPosition: CaseMapNode] = [:]
        for row in 0..<rows.count {
            // A row whose hashes are not 32 bytes reads as no node: the path then leads nowhere.
            nodes[positions[Int(rows.integer(row, 0)) - 1]] = CaseMapNode(
                kind: rows.integer(row, 1) == 1 ? .inner : .leaf,
                first: rows.bytes(row, 2),
                second: rows.bytes(row, 3)
            )
        }
        return nodes
    }

    public func caseHeads(of caseIDs: [String], version: Int) throws -> [String: CaseHead] {
        guard !caseIDs.isEmpty else { return [:] }
        let rows = try connection.query(
            """
            SELECT c.id, h.count, h.head_leaf, h.outcome
            FROM unnest($1::text[]) AS c(id)
            CROSS JOIN LATERAL (
                SELECT count, head_leaf, outcome FROM case_heads
                WHERE case_id = c.id AND version <= $2 ORDER BY version DESC LIMIT 1) h
            """,
            [.texts(caseIDs), .integer(Int64(version))]
        )
        var heads: [String: CaseHead] = [:]
        for row in 0..<rows.count {
            let caseID = rows.text(row, 0) ?? ""
            heads[caseID] = CaseHead(
                caseID: caseID,
                count: Int(rows.integer(row, 1)),
                headLeaf: Digest(bytes: rows.bytes(row, 2)),
                outcome: rows.text(row, 3) ?? ""
            )
        }
        return heads
    }

    public func caseHeadChanges(in range: Range<Int>) throws -> [CaseHeadChange] {
        let rows = try connection.query(
            """
            SELECT DISTINCT ON (e.case_id) e.case_id, count(*) OVER (PARTITION BY e.case_id), e.idx, e.leaf_hash
            FROM entries e
            WHERE e.idx < $2 AND e.case_id IN (
                SELECT case_id FROM entries
                WHERE idx >= $1 AND idx < $2 AND case_id IS NOT NULL AND case_id NOT LIKE '@%')
            ORDER BY e.case_id, e.idx DESC
            """,
            [.integer(Int64(range.lowerBound)), .integer(Int64(range.upperBound))]
        )
        return (0..<rows.count).map { row in
            CaseHeadChange(
                caseID: rows.text(row, 0) ?? "",
                count: Int(rows.integer(row, 1)),
                headIndex: Int(rows.integer(row, 2)),
                headLeaf: Digest(bytes: rows.bytes(row, 3))
            )
        }
    }

    /// Takes the append lock, so two processes storing the same version one after the other keep
    /// the first. Rows are only ever inserted: a writer role needs no `UPDATE` on the map's tables.
    public func saveCaseMap(version: Int, root: Digest, nodes: [CaseMapPosition: CaseMapNode], heads: [CaseHead]) throws
    {
        try connection.transaction {
            _ = try connection.query("SELECT pg_advisory_xact_lock($1)", [.integer(Self.writeLock)])
            let stored = try connection.query(
                "SELECT 1 FROM case_map_versions WHERE version = $1",
                [.integer(Int64(version))]
            )
            guard stored.count == 0 else { return }
            let positions = Array(nodes)
            if !positions.isEmpty {
                _ = try connection.query(
                    """
                    INSERT INTO case_map_nodes (depth, prefix, version, kind, first, second)
                    SELECT d, p, $3, k, f, s FROM unnest($1::bigint[], $2::bytea[], $4::bigint[], $5::bytea[], $6::bytea[])
                        AS n(d, p, k, f, s)
                    ON CONFLICT (depth, prefix, version) DO NOTHING
                    """,
                    [
                        .integers(positions.map { Int64($0.key.depth) }), .byteStrings(positions.map(\.key.prefix)),
                        .integer(Int64(version)), .integers(positions.map { Int64($0.value.kind.rawValue) }),
                        .byteStrings(positions.map(\.value.firstHash.bytes)),
                        .byteStrings(positions.map(\.value.secondHash.bytes)),
                    ]
                )
            }
            if !heads.isEmpty {
                _ = try connection.query(
                    """
                    INSERT INTO case_heads (case_id, version, count, head_leaf, outcome)
                    SELECT c, $2, n, l, o FROM unnest($1::text[], $3::bigint[], $4::bytea[], $5::text[]) AS h(c, n, l, o)
                    ON CONFLICT (case_id, version) DO NOTHING
                    """,
                    [
                        .texts(heads.map(\.caseID)), .integer(Int64(version)),
                        .integers(heads.map { Int64($0.count) }), .byteStrings(heads.map(\.headLeaf.bytes)),
                        .texts(heads.map(\.outcome)),
                    ]
                )
            }
            _ = try connection.query(
                "INSERT INTO case_map_versions (version, root) VALUES ($1, $2)",
                [.integer(Int64(version)), .bytes(root.bytes)]
            )
        }
    }
}
