import TestSupport
import Testing

/// The ledger stores the end-to-end scenarios run against.
enum StoreKind: CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// The `--ledger` URL of a new, empty ledger: `nil` for SQLite (each workspace's own default
    /// file), a fresh database on the shared test server for PostgreSQL.
    func freshLedger() throws -> String? {
        switch self {
        case .sqlite: nil
        case .postgres:
            try PostgresServer.running().url(database: PostgresServer.running().createDatabase())
        }
    }
}
