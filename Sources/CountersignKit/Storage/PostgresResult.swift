internal import CPostgres

/// The rows of one statement, the only owner of a `PGresult*`, cleared in `deinit`.
/// Columns arrive in binary format: `bytea` and `text` as their bytes, integers big-endian.
final class PostgresResult {
    private let result: OpaquePointer

    /// Takes ownership of `result`.
    init(_ result: OpaquePointer) {
        self.result = result
    }

    deinit {
        PQclear(result)
    }

    /// The number of rows.
    var count: Int { Int(PQntuples(result)) }

    /// The command tag, e.g. `COMMIT`, or `ROLLBACK` when a commit found the transaction failed.
    var commandStatus: String { String(cString: PQcmdStatus(result)) }

    func isNull(_ row: Int, _ column: Int) -> Bool {
        PQgetisnull(result, Int32(row), Int32(column)) == 1
    }

    func bytes(_ row: Int, _ column: Int) -> [UInt8] {
        let count = Int(PQgetlength(result, Int32(row), Int32(column)))
        guard count > 0, let pointer = PQgetvalue(result, Int32(row), Int32(column)) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// An `int2`, `int4` or `int8` column, sign-extended from its big-endian bytes.
    func integer(_ row: Int, _ column: Int) -> Int64 {
        let bytes = bytes(row, column)
        let unsigned = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let unused = UInt64(64 - 8 * bytes.count)
        return Int64(bitPattern: unsigned << unused) >> unused
    }

    /// A `text` column, or `nil` when NULL.
    func text(_ row: Int, _ column: Int) -> String? {
        isNull(row, column) ? nil : String(decoding: bytes(row, column), as: UTF8.self)
    }
}
