import CountersignKit
import Foundation
import TestSupport
import Testing

/// What only the PostgreSQL store has: a server that can be away, refuse a password, or end a
/// session, and a schema shared with other versions of Countersign.
@Suite("PostgreSQL ledger store")
struct PostgresLedgerStoreTests {
    /// A new database on the test server and its URL.
    static func freshDatabase() throws -> (server: PostgresServer, name: String, url: String) {
        let server = try PostgresServer.running()
        let name = try server.createDatabase()
        return (server, name, server.url(database: name))
    }

    /// The error `body` throws, which must be a `StorageError`.
    static func storageError(_ body: () throws -> Void) -> StorageError? {
        do {
            try body()
            return nil
        } catch {
            return error as? StorageError
        }
    }

    /// Where a URL carries its password: `user:password@`, `?password=`, or a `user:password@`
    /// libpq cannot even parse (its message quotes the bad token).
    enum PasswordPlace: CaseIterable, Sendable {
        case userInfo
        case query
        case malformed
    }

    @Test(
        "a wrong password is an unreachable ledger, and no message holds a password",
        arguments: PasswordPlace.allCases
    )
    func wrongPassword(place: PasswordPlace) throws {
        let (server, name, _) = try Self.freshDatabase()
        let wrong = "not-the-password-\(UUID().uuidString)"
        let url =
            switch place {
            case .userInfo: server.url(database: name, password: wrong)
            case .query: "postgres://\(PostgresServer.user)@127.0.0.1:\(server.port)/\(name)?password=\(wrong)"
            case .malformed: server.url(database: name, password: wrong + "%zz")
            }
        let error = Self.storageError { _ = try LedgerLocation(url, workspace: URL(fileURLWithPath: "/")).open() }
        guard case .unreachable(let location, let reason) = error else {
            Issue.record("expected an unreachable ledger, got \(String(describing: error))")
            return
        }
        #expect(reason.contains(place == .malformed ? "invalid percent-encoded token" : "authentication failed"))
        #expect(location.contains("***"))
        for text in [location, reason, "\(error!)"] {
            #expect(!text.contains(wrong))
            #expect(!text.contains(server.password))
        }
    }

    @Test("a port where no server listens is an unreachable ledger")
    func closedPort() throws {
        let (server, name, _) = try Self.freshDatabase()
        let url = server.url(database: name, port: try PostgresServer.freePort())
        let error = Self.storageError { _ = try PostgresLedgerStore(url: url) }
        guard case .unreachable(_, let reason) = error else {
            Issue.record("expected an unreachable ledger, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("Connection refused"))
        #expect(!"\(error!)".contains(server.password))
    }

    @Test("a database without a ledger is not created when opening only to read")
    func openWithoutCreating() throws {
        let (_, _, url) = try Self.freshDatabase()
        let location = try LedgerLocation(url, workspace: URL(fileURLWithPath: "/"))
        let error = Self.storageError { _ = try location.open(create: false) }
        guard case .unreachable(_, let reason) = error else {
            Issue.record("expected no ledger, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("no ledger there yet"))
        #expect(try location.open().size() == 0)
        #expect(try location.open(create: false).size() == 0)
    }

    @Test("a ledger written by a newer countersign is refused on open")
    func newerSchema() throws {
        let (server, name, url) = try Self.freshDatabase()
        _ = try PostgresLedgerStore(url: url)
        let newer = PostgresLedgerStore.schemaVersion + 1
        try server.execute("UPDATE schema_version SET version = \(newer)", in: name)
        #expect(throws: StorageError.unsupportedSchema(found: newer, supported: PostgresLedgerStore.schemaVersion)) {
            try PostgresLedgerStore(url: url)
        }
    }

    @Test("a server error carries its SQLSTATE and the statement")
    func serverError() throws {
        let (server, name, url) = try Self.freshDatabase()
        let store = try PostgresLedgerStore(url: url)
        try server.execute("DROP TABLE documents", in: name)
        let error = Self.storageError { _ = try store.document(key: "sha256:abc") }
        guard case .engine(let code, let message, let statement) = error else {
            Issue.record("expected a server error, got \(String(describing: error))")
            return
        }
        #expect(code == "42P01")
        #expect(message.contains("documents"))
        #expect(statement?.contains("FROM documents") == true)
    }

    @Test("a session the server ends is an unreachable ledger, and a failed append leaves nothing")
    func sessionEnded() throws {
        let (server, name, url) = try Self.freshDatabase()
        let store = try PostgresLedgerStore(url: url)
        try store.append([NewEntry(envelope: Array("first".utf8))])
        try server.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' "
                + "AND application_name = 'countersign'",
            in: name
        )
        let error = Self.storageError { try store.append([NewEntry(envelope: Array("second".utf8))]) }
        guard case .unreachable(let location, _) = error else {
            Issue.record("expected an unreachable ledger, got \(String(describing: error))")
            return
        }
        #expect(!location.contains(server.password))
        #expect(try PostgresLedgerStore(url: url).size() == 1)
    }
}
