import Foundation

/// The consortium store: one PostgreSQL database that every signing machine shares, through libpq.
///
/// Schema (version 1, recorded in `schema_version`): the SQLite store's tables — `entries` (index,
/// envelope, leaf hash, case), `nodes` (perfect subtree hashes of level ≥ 1; level 0 is the leaf
/// hash column), `documents` and `checkpoints`. Each append is one READ COMMITTED transaction that
/// first takes a transaction-scoped advisory lock on a fixed key and only then reads the size, so
/// appends from every connection on every machine queue in one total order and all of them compute
/// the same tree. A batch is written by one statement, its columns bound as binary arrays.
public final class PostgresLedgerStore: LedgerStore {
    public let location: String
    let connection: PostgresConnection
    /// The connection URL, for the second connection batch claims are held on.
    let url: String
    var claims: PostgresConnection?
    private let statements: Statements

    /// The schema version this code writes; older databases are migrated on open.
    public static let schemaVersion = 6

    /// The advisory lock every append and migration holds: the ASCII bytes of "cntrsign".
    static let writeLock: Int64 = 0x636E_7472_7369_676E

    /// Rows fetched per round trip when streaming entries.
    static let pageSize = 1_000

    /// Connects to `url` (`postgres://user[:password]@host:port/db`, any libpq URI) and creates or
    /// migrates the schema; with `create: false` a database without a ledger is an error instead.
    public init(url: String, create: Bool = true) throws(StorageError) {
        connection = try PostgresConnection(url: url, location: LedgerLocation.postgres(url: url).description)
        location = connection.location
        self.url = url
        try Self.migrate(connection, create: create)
        statements = try Statements(connection)
    }

    /// Creates the schema, holding the write lock so that several machines opening a new database
    /// at once create it once. The lock is taken for the session before the transaction starts: a
    /// transaction keeps reading the catalog as it was when it began, so one that locked only after
    /// beginning would miss the tables the previous holder just created.
    private static func migrate(_ connection: PostgresConnection, create: Bool) throws(StorageError) {
        guard try version(connection) != schemaVersion else { return }
        try connection.query("SELECT pg_advisory_lock($1)", [.integer(writeLock)])
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [.integer(writeLock)]) }
        do {
            try connection.transaction {
                let version = try version(connection)
                guard version <= schemaVersion else {
                    throw StorageError.unsupportedSchema(found: version, supported: schemaVersion)
                }
                if version < 1 {
                    try createVersion1(connection, create: create)
                }
                if version < 2 {
                    // Version 2: the case summaries, a cache the batch keeps (see `CaseSummary`).
                    try connection.execute(
                        """
                        CREATE TABLE case_summaries (
                            case_id text PRIMARY KEY,
                            head_index bigint NOT NULL,
                            outcome text NOT NULL,
                            wake_at bigint,
                            expires_at bigint,
                            needs_orchestrator boolean NOT NULL,
                            finished_run text
                        );
                        CREATE INDEX open_cases ON case_summaries (wake_at) WHERE outcome = 'open';
                        CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);
                        UPDATE schema_version SET version = 2;
                        """
                    )
                }
                if version < 3 {
                    // Version 3: the governance cache (see `GovernanceCache`).
                    try connection.execute(
                        """
                        CREATE TABLE governance_records (
                            kind text NOT NULL,
                            id text NOT NULL,
                            value bytea NOT NULL,
                            PRIMARY KEY (kind, id)
                        );
                        UPDATE schema_version SET version = 3;
                        """
                    )
                }
                if version < 4 {
                    // Version 4: log time, when the log received each entry (seconds since 1970).
                    try connection.execute(
                        """
                        ALTER TABLE entries ADD COLUMN log_time bigint;
                        UPDATE schema_version SET version = 4;
                        """
                    )
                }
                if version < 5 {
                    // Version 5: documents filed by the SHA-256 of their exact bytes (`DocumentKey`),
                    // the rows filed by fingerprint kept for revision-1 entries and copied under their
                    // exact key; case summaries record the leaf hash of the head they were made at.
                    try connection.execute(
                        """
                        ALTER TABLE documents RENAME COLUMN fingerprint TO doc_key;
                        INSERT INTO documents (doc_key, bytes)
                        SELECT 'file:sha256:' || encode(sha256(bytes), 'hex'), bytes FROM documents
                        WHERE doc_key LIKE 'sha256:%' ON CONFLICT DO NOTHING;
                        ALTER TABLE case_summaries ADD COLUMN head_leaf bytea;
                        UPDATE schema_version SET version = 5;
                        """
                    )
                }
                if version < 6 {
                    // Version 6: the case-head map, versioned by checkpoint size (docs/CASE-MAP.md).
                    try connection.execute(Self.caseMapTables + "UPDATE schema_version SET version = 6;")
                }
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw .engine(code: "migration", message: "\(error)", statement: nil)
        }
    }

    /// The tables of schema version 1, on a database that has none.
    private static func createVersion1(_ connection: PostgresConnection, create: Bool) throws {
        guard create else {
            throw StorageError.unreachable(
                location: connection.location,
                reason: "no ledger there yet (nothing was signed)"
            )
        }
        try connection.execute(
            """
            CREATE TABLE entries (
                idx bigint PRIMARY KEY,
                envelope bytea NOT NULL,
                leaf_hash bytea NOT NULL,
                case_id text
            );
            CREATE INDEX entries_by_case ON entries (case_id, idx) WHERE case_id IS NOT NULL;
            CREATE TABLE nodes (
                level integer NOT NULL,
                idx bigint NOT NULL,
                hash bytea NOT NULL,
                PRIMARY KEY (level, idx)
            );
            CREATE TABLE documents (
                fingerprint text PRIMARY KEY,
                bytes bytea NOT NULL
            );
            CREATE TABLE checkpoints (
                size bigint PRIMARY KEY,
                note text NOT NULL
            );
            CREATE TABLE schema_version (version integer NOT NULL);
            INSERT INTO schema_version (version) VALUES (1);
            """
        )
    }

    /// The recorded schema version; 0 for a database without one.
    private static func version(_ connection: PostgresConnection) throws(StorageError) -> Int {
        let table = try connection.query("SELECT to_regclass('schema_version') IS NOT NULL")
        guard table.bytes(0, 0) == [1] else { return 0 }
        let row = try connection.query("SELECT max(version) FROM schema_version")
        return row.isNull(0, 0) ? 0 : Int(row.integer(0, 0))
    }

    public func size() throws -> Int {
        Int(try statements.size.run().integer(0, 0))
    }

    @discardableResult
    public func append(_ entries: [NewEntry]) throws -> [LedgerEntry] {
        guard !entries.isEmpty else { return [] }
        return try connection.transaction {
            try statements.lock.run([.integer(Self.writeLock)])
            let start = try size()
            var heads = try caseHeads(Set(entries.flatMap { $0.expectedHeads.map(\.chain) }))
            var frontier = try frontier(size: start)
            // Log time is the server's clock inside this transaction, after the lock: every machine
            // appends by one clock, in one order.
            let clockRow = try statements.clock.run()
            let clock = Date(timeIntervalSince1970: Double(clockRow.integer(0, 0)))
            var logTime = clockRow.isNull(0, 1) ? nil : Date(timeIntervalSince1970: Double(clockRow.integer(0, 1)))
            var appended: [LedgerEntry] = []
            appended.reserveCapacity(entries.count)
            var nodes: [(level: Int, index: Int, hash: Digest)] = []
            for (offset, entry) in entries.enumerated() {
                for (chain, expected) in entry.expectedHeads where heads[chain] != expected {
                    throw StorageError.caseMovedOn(
                        caseID: chain,
                        expected: expected?.hex ?? "",
                        found: heads[chain]?.hex ?? ""
                    )
                }
                let leaf = MerkleHash.leaf(entry.envelope)
                let index = start + offset
                let time = try entry.logTime(after: logTime, clock: clock)
                logTime = time
                nodes += try Self.completedSubtrees(leaf: leaf, index: index, frontier: &frontier)
                if let caseID = entry.caseID { heads[caseID] = leaf }
                appended.append(
                    LedgerEntry(
                        index: index,
                        envelope: entry.envelope,
                        leafHash: leaf,
                        caseID: entry.caseID,
                        logTime: time
                    )
                )
            }
            let documents = entries.flatMap(\.documents)
            try statements.insert.run([
                .integers(appended.map { Int64($0.index) }), .byteStrings(appended.map(\.envelope)),
                .byteStrings(appended.map(\.leafHash.bytes)), .texts(appended.map(\.caseID)),
                .integers(appended.map { $0.logTime!.storedSeconds }),
                .integers(nodes.map { Int64($0.level) }), .integers(nodes.map { Int64($0.index) }),
                .byteStrings(nodes.map(\.hash.bytes)),
                .texts(documents.map(\.key)), .byteStrings(documents.map(\.bytes)),
            ])
            return appended
        }
    }

    /// The perfect subtrees a new leaf completes, given the `frontier`: the hashes, by level, of the
    /// perfect subtrees that make up the log so far and still await a right sibling. While the new
    /// subtree is a right child it is combined with its left sibling from the frontier; the subtree
    /// it ends as joins the frontier.
    private static func completedSubtrees(
        leaf: Digest,
        index leafIndex: Int,
        frontier: inout [Int: Digest]
    ) throws -> [(level: Int, index: Int, hash: Digest)] {
        var completed: [(level: Int, index: Int, hash: Digest)] = []
        var hash = leaf
        var index = leafIndex
        var level = 0
        while index & 1 == 1 {
            guard let left = frontier.removeValue(forKey: level) else {
                throw LedgerError.missingSubtree(level: level, index: index - 1)
            }
            hash = MerkleHash.node(left, hash)
            level += 1
            index >>= 1
            completed.append((level, index, hash))
        }
        frontier[level] = hash
        return completed
    }

    /// The frontier of a log of `size` entries, read in one query: for each bit `level` set in
    /// `size`, the perfect subtree of that level just left of the right edge.
    private func frontier(size: Int) throws -> [Int: Digest] {
        let levels = (0..<Int.bitWidth - 1).filter { size >> $0 & 1 == 1 }
        guard !levels.isEmpty else { return [:] }
        let rows = try statements.subtrees.run([
            .integers(levels.map { Int64($0) }), .integers(levels.map { Int64((size >> $0) - 1) }),
        ])
        var frontier: [Int: Digest] = [:]
        for row in 0..<rows.count where !rows.isNull(row, 1) {
            frontier[Int(rows.integer(row, 0))] = Digest(bytes: rows.bytes(row, 1))
        }
        return frontier
    }

    /// The leaf hash of each case's newest entry; cases without entries are absent.
    private func caseHeads(_ caseIDs: Set<String>) throws -> [String: Digest] {
        guard !caseIDs.isEmpty else { return [:] }
        let rows = try statements.caseHeads.run([.texts(Array(caseIDs))])
        var heads: [String: Digest] = [:]
        for row in 0..<rows.count where !rows.isNull(row, 1) {
            heads[rows.text(row, 0) ?? ""] = Digest(bytes: rows.bytes(row, 1))
        }
        return heads
    }

    public func chainHead(_ chain: String) throws -> ChainHead? {
        let rows = try statements.chainHead.run([.text(chain)])
        return rows.count == 0 ? nil : ChainHead(index: Int(rows.integer(0, 0)), leaf: Digest(bytes: rows.bytes(0, 1)))
    }

    public func governanceRecord(kind: String, id: String) throws -> [UInt8]? {
        let rows = try statements.governanceRecord.run([.text(kind), .text(id)])
        return rows.count == 0 ? nil : rows.bytes(0, 0)
    }

    public func governanceRecords() throws -> [GovernanceRecord] {
        let rows = try connection.query(
            "SELECT kind, id, value FROM governance_records WHERE kind <> $1 ORDER BY kind, id",
            [.text(SQLiteLedgerStore.headKind)]
        )
        return (0..<rows.count).map {
            GovernanceRecord(kind: rows.text($0, 0) ?? "", id: rows.text($0, 1) ?? "", value: rows.bytes($0, 2))
        }
    }

    public func governanceCacheHead() throws -> ChainHead? {
        try governanceRecord(kind: SQLiteLedgerStore.headKind, id: "").flatMap(SQLiteLedgerStore.decodeHead)
    }

    public func saveGovernanceRecords(
        _ records: [GovernanceRecord],
        head: ChainHead,
        expected: ChainHead?,
        replacingAll: Bool
    ) throws -> Bool {
        try connection.transaction {
            // Cache writers queue on the append lock, so the head they compare is the one they replace.
            try statements.lock.run([.integer(Self.writeLock)])
            guard try governanceCacheHead() == expected else { return false }
            if replacingAll { try connection.execute("DELETE FROM governance_records") }
            let saved =
                records.filter { $0.value != nil } + [
                    GovernanceRecord(
                        kind: SQLiteLedgerStore.headKind,
                        id: "",
                        value: SQLiteLedgerStore.encodeHead(head)
                    )
                ]
            let deleted = records.filter { $0.value == nil }
            try connection.query(
                """
                INSERT INTO governance_records (kind, id, value) SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[])
                ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value
                """,
                [.texts(saved.map(\.kind)), .texts(saved.map(\.id)), .byteStrings(saved.map { $0.value! })]
            )
            if !deleted.isEmpty {
                try connection.query(
                    "DELETE FROM governance_records g USING unnest($1::text[], $2::text[]) AS d (kind, id) "
                        + "WHERE g.kind = d.kind AND g.id = d.id",
                    [.texts(deleted.map(\.kind)), .texts(deleted.map(\.id))]
                )
            }
            return true
        }
    }

    public func subtreeHashes(_ keys: [(level: Int, index: Int)]) throws -> [Digest?] {
        guard !keys.isEmpty else { return [] }
        let rows = try connection.query(
            """
            SELECT k.ord, coalesce(n.hash, e.leaf_hash)
            FROM unnest($1::int8[], $2::int8[]) WITH ORDINALITY AS k (level, idx, ord)
            LEFT JOIN nodes n ON k.level > 0 AND n.level = k.level AND n.idx = k.idx
            LEFT JOIN entries e ON k.level = 0 AND e.idx = k.idx
            """,
            [.integers(keys.map { Int64($0.level) }), .integers(keys.map { Int64($0.index) })]
        )
        var result = [Digest?](repeating: nil, count: keys.count)
        for row in 0..<rows.count where !rows.isNull(row, 1) {
            let bytes = rows.bytes(row, 1)
            if bytes.count == SHA256.byteCount { result[Int(rows.integer(row, 0)) - 1] = Digest(bytes: bytes) }
        }
        return result
    }

    public func subtreeHash(level: Int, index: Int) throws -> Digest {
        let rows =
            level == 0
            ? try statements.leafHash.run([.integer(Int64(index))])
            : try statements.node.run([.integer(Int64(level)), .integer(Int64(index))])
        let bytes = rows.count == 1 ? rows.bytes(0, 0) : []
        guard bytes.count == SHA256.byteCount else {
            throw LedgerError.missingSubtree(level: level, index: index)
        }
        return Digest(bytes: bytes)
    }

    public func entry(at index: Int) throws -> LedgerEntry? {
        let rows = try statements.entry.run([.integer(Int64(index))])
        return rows.count == 0 ? nil : Self.entry(rows, 0)
    }

    /// Fetches `pageSize` entries per round trip, each page a finished query, so `body` may use the
    /// store while the stream is under way.
    public func forEachEntry(in range: Range<Int>, _ body: (LedgerEntry) throws -> Void) throws {
        var next = range.lowerBound
        while next < range.upperBound {
            let rows = try statements.entriesPage.run([
                .integer(Int64(next)), .integer(Int64(range.upperBound)), .integer(Int64(Self.pageSize)),
            ])
            guard rows.count > 0 else { return }
            for row in 0..<rows.count { try body(Self.entry(rows, row)) }
            next = Int(rows.integer(rows.count - 1, 0)) + 1
        }
    }

    public func entries(ofCase caseID: String) throws -> [LedgerEntry] {
        let rows = try statements.caseEntries.run([.text(caseID)])
        return (0..<rows.count).map { Self.entry(rows, $0) }
    }

    public func caseIDs() throws -> [String] {
        let rows = try statements.caseIDs.run()
        return (0..<rows.count).compactMap { rows.text($0, 0) }
    }

    public func document(key: String) throws -> [UInt8]? {
        let rows = try statements.document.run([.text(key)])
        return rows.count == 0 ? nil : rows.bytes(0, 0)
    }

    public func saveCheckpoint(_ checkpoint: StoredCheckpoint) throws {
        try connection.transaction {
            // The advisory lock every append takes also orders checkpoint writers: a merge never
            // reads a note another writer is about to replace.
            try statements.lock.run([.integer(Self.writeLock)])
            let rows = try connection.query(
                "SELECT note FROM checkpoints WHERE size = $1",
                [.integer(Int64(checkpoint.size))]
            )
            let existing = rows.count == 0 ? nil : rows.text(0, 0)
            try statements.saveCheckpoint.run([
                .integer(Int64(checkpoint.size)), .text(checkpoint.merged(over: existing)),
            ])
        }
    }

    public func snapshot<T>(_ body: () throws -> T) throws -> T {
        try connection.snapshot(body)
    }

    public func checkpoints() throws -> [StoredCheckpoint] {
        let rows = try statements.checkpoints.run()
        return (0..<rows.count).map { StoredCheckpoint(size: Int(rows.integer($0, 0)), note: rows.text($0, 1) ?? "") }
    }

    private static func entry(_ rows: PostgresResult, _ row: Int) -> LedgerEntry {
        LedgerEntry(
            index: Int(rows.integer(row, 0)),
            envelope: rows.bytes(row, 1),
            leafHash: Digest(bytes: rows.bytes(row, 2)),
            caseID: rows.text(row, 3),
            logTime: rows.isNull(row, 4) ? nil : Date(timeIntervalSince1970: Double(rows.integer(row, 4)))
        )
    }

    public func newestLogTime() throws -> Date? {
        let rows = try statements.newestLogTime.run()
        guard rows.count == 1, !rows.isNull(0, 0) else { return nil }
        return Date(timeIntervalSince1970: Double(rows.integer(0, 0)))
    }

    /// The statements used on every append and look-up, prepared once per connection.
    private struct Statements {
        let size: PostgresStatement
        let lock: PostgresStatement
        let subtrees: PostgresStatement
        let caseHeads: PostgresStatement
        let insert: PostgresStatement
        let leafHash: PostgresStatement
        let node: PostgresStatement
        let entry: PostgresStatement
        let entriesPage: PostgresStatement
        let caseEntries: PostgresStatement
        let document: PostgresStatement
        let saveCheckpoint: PostgresStatement
        let checkpoints: PostgresStatement
        let caseIDs: PostgresStatement
        let chainHead: PostgresStatement
        let governanceRecord: PostgresStatement
        let clock: PostgresStatement
        let newestLogTime: PostgresStatement

        init(_ connection: PostgresConnection) throws(StorageError) {
            clock = try connection.prepare(
                "SELECT floor(extract(epoch FROM clock_timestamp()))::int8, "
                    + "(SELECT log_time FROM entries ORDER BY idx DESC LIMIT 1)"
            )
            newestLogTime = try connection.prepare("SELECT log_time FROM entries ORDER BY idx DESC LIMIT 1")
            chainHead = try connection.prepare(
                "SELECT idx, leaf_hash FROM entries WHERE case_id = $1 ORDER BY idx DESC LIMIT 1"
            )
            governanceRecord = try connection.prepare(
                "SELECT value FROM governance_records WHERE kind = $1 AND id = $2"
            )
            size = try connection.prepare("SELECT coalesce(max(idx) + 1, 0) FROM entries")
            lock = try connection.prepare("SELECT pg_advisory_xact_lock($1)")
            subtrees = try connection.prepare(
                """
                SELECT k.level, coalesce(n.hash, e.leaf_hash)
                FROM unnest($1::int8[], $2::int8[]) AS k (level, idx)
                LEFT JOIN nodes n ON k.level > 0 AND n.level = k.level AND n.idx = k.idx
                LEFT JOIN entries e ON k.level = 0 AND e.idx = k.idx
                """
            )
            caseHeads = try connection.prepare(
                """
                SELECT c.case_id,
                    (SELECT e.leaf_hash FROM entries e WHERE e.case_id = c.case_id ORDER BY e.idx DESC LIMIT 1)
                FROM unnest($1::text[]) AS c (case_id)
                """
            )
            // One statement writes the whole batch: entries, completed subtrees and documents.
            insert = try connection.prepare(
                """
                WITH new_entries AS (
                    INSERT INTO entries (idx, envelope, leaf_hash, case_id, log_time)
                    SELECT * FROM unnest($1::int8[], $2::bytea[], $3::bytea[], $4::text[], $5::int8[])
                ), new_nodes AS (
                    INSERT INTO nodes (level, idx, hash) SELECT * FROM unnest($6::int8[], $7::int8[], $8::bytea[])
                )
                INSERT INTO documents (doc_key, bytes) SELECT * FROM unnest($9::text[], $10::bytea[])
                ON CONFLICT DO NOTHING
                """
            )
            leafHash = try connection.prepare("SELECT leaf_hash FROM entries WHERE idx = $1")
            node = try connection.prepare("SELECT hash FROM nodes WHERE level = $1 AND idx = $2")
            entry = try connection.prepare(
                "SELECT idx, envelope, leaf_hash, case_id, log_time FROM entries WHERE idx = $1"
            )
            entriesPage = try connection.prepare(
                "SELECT idx, envelope, leaf_hash, case_id, log_time FROM entries WHERE idx >= $1 AND idx < $2 ORDER BY idx LIMIT $3"
            )
            caseEntries = try connection.prepare(
                "SELECT idx, envelope, leaf_hash, case_id, log_time FROM entries WHERE case_id = $1 ORDER BY idx"
            )
            document = try connection.prepare("SELECT bytes FROM documents WHERE doc_key = $1")
            saveCheckpoint = try connection.prepare(
                "INSERT INTO checkpoints (size, note) VALUES ($1, $2) ON CONFLICT (size) DO UPDATE SET note = excluded.note"
            )
            checkpoints = try connection.prepare("SELECT size, note FROM checkpoints ORDER BY size")
            caseIDs = try connection.prepare(
                "SELECT case_id FROM entries WHERE case_id IS NOT NULL AND case_id NOT LIKE '@%' "
                    + "GROUP BY case_id ORDER BY min(idx)"
            )
        }
    }
}
