import CountersignKit
import Foundation
import TestSupport

/// Issue 6: the PostgreSQL store next to SQLite, measured in the same run — batch append rate and
/// the verification throughput of the nightly batch. The server is started here (loopback, a
/// throwaway data folder, `fsync=off`: the same server the tests use), so the append figure
/// flatters PostgreSQL against SQLite's durable commits; the output says so.
enum PostgresBenchmarks {
    static func run() throws {
        Bench.section("PostgreSQL store (issue 6)")
        let server = try PostgresServer.running()
        let postgres = try PostgresLedgerStore(url: server.url(database: try server.createDatabase()))
        let path = Bench.dataFolder.appendingPathComponent("pg-compare.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let sqlite = try SQLiteLedgerStore(path: path)

        // Both logs start with the genesis of a consortium whose one member holds the signing key.
        let key = try Ed25519PrivateKey()
        for store in [sqlite as any LedgerStore, postgres] { try BenchConsortium.foundAlone(store, key: key) }
        let envelopes = try (0..<2_000).map {
            try Envelope.sign(payload: Array("entry \($0)".utf8), payloadType: "text/plain", key: key).bytes
        }
        var rates: [String: Double] = [:]
        for round in 0..<50 {
            for (name, store) in [("sqlite", sqlite as any LedgerStore), ("postgres", postgres)] {
                let seconds = try Bench.time { try store.append(envelopes.map { NewEntry(envelope: $0) }) }
                if round >= 5 { rates[name, default: 0] += Double(envelopes.count) / seconds / 45 }
            }
        }
        Bench.report(
            "append, batches of 2,000, PostgreSQL (fsync off)",
            value: Bench.perSecond(rates["postgres"]!),
            against: "SQLite \(Bench.perSecond(rates["sqlite"]!))",
            ratio: rates["postgres"]! / rates["sqlite"]!,
            target: "≥ 20,000/s",
            met: rates["postgres"]! >= 20_000
        )

        var verify: [String: Double] = [:]
        for _ in 0..<2 {
            for (name, store) in [("sqlite", sqlite as any LedgerStore), ("postgres", postgres)] {
                // Keys come from the log's governance entries: the genesis declares the member's.
                var audit = LogAudit(store: store)
                audit.workers = ProcessInfo.processInfo.activeProcessorCount
                var size = 0
                let seconds = try Bench.time { size = try audit.run().report.size }
                verify[name] = max(verify[name] ?? 0, Double(size) / seconds)
            }
        }
        Bench.report(
            "reconcile verify, \(try postgres.size()) entries, PostgreSQL",
            value: Bench.perSecond(verify["postgres"]!),
            against: "SQLite \(Bench.perSecond(verify["sqlite"]!))",
            ratio: verify["postgres"]! / verify["sqlite"]!,
            target: "≥ 0.8 × SQLite",
            met: verify["postgres"]! >= 0.8 * verify["sqlite"]!
        )
    }
}
