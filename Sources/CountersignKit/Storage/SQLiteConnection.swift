internal import CSQLite
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One SQLite connection, the only owner of a `sqlite3*`. Not shared between threads.
final class SQLiteConnection {
    private let handle: OpaquePointer
    let path: String

    /// Opens (creating if needed) the database at `path` in WAL mode with durable commits.
    init(path: String) throws(StorageError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let reason =
                handle.map { Self.message(code, String(cString: sqlite3_errmsg($0)), handle: $0, path: nil) }
                ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            throw .unreachable(location: "sqlite:\(path)", reason: reason)
        }
        self.handle = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
        // Several processes may append at once: wait for the write lock instead of failing.
        sqlite3_busy_timeout(handle, 60_000)
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = FULL")
        try execute("PRAGMA foreign_keys = ON")
        // 32 MiB of page cache (the default is 2 MiB): a checkpoint's case-map update reads and
        // writes scattered index pages of a large map.
        try execute("PRAGMA cache_size = -32768")
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(StorageError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw .engine(
                code: "SQLITE \(code)",
                message: Self.message(code, text, handle: handle, path: path),
                statement: sql
            )
        }
    }

    /// Compiles `sql` once; the statement is finalised when released.
    func prepare(_ sql: String) throws(StorageError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw error(code, sql) }
        return SQLiteStatement(statement, connection: self, sql: sql)
    }

    /// Runs `body` in a transaction taking the write lock at once (`BEGIN IMMEDIATE`), so two
    /// appending processes serialise instead of deadlocking. Commits on return, rolls back on throw.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Whether a transaction is open on this connection.
    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a read transaction: one consistent snapshot across several queries (in WAL
    /// mode, from its first read to its end, whatever other connections commit). Inside a
    /// transaction already open, `body` joins it.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        if inTransaction { return try body() }
        try execute("BEGIN DEFERRED")
        defer { try? execute("COMMIT") }
        return try body()
    }

    func error(_ code: Int32, _ sql: String?) -> StorageError {
        let text = String(cString: sqlite3_errmsg(handle))
        return .engine(
            code: "SQLITE \(code)",
            message: Self.message(code, text, handle: handle, path: path),
            statement: sql
        )
    }

    /// SQLite's message `text` for `code`, and when the file or its disk failed (an I/O error, a full
    /// disk, a file it cannot open or write) what the operating system said and the ledger file:
    /// "disk I/O error" alone does not tell an operator that the disk is full.
    ///
    /// A file SQLite cannot open or write is diagnosed here (`Permission denied`, `Read-only file
    /// system`): the last system error SQLite saw is then often that of a side file it probed.
    private static func message(_ code: Int32, _ text: String, handle: OpaquePointer, path: String?) -> String {
        let primary = code & 0xff
        guard [SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY].contains(primary) else { return text }
        var system = sqlite3_system_errno(handle)
        if [SQLITE_CANTOPEN, SQLITE_READONLY].contains(primary), let path, let denied = writeDenied(path) {
            system = denied
        }
        let cause = system == 0 ? "" : ": " + String(cString: strerror(system))
        return text + cause + (path.map { " (ledger file \($0))" } ?? "")
    }

    /// Why this process may not write the database file at `path` or create files beside it, if it may not.
    private static func writeDenied(_ path: String) -> Int32? {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        for target in [path, folder] where faccessat(AT_FDCWD, target, W_OK, AT_EACCESS) != 0 && errno != ENOENT {
            return errno
        }
        return nil
    }
}
