internal import CPostgres
import Foundation

/// One PostgreSQL connection, the only owner of a `PGconn*`, closed in `deinit`. Not shared
/// between threads. Every failure becomes a `StorageError` scrubbed of the password.
final class PostgresConnection {
    private let handle: OpaquePointer
    /// The location for messages, without the password.
    let location: String
    /// Every form of the password a message could echo, removed from every reason given.
    private let secrets: [String]
    private var preparedCount = 0

    /// Connects to the libpq URI `url` (settings written in the URI win over the defaults here:
    /// a 10-second connect timeout and UTF-8 text). `location` names it in messages, scrubbed of
    /// the password too (a `?password=` query parameter outlives the usual redaction).
    init(url: String, location: String) throws(StorageError) {
        let settings = [
            ("connect_timeout", "10"), ("client_encoding", "UTF8"), ("application_name", "countersign"),
            ("dbname", url),
        ]
        let keywords = settings.map { strdup($0.0) }
        let values = settings.map { strdup($0.1) }
        defer { (keywords + values).forEach { free($0) } }
        let connection = PQconnectdbParams(
            keywords.map { UnsafePointer($0) } + [nil],
            values.map { UnsafePointer($0) } + [nil],
            1
        )
        var secrets = Self.passwords(in: url)
        if let connection, let password = PQpass(connection), password.pointee != 0 {
            secrets.append(String(cString: password))
        }
        self.secrets = secrets
        self.location = Self.scrub(location, of: secrets)
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let reason = connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(connection)
            throw .unreachable(location: self.location, reason: Self.scrub(reason, of: secrets))
        }
        handle = connection
        cs_pq_discard_notices(handle)
    }

    deinit {
        PQfinish(handle)
    }

    /// Runs `script`, one or more statements without parameters or rows (schema changes).
    func execute(_ script: String) throws(StorageError) {
        _ = try check(PQexec(handle, script), sql: script)
    }

    /// Runs one statement once, unprepared.
    @discardableResult
    func query(_ sql: String, _ parameters: [PostgresValue] = []) throws(StorageError) -> PostgresResult {
        let result = Self.withParameters(parameters) { count, values, lengths, formats in
            PQexecParams(handle, sql, count, nil, values, lengths, formats, 1)
        }
        return try check(result, sql: sql)
    }

    /// Parses and plans `sql` once on the server; run it with `PostgresStatement.run`.
    func prepare(_ sql: String) throws(StorageError) -> PostgresStatement {
        preparedCount += 1
        let name = "countersign_\(preparedCount)"
        _ = try check(PQprepare(handle, name, sql, 0, nil), sql: sql)
        return PostgresStatement(connection: self, name: name, sql: sql)
    }

    /// Runs the prepared statement `name`; results come back in binary format.
    func run(_ name: String, sql: String, _ parameters: [PostgresValue]) throws(StorageError) -> PostgresResult {
        let result = Self.withParameters(parameters) { count, values, lengths, formats in
            PQexecPrepared(handle, name, count, values, lengths, formats, 1)
        }
        return try check(result, sql: sql)
    }

    /// Runs `body` in a READ COMMITTED transaction (each statement sees everything committed before
    /// it starts, so what is read after taking a lock is current). Commits on return, rolls back on
    /// throw, rethrowing the first error.
    /// Inside a transaction already open (a `snapshot`), `body` joins it.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try within("BEGIN ISOLATION LEVEL READ COMMITTED", body)
    }

    /// Runs `body` in a REPEATABLE READ, READ ONLY transaction: every statement sees the database
    /// as it was at the first one, whatever other connections commit meanwhile. Inside a
    /// transaction already open, `body` joins it.
    func snapshot<T>(_ body: () throws -> T) throws -> T {
        try within("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// Whether a transaction is open on this connection.
    private var inTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

    private func within<T>(_ begin: String, _ body: () throws -> T) throws -> T {
        if inTransaction { return try body() }
        try execute(begin)
        do {
            let result = try body()
            let commit = try query("COMMIT")
            guard commit.commandStatus == "COMMIT" else {
                throw StorageError.engine(
                    code: "25P02",
                    message: "the transaction failed and was rolled back",
                    statement: "COMMIT"
                )
            }
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Takes ownership of `result`, or turns the failure into a `StorageError`: `unreachable` when
    /// the connection is gone, otherwise `engine` with the SQLSTATE and the server's message.
    private func check(_ result: OpaquePointer?, sql: String) throws(StorageError) -> PostgresResult {
        if let result {
            let status = PQresultStatus(result)
            if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK { return PostgresResult(result) }
        }
        defer { PQclear(result) }
        guard PQstatus(handle) == CONNECTION_OK else {
            throw .unreachable(
                location: location,
                reason: Self.scrub(String(cString: PQerrorMessage(handle)), of: secrets)
            )
        }
        let code = result.flatMap { cs_pq_sqlstate($0) }.map { String(cString: $0) } ?? "libpq"
        let message =
            result.flatMap { cs_pq_primary_message($0) }.map { String(cString: $0) }
            ?? String(cString: PQerrorMessage(handle))
        throw .engine(code: code, message: Self.scrub(message, of: secrets), statement: sql)
    }

    /// Lays `parameters` out in one buffer and hands libpq their pointers, lengths and formats.
    private static func withParameters(
        _ parameters: [PostgresValue],
        _ body: (Int32, [UnsafePointer<CChar>?], [Int32], [Int32]) -> OpaquePointer?
    ) -> OpaquePointer? {
        let encoded = parameters.map(\.encoded)
        var buffer: [UInt8] = []
        var offsets: [Int] = []
        buffer.reserveCapacity(encoded.reduce(1) { $0 + ($1.bytes?.count ?? 0) })
        for value in encoded {
            offsets.append(buffer.count)
            buffer += value.bytes ?? []
        }
        // One byte more, so even an empty value points into the buffer (a nil pointer means NULL).
        buffer.append(0)
        return buffer.withUnsafeBufferPointer { storage in
            let base = UnsafeRawPointer(storage.baseAddress!)
            let values = zip(encoded, offsets).map { value, offset in
                value.bytes == nil ? nil : (base + offset).assumingMemoryBound(to: CChar.self)
            }
            return body(
                Int32(encoded.count),
                values,
                encoded.map { Int32($0.bytes?.count ?? 0) },
                encoded.map(\.format)
            )
        }
    }

    /// The password of a `postgres://user:password@host/db` or `...?password=...` URI, as written
    /// and percent-decoded. Found by hand: a URI too malformed for a parser may still hold one.
    private static func passwords(in url: String) -> [String] {
        guard let scheme = url.range(of: "://") else { return [] }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        var found: [Substring] = []
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            found.append(authority[authority.index(after: colon)..<at])
        }
        if let query = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: query)...].split(separator: "&") where pair.hasPrefix("password=") {
                found.append(pair.dropFirst("password=".count))
            }
        }
        return found.flatMap { [String($0), $0.removingPercentEncoding] }.compactMap { $0 }.filter { !$0.isEmpty }
    }

    /// `message` without any of `secrets`, trimmed to one line.
    private static func scrub(_ message: String, of secrets: [String]) -> String {
        let scrubbed = secrets.reduce(message) { $0.replacingOccurrences(of: $1, with: "***") }
        return scrubbed.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
    }
}
