import CountersignKit
import Foundation

/// Issue 2: append rate and proof time against log size.
enum LedgerBenchmarks {
    static func run() throws {
        Bench.section("Ledger (issue 2)")
        try appendRate()
        try proofTime()
    }

    /// Appending pre-signed envelopes to SQLite in batches, durable commits.
    static func appendRate() throws {
        let path = Bench.dataFolder.appendingPathComponent("append.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try SQLiteLedgerStore(path: path)
        try BenchConsortium.foundAlone(store, key: try Ed25519PrivateKey())
        let envelopes = try SampleEnvelopes.make(count: 2_000)
        let batches = 25
        let batchSize = 2_000
        let seconds = try Bench.time {
            for _ in 0..<batches {
                try store.append(envelopes.map { NewEntry(envelope: $0) })
            }
        }
        let rate = Double(batches * batchSize) / seconds
        Bench.report(
            "append pre-signed envelopes (SQLite)",
            value: Bench.perSecond(rate),
            against: "floor 20,000/s",
            ratio: rate / 20_000,
            target: "≥ 1.0",
            met: rate >= 20_000
        )
    }

    /// Inclusion proofs at 1,000 and 1,000,000 entries: O(log n) means nearly the same time.
    static func proofTime() throws {
        let small = try ledger(entries: 1_000)
        let large = try ledger(entries: 1_000_000)
        let smallTime = try averageProofTime(small)
        let largeTime = try averageProofTime(large)
        Bench.report(
            "inclusion proof at 1,000,000 entries",
            value: Bench.duration(largeTime),
            against: "1,000 entries: \(Bench.duration(smallTime))",
            ratio: largeTime / smallTime,
            target: "≤ 1 ms",
            met: largeTime <= 0.001
        )
    }

    private static func averageProofTime(_ ledger: Ledger) throws -> Double {
        let size = try ledger.size()
        var generator = SystemRandomNumberGenerator()
        _ = try ledger.inclusionProof(index: 0)
        let count = 2_000
        let seconds = try Bench.time {
            for _ in 0..<count {
                let proof = try ledger.inclusionProof(index: Int.random(in: 0..<size, using: &generator))
                precondition(proof.isValid)
            }
        }
        return seconds / Double(count)
    }

    /// A ledger of `entries` entries: a genesis, then synthetic envelope-sized entries, cached
    /// between runs (`-v3`: those cached before the consortium moved onto the ledger have no genesis).
    private static func ledger(entries: Int) throws -> Ledger {
        let path = Bench.dataFolder.appendingPathComponent("proofs-\(entries)-v3.sqlite").path
        let store = try SQLiteLedgerStore(path: path)
        if try store.size() == 0 { try BenchConsortium.foundAlone(store, key: try Ed25519PrivateKey()) }
        var size = try store.size()
        let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 480)
        while size < entries {
            let batch = (size..<min(size + 50_000, entries)).map { index in
                NewEntry(envelope: Array("{\"entry\":\(index),\"pad\":\"".utf8) + filler + Array("\"}".utf8))
            }
            try store.append(batch)
            size += batch.count
        }
        return Ledger(store: store)
    }
}
