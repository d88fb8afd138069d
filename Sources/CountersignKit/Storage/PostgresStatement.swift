/// A statement prepared once on a connection's server session, run by name.
struct PostgresStatement {
    let connection: PostgresConnection
    let name: String
    let sql: String

    /// Runs the statement with `parameters` bound to `$1...$n`.
    @discardableResult
    func run(_ parameters: [PostgresValue] = []) throws(StorageError) -> PostgresResult {
        try connection.run(name, sql: sql, parameters)
    }
}
