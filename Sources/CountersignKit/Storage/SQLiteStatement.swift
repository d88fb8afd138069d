internal import CSQLite
import Foundation

/// A prepared SQLite statement, finalised in `deinit`. Bind with 1-based positions.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let connection: SQLiteConnection
    private let sql: String

    init(_ statement: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.statement = statement
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// A value to bind to a parameter.
    enum Value {
        case integer(Int64)
        case text(String)
        case blob([UInt8])
        case null
    }

    /// Resets the statement and binds `values` to parameters 1...n.
    @discardableResult
    func bind(_ values: [Value]) throws(StorageError) -> SQLiteStatement {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (offset, value) in values.enumerated() {
            let position = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let number): code = sqlite3_bind_int64(statement, position, number)
            case .text(let text): code = sqlite3_bind_text(statement, position, text, -1, cs_sqlite_transient())
            case .blob(let bytes):
                code = bytes.withUnsafeBytes {
                    sqlite3_bind_blob64(statement, position, $0.baseAddress, UInt64($0.count), cs_sqlite_transient())
                }
            case .null: code = sqlite3_bind_null(statement, position)
            }
            guard code == SQLITE_OK else { throw connection.error(code, sql) }
        }
        return self
    }

    /// Advances to the next row; `false` when done.
    func step() throws(StorageError) -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw connection.error(code, sql)
        }
    }

    /// Runs a statement that returns no rows.
    func run(_ values: [Value] = []) throws(StorageError) {
        try bind(values)
        while try step() {}
    }

    /// Runs a query and returns the first row through `row`, or `nil` when there is none.
    func first<T>(_ values: [Value] = [], _ row: (SQLiteStatement) throws(StorageError) -> T) throws(StorageError) -> T?
    {
        try bind(values)
        guard try step() else { return nil }
        let result = try row(self)
        sqlite3_reset(statement)
        return result
    }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(statement, column) else { return nil }
        return String(cString: pointer)
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
