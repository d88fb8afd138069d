import CountersignKit
import Foundation
import TestSupport
import Testing

extension ExampleWorkspace {
    /// Runs SQL on the workspace's store behind Countersign's back, as whoever administers the store
    /// could: through python3's sqlite3 module on the SQLite file (python3 is a `make deps` package,
    /// the sqlite3 shell is not), through psql on PostgreSQL. `blob` is spliced in as a byte literal
    /// wherever the SQL says `:blob`.
    func administer(_ sql: String, blob: [UInt8] = []) throws {
        let hex = blob.map { String(format: "%02x", $0) }.joined()
        if let ledger {
            let statement = sql.replacingOccurrences(of: ":blob", with: "'\\x\(hex)'::bytea")
            let database = try #require(URL(string: ledger)?.lastPathComponent)
            try PostgresServer.running().execute(statement, in: database)
        } else {
            let statement = sql.replacingOccurrences(of: ":blob", with: "X'\(hex)'")
            let script =
                "import sqlite3, sys\ndb = sqlite3.connect(sys.argv[1])\ndb.executescript(sys.argv[2])\ndb.commit()"
            let status = try runTool("/usr/bin/env", ["python3", "-c", script, path("out/ledger.sqlite"), statement])
            #expect(status == 0, "sqlite: \(statement)")
        }
    }
}
