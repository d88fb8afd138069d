import CountersignKit
import Foundation

/// Issue 12: the case-head map at 1,000,000 cases — a checkpoint's map update with 10,000 cases
/// changed, a case-head proof, and the store's growth per checkpoint.
enum CaseMapBenchmarks {
    static let cases = 1_000_000
    static let changed = 10_000

    static func run() throws {
        Bench.section("Case-head map (issue 12)")
        let (store, ledger) = try mapOfAllCases()
        var generator = SystemRandomNumberGenerator()
        // Outcomes come from the engine's replay of each changed case; here every case is open, so
        // the figures are the map's own cost (the replay is measured with reconcile).
        let open: ([CaseHeadChange]) throws -> [String: String] = { changes in
            Dictionary(uniqueKeysWithValues: changes.map { ($0.caseID, "open") })
        }
        var growth: [Int: Int] = [:]
        var update = 0.0
        for count in [1_000, changed] {
            var touched = Set<Int>()
            while touched.count < count { touched.insert(Int.random(in: 0..<cases, using: &generator)) }
            var entries: [NewEntry] = []
            for number in touched {
                let caseID = "C-\(number)"
                let head = try store.chainHead(caseID)?.leaf
                entries.append(
                    NewEntry(
                        envelope: Array("{\"case\":\(number),\"n\":\(UUID())}".utf8),
                        caseID: caseID,
                        expectedPrevious: head
                    )
                )
            }
            try store.append(entries)
            let before = try store.storedBytes()
            let size = try ledger.size()
            let seconds = try Bench.time { _ = try ledger.caseMapRoot(at: size, outcomes: open) }
            growth[count] = try store.storedBytes() - before
            if count == changed { update = seconds }
        }
        Bench.report(
            "checkpoint's map update, 10k of 1M changed",
            value: Bench.duration(update),
            against: "target 2 s",
            ratio: update / 2,
            target: "≤ 1.0",
            met: update <= 2
        )

        let size = try ledger.size()
        let probes = 1_000
        let seconds = try Bench.time {
            for _ in 0..<probes {
                let caseID = "C-\(Int.random(in: 0..<cases, using: &generator))"
                guard let path = try ledger.caseHeadPath(of: caseID, version: size) else {
                    preconditionFailure("\(caseID) is not in the map")
                }
                precondition(path.siblings.count < 40)
            }
        }
        let proof = seconds / Double(probes)
        Bench.report(
            "case-head proof at 1M cases",
            value: Bench.duration(proof),
            against: "target 1 ms",
            ratio: proof / 0.001,
            target: "≤ 1.0",
            met: proof <= 0.001
        )

        let perCase = Double(growth[changed]!) / Double(changed)
        let perCaseSmall = Double(growth[1_000]!) / 1_000
        Bench.report(
            "store growth per checkpoint, 10k changed",
            value: String(format: "%.1f MB, %.0f B/case", Double(growth[changed]!) / 1e6, perCase),
            against: String(format: "1k changed: %.0f B/case", perCaseSmall),
            ratio: perCaseSmall / perCase,
            target: "≤ 2 (per changed case)",
            met: perCaseSmall / perCase <= 2
        )
    }

    /// A ledger of a million one-entry cases and the map over them, cached between runs.
    private static func mapOfAllCases() throws -> (SQLiteLedgerStore, Ledger) {
        let path = Bench.dataFolder.appendingPathComponent("case-map-\(cases)-v2.sqlite").path
        let store = try SQLiteLedgerStore(path: path)
        let ledger = Ledger(store: store)
        var size = try store.size()
        let mapped = try store.caseMapVersion(atOrBelow: Int.max) != nil
        guard size < cases || !mapped else { return (store, ledger) }
        print("building the ledger of \(cases) cases (cached in \(path))")
        while size < cases {
            try store.append(
                (size..<min(size + 50_000, cases)).map { number in
                    NewEntry(envelope: Array("{\"case\":\(number)}".utf8), caseID: "C-\(number)", expectedPrevious: nil)
                }
            )
            size = try store.size()
        }
        let seconds = try Bench.time {
            _ = try ledger.caseMapRoot(at: size) { changes in
                Dictionary(uniqueKeysWithValues: changes.map { ($0.caseID, "open") })
            }
        }
        print(String(format: "the map of \(cases) cases built from nothing in %.1f s", seconds))
        return (store, ledger)
    }
}
