import Foundation
import Testing

/// The ledger stores scenarios run against: every scenario that touches a store runs on both.
public enum StoreKind: CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// The ledger location (`--ledger` text) of a new, empty ledger: a file in `folder`, or a fresh
    /// database on the shared test server.
    public func freshLocation(in folder: TemporaryDirectory) throws -> String {
        switch self {
        case .sqlite: "sqlite:" + folder.path("out/ledger.sqlite")
        case .postgres: try PostgresServer.running().url(database: PostgresServer.running().createDatabase())
        }
    }

    /// The `--ledger` URL of a new, empty ledger: `nil` for SQLite (each workspace's own default
    /// file), a fresh database on the shared test server for PostgreSQL.
    public func freshLedger() throws -> String? {
        switch self {
        case .sqlite: nil
        case .postgres: try PostgresServer.running().url(database: PostgresServer.running().createDatabase())
        }
    }

    /// Entries each of the two processes appends in the concurrency scenario.
    public var entriesPerWorker: Int { self == .sqlite ? 500 : 2_000 }
}
