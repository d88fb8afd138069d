import Foundation

/// The embedded default store: one SQLite file in WAL mode.
///
/// Schema (version 1): `entries` (index, envelope bytes, leaf hash, case), `nodes` (perfect subtree
/// hashes of level ≥ 1; level 0 is the leaf hash column), `documents` and `checkpoints`.
/// Appends take SQLite's write lock first (`BEGIN IMMEDIATE`), read the size inside the
/// transaction and commit durably, so several processes appending at once get distinct,
/// gap-free indexes.
public final class SQLiteLedgerStore: LedgerStore {
    public let location: String
    let connection: SQLiteConnection
    let statements: Statements

    /// The schema version this code writes; older files are migrated on open.
    public static let schemaVersion = 6

    /// Opens or creates the ledger file at `path` (creating its folder).
    public init(path: String) throws(StorageError) {
        location = "sqlite:\(path)"
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .unreachable(location: location, reason: "cannot create folder \(folder)")
        }
        connection = try SQLiteConnection(path: path)
        try Self.migrate(connection)
        statements = try Statements(connection)
    }

    private static func migrate(_ connection: SQLiteConnection) throws(StorageError) {
        let version = try userVersion(connection)
        guard version <= schemaVersion else { throw .unsupportedSchema(found: version, supported: schemaVersion) }
        guard version < schemaVersion else { return }
        do {
            // Each step reads the version again inside its write transaction: another process may
            // have migrated the file since this one looked.
            try connection.writeTransaction {
                guard try Self.userVersion(connection) < 1 else { return }
                try connection.execute(
                    """
                    CREATE TABLE IF NOT EXISTS entries (
                        idx INTEGER PRIMARY KEY,
                        envelope BLOB NOT NULL,
                        leaf_hash BLOB NOT NULL,
                        case_id TEXT
                    );
                    CREATE INDEX IF NOT EXISTS entries_by_case ON entries (case_id, idx) WHERE case_id IS NOT NULL;
                    CREATE TABLE IF NOT EXISTS nodes (
                        level INTEGER NOT NULL,
                        idx INTEGER NOT NULL,
                        hash BLOB NOT NULL,
                        PRIMARY KEY (level, idx)
                    ) WITHOUT ROWID;
                    CREATE TABLE IF NOT EXISTS documents (
                        fingerprint TEXT PRIMARY KEY,
                        bytes BLOB NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE IF NOT EXISTS checkpoints (
                        size INTEGER PRIMARY KEY,
                        note TEXT NOT NULL
                    );
                    PRAGMA user_version = 1;
                    """
                )
            }
            // Version 2: the case summaries, a cache the batch keeps (see `CaseSummary`).
            try connection.writeTransaction {
                let current = try Self.userVersion(connection)
                guard current < 2 else { return }
                try connection.execute(
                    """
                    CREATE TABLE IF NOT EXISTS case_summaries (
                        case_id TEXT PRIMARY KEY,
                        head_index INTEGER NOT NULL,
                        outcome TEXT NOT NULL,
                        wake_at INTEGER,
                        expires_at INTEGER,
                        needs_orchestrator INTEGER NOT NULL,
                        finished_run TEXT
                    ) WITHOUT ROWID;
                    CREATE INDEX IF NOT EXISTS open_cases ON case_summaries (wake_at) WHERE outcome = 'open';
                    CREATE TABLE IF NOT EXISTS counters (
                        name TEXT PRIMARY KEY,
                        value INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    PRAGMA user_version = 2;
                    """
                )
            }
            // Version 3: the governance cache (see `GovernanceCache`).
            try connection.writeTransaction {
                let current = try Self.userVersion(connection)
                guard current < 3 else { return }
                try connection.execute(
                    """
                    CREATE TABLE IF NOT EXISTS governance_records (
                        kind TEXT NOT NULL,
                        id TEXT NOT NULL,
                        value BLOB NOT NULL,
                        PRIMARY KEY (kind, id)
                    ) WITHOUT ROWID;
                    PRAGMA user_version = 3;
                    """
                )
            }
            // Version 4: log time, when the log received each entry (seconds since 1970).
            try connection.writeTransaction {
                let current = try Self.userVersion(connection)
                guard current < 4 else { return }
                // Another process may have added the column before this one took the write lock.
                let hasColumn = try Self.columns(of: "entries", connection).contains("log_time")
                try connection.execute(
                    (hasColumn ? "" : "ALTER TABLE entries ADD COLUMN log_time INTEGER;\n") + "PRAGMA user_version = 4;"
                )
            }
            // Version 5: documents filed by the SHA-256 of their exact bytes (`DocumentKey`), the
            // rows filed by fingerprint kept for revision-1 entries and copied under their exact
            // key; case summaries record the leaf hash of the head they were made at.
            try connection.writeTransaction {
                let current = try Self.userVersion(connection)
                guard current < 5 else { return }
                if try Self.columns(of: "documents", connection).contains("fingerprint") {
                    try connection.execute("ALTER TABLE documents RENAME COLUMN fingerprint TO doc_key")
                }
                if try !Self.columns(of: "case_summaries", connection).contains("head_leaf") {
                    try connection.execute("ALTER TABLE case_summaries ADD COLUMN head_leaf BLOB")
                }
                let rows = try connection.prepare("SELECT bytes FROM documents WHERE doc_key LIKE 'sha256:%'")
                let copy = try connection.prepare(
                    "INSERT INTO documents (doc_key, bytes) VALUES (?, ?) ON CONFLICT DO NOTHING"
                )
                var copies: [StoredDocument] = []
                while try rows.step() { copies.append(StoredDocument(exactBytes: rows.blob(0))) }
                for document in copies { try copy.run([.text(document.key), .blob(document.bytes)]) }
                try connection.execute("PRAGMA user_version = 5;")
            }
            // Version 6: the case-head map, versioned by checkpoint size (docs/CASE-MAP.md).
            try connection.writeTransaction {
                guard try Self.userVersion(connection) < 6 else { return }
                try connection.execute(Self.caseMapTables + "PRAGMA user_version = 6;")
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw .engine(code: "migration", message: "\(error)", statement: nil)
        }
    }

    private static func userVersion(_ connection: SQLiteConnection) throws(StorageError) -> Int {
        try connection.prepare("PRAGMA user_version").first { Int($0.int(0)) } ?? 0
    }

    private static func columns(of table: String, _ connection: SQLiteConnection) throws(StorageError) -> Set<String> {
        let query = try connection.prepare("SELECT name FROM pragma_table_info('\(table)')")
        var names: Set<String> = []
        while try query.step() { names.insert(query.text(0) ?? "") }
        return names
    }

    public func size() throws -> Int {
        try statements.size.first { Int($0.int(0)) } ?? 0
    }

    @discardableResult
    public func append(_ entries: [NewEntry]) throws -> [LedgerEntry] {
        guard !entries.isEmpty else { return [] }
        return try connection.writeTransaction {
            var index = try size()
            var logTime = try newestLogTime()
            let clock = Date()
            var appended: [LedgerEntry] = []
            appended.reserveCapacity(entries.count)
            // Heads of cases touched in this batch, so a batch may extend the same case twice.
            var heads: [String: Digest] = [:]
            for entry in entries {
                for (chain, expected) in entry.expectedHeads {
                    let head = try heads[chain] ?? caseHead(chain)
                    guard head == expected else {
                        throw StorageError.caseMovedOn(
                            caseID: chain,
                            expected: expected?.hex ?? "",
                            found: head?.hex ?? ""
                        )
                    }
                }
                let leaf = MerkleHash.leaf(entry.envelope)
                let time = try entry.logTime(after: logTime, clock: clock)
                logTime = time
                try statements.insertEntry.run([
                    .integer(Int64(index)), .blob(entry.envelope), .blob(leaf.bytes),
                    entry.caseID.map { .text($0) } ?? .null, .integer(time.storedSeconds),
                ])
                try storeCompletedSubtrees(leafIndex: index, leaf: leaf)
                for document in entry.documents {
                    try statements.insertDocument.run([.text(document.key), .blob(document.bytes)])
                }
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
                index += 1
            }
            return appended
        }
    }

    /// Saves every perfect subtree the new leaf completes: while the subtree is a right child,
    /// combine it with its left sibling and go up a level.
    private func storeCompletedSubtrees(leafIndex: Int, leaf: Digest) throws {
        var hash = leaf
        var index = leafIndex
        var level = 0
        while index & 1 == 1 {
            let left = try subtreeHash(level: level, index: index - 1)
            hash = MerkleHash.node(left, hash)
            level += 1
            index >>= 1
            try statements.insertNode.run([.integer(Int64(level)), .integer(Int64(index)), .blob(hash.bytes)])
        }
    }

    private func caseHead(_ caseID: String) throws -> Digest? {
        try statements.caseHead.first([.text(caseID)]) { Digest(bytes: $0.blob(1)) }
    }

    public func chainHead(_ chain: String) throws -> ChainHead? {
        try statements.caseHead.first([.text(chain)]) {
            ChainHead(index: Int($0.int(0)), leaf: Digest(bytes: $0.blob(1)))
        }
    }

    public func subtreeHash(level: Int, index: Int) throws -> Digest {
        let bytes =
            level == 0
            ? try statements.leafHash.first([.integer(Int64(index))]) { $0.blob(0) }
            : try statements.node.first([.integer(Int64(level)), .integer(Int64(index))]) { $0.blob(0) }
        guard let bytes, bytes.count == SHA256.byteCount else {
            throw LedgerError.missingSubtree(level: level, index: index)
        }
        return Digest(bytes: bytes)
    }

    public func entry(at index: Int) throws -> LedgerEntry? {
        try statements.entry.first([.integer(Int64(index))], Self.entry)
    }

    public func forEachEntry(in range: Range<Int>, _ body: (LedgerEntry) throws -> Void) throws {
        let query = try connection.prepare(
            "SELECT idx, envelope, leaf_hash, case_id, log_time FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx"
        )
        try query.bind([.integer(Int64(range.lowerBound)), .integer(Int64(range.upperBound))])
        while try query.step() { try body(Self.entry(query)) }
    }

    public func entries(ofCase caseID: String) throws -> [LedgerEntry] {
        try statements.caseEntries.bind([.text(caseID)])
        var result: [LedgerEntry] = []
        while try statements.caseEntries.step() { result.append(Self.entry(statements.caseEntries)) }
        return result
    }

    public func caseIDs() throws -> [String] {
        let query = try connection.prepare(
            "SELECT case_id FROM entries WHERE case_id IS NOT NULL AND case_id NOT LIKE '@%' "
                + "GROUP BY case_id ORDER BY min(idx)"
        )
        var result: [String] = []
        while try query.step() { result.append(query.text(0) ?? "") }
        return result
    }

    public func document(key: String) throws -> [UInt8]? {
        try statements.document.first([.text(key)]) { $0.blob(0) }
    }

    public func saveCheckpoint(_ checkpoint: StoredCheckpoint) throws {
        try connection.writeTransaction {
            let existing =
                try connection.prepare("SELECT note FROM checkpoints WHERE size = ?")
                .first([.integer(Int64(checkpoint.size))]) { $0.text(0) } ?? nil
            try statements.saveCheckpoint.run([
                .integer(Int64(checkpoint.size)), .text(checkpoint.merged(over: existing)),
            ])
        }
    }

    public func snapshot<T>(_ body: () throws -> T) throws -> T {
        try connection.readTransaction(body)
    }

    public func checkpoints() throws -> [StoredCheckpoint] {
        let query = try connection.prepare("SELECT size, note FROM checkpoints ORDER BY size")
        var result: [StoredCheckpoint] = []
        while try query.step() { result.append(StoredCheckpoint(size: Int(query.int(0)), note: query.text(1) ?? "")) }
        return result
    }

    public func governanceRecord(kind: String, id: String) throws -> [UInt8]? {
        try statements.governanceRecord.first([.text(kind), .text(id)]) { $0.blob(0) }
    }

    public func governanceRecords() throws -> [GovernanceRecord] {
        let query = try connection.prepare(
            "SELECT kind, id, value FROM governance_records WHERE kind <> '\(Self.headKind)' ORDER BY kind, id"
        )
        var result: [GovernanceRecord] = []
        while try query.step() {
            result.append(GovernanceRecord(kind: query.text(0) ?? "", id: query.text(1) ?? "", value: query.blob(2)))
        }
        return result
    }

    public func governanceCacheHead() throws -> ChainHead? {
        try governanceRecord(kind: Self.headKind, id: "").flatMap(Self.decodeHead)
    }

    public func saveGovernanceRecords(
        _ records: [GovernanceRecord],
        head: ChainHead,
        expected: ChainHead?,
        replacingAll: Bool
    ) throws -> Bool {
        try connection.writeTransaction {
            guard try governanceCacheHead() == expected else { return false }
            if replacingAll { try connection.execute("DELETE FROM governance_records") }
            let save = try connection.prepare(
                "INSERT INTO governance_records (kind, id, value) VALUES (?, ?, ?) "
                    + "ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value"
            )
            let delete = try connection.prepare("DELETE FROM governance_records WHERE kind = ? AND id = ?")
            for record in records {
                if let value = record.value {
                    try save.run([.text(record.kind), .text(record.id), .blob(value)])
                } else {
                    try delete.run([.text(record.kind), .text(record.id)])
                }
            }
            try save.run([.text(Self.headKind), .text(""), .blob(Self.encodeHead(head))])
            return true
        }
    }

    /// The kind of the row that records which governance entry the cache reflects.
    static let headKind = "head"

    /// `INDEX HEX`, the head row's value.
    static func encodeHead(_ head: ChainHead) -> [UInt8] { Array("\(head.index) \(head.leaf.hex)".utf8) }

    static func decodeHead(_ bytes: [UInt8]) -> ChainHead? {
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: " ")
        guard parts.count == 2, let index = Int(parts[0]), let leaf = Digest(hex: parts[1]) else { return nil }
        return ChainHead(index: index, leaf: leaf)
    }

    private static func entry(_ row: SQLiteStatement) -> LedgerEntry {
        LedgerEntry(
            index: Int(row.int(0)),
            envelope: row.blob(1),
            leafHash: Digest(bytes: row.blob(2)),
            caseID: row.isNull(3) ? nil : row.text(3),
            logTime: row.isNull(4) ? nil : Date(timeIntervalSince1970: Double(row.int(4)))
        )
    }

    public func newestLogTime() throws -> Date? {
        try statements.newestLogTime.first { $0.isNull(0) ? nil : Date(timeIntervalSince1970: Double($0.int(0))) }
            ?? nil
    }

    /// The statements used on every append and look-up, prepared once per connection.
    struct Statements {
        let size: SQLiteStatement
        let insertEntry: SQLiteStatement
        let insertNode: SQLiteStatement
        let insertDocument: SQLiteStatement
        let caseHead: SQLiteStatement
        let leafHash: SQLiteStatement
        let node: SQLiteStatement
        let entry: SQLiteStatement
        let caseEntries: SQLiteStatement
        let document: SQLiteStatement
        let saveCheckpoint: SQLiteStatement
        let governanceRecord: SQLiteStatement
        let newestLogTime: SQLiteStatement
        let caseMapNode: SQLiteStatement
        let caseMapHead: SQLiteStatement

        init(_ connection: SQLiteConnection) throws(StorageError) {
            caseMapNode = try connection.prepare(
                "SELECT kind, first, second FROM case_map_nodes WHERE depth = ? AND prefix = ? AND version <= ? "
                    + "ORDER BY version DESC LIMIT 1"
            )
            caseMapHead = try connection.prepare(
                "SELECT count, head_leaf, outcome FROM case_heads WHERE case_id = ? AND version <= ? "
                    + "ORDER BY version DESC LIMIT 1"
            )
            newestLogTime = try connection.prepare("SELECT log_time FROM entries ORDER BY idx DESC LIMIT 1")
            governanceRecord = try connection.prepare(
                "SELECT value FROM governance_records WHERE kind = ? AND id = ?"
            )
            size = try connection.prepare("SELECT coalesce(max(idx) + 1, 0) FROM entries")
            insertEntry = try connection.prepare(
                "INSERT INTO entries (idx, envelope, leaf_hash, case_id, log_time) VALUES (?, ?, ?, ?, ?)"
            )
            insertNode = try connection.prepare("INSERT INTO nodes (level, idx, hash) VALUES (?, ?, ?)")
            insertDocument = try connection.prepare(
                "INSERT INTO documents (doc_key, bytes) VALUES (?, ?) ON CONFLICT DO NOTHING"
            )
            caseHead = try connection.prepare(
                "SELECT idx, leaf_hash FROM entries WHERE case_id = ? ORDER BY idx DESC LIMIT 1"
            )
            leafHash = try connection.prepare("SELECT leaf_hash FROM entries WHERE idx = ?")
            node = try connection.prepare("SELECT hash FROM nodes WHERE level = ? AND idx = ?")
            entry = try connection.prepare(
                "SELECT idx, envelope, leaf_hash, case_id, log_time FROM entries WHERE idx = ?"
            )
            caseEntries = try connection.prepare(
                "SELECT idx, envelope, leaf_hash, case_id, log_time FROM entries WHERE case_id = ? ORDER BY idx"
            )
            document = try connection.prepare("SELECT bytes FROM documents WHERE doc_key = ?")
            saveCheckpoint = try connection.prepare(
                "INSERT INTO checkpoints (size, note) VALUES (?, ?) ON CONFLICT (size) DO UPDATE SET note = excluded.note"
            )
        }
    }
}
