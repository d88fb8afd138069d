import Foundation

/// The case summaries on SQLite: the batch's cache (`CaseSummary`). One process writes a SQLite
/// file at a time, so claims only skip cases this run finished.
extension SQLiteLedgerStore {
    public func saveCaseSummaries(_ summaries: [CaseSummary], watermark: Int?) throws {
        try writeSummaries(summaries, finishing: nil, watermark: watermark)
    }

    /// Upserts summaries in one transaction; with `finishing`, marks each summary that waits for no
    /// key as finished for that run (a plain save keeps the mark a summary had).
    private func writeSummaries(_ summaries: [CaseSummary], finishing run: String?, watermark: Int?) throws {
        try connection.writeTransaction {
            let save = try connection.prepare(
                """
                INSERT INTO case_summaries (case_id, head_index, outcome, wake_at, expires_at, needs_orchestrator,
                finished_run, head_leaf) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET
                head_index = excluded.head_index, head_leaf = excluded.head_leaf, outcome = excluded.outcome,
                wake_at = excluded.wake_at,
                expires_at = excluded.expires_at, needs_orchestrator = excluded.needs_orchestrator,
                finished_run = coalesce(excluded.finished_run, case_summaries.finished_run)
                """
            )
            for summary in summaries {
                let finished = summary.needsOrchestrator ? nil : run
                try save.run([
                    .text(summary.caseID), .integer(Int64(summary.headIndex)), .text(summary.outcome),
                    summary.wakeAt.map { .integer($0.storedSeconds) } ?? .null,
                    summary.expiresAt.map { .integer($0.storedSeconds) } ?? .null,
                    .integer(summary.needsOrchestrator ? 1 : 0),
                    finished.map { .text($0) } ?? .null,
                    summary.headLeaf.map { .blob($0.bytes) } ?? .null,
                ])
            }
            if let watermark {
                try connection.prepare(
                    "INSERT INTO counters (name, value) VALUES ('summary_watermark', ?) "
                        + "ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)"
                ).run([.integer(Int64(watermark))])
            }
        }
    }

    public func caseSummaryWatermark() throws -> Int {
        try connection.prepare("SELECT value FROM counters WHERE name = 'summary_watermark'").first { Int($0.int(0)) }
            ?? 0
    }

    public func casesWithEntries(in range: Range<Int>) throws -> [String] {
        let query = try connection.prepare(
            "SELECT case_id FROM entries WHERE idx >= ? AND idx < ? AND case_id IS NOT NULL "
                + "AND case_id NOT LIKE '@%' GROUP BY case_id ORDER BY min(idx)"
        )
        try query.bind([.integer(Int64(range.lowerBound)), .integer(Int64(range.upperBound))])
        var result: [String] = []
        while try query.step() { result.append(query.text(0) ?? "") }
        return result
    }

    public func openCaseSummaries(wakingBy: Date, expiringBy: Date) throws -> [CaseSummary] {
        try summaries(
            where: "outcome = 'open' AND (wake_at <= ? OR needs_orchestrator = 1 OR expires_at <= ?)",
            [.integer(wakingBy.storedSeconds), .integer(expiringBy.storedSeconds)]
        )
    }

    /// One process writes a SQLite file at a time, so there is nothing to split: the run's
    /// unfinished cases are all this worker's. (Several processes on one file stay correct — every
    /// append checks the case head — they just repeat each other's evaluations.)
    public func claimCases(_ candidates: [String], run: String) throws -> [String] {
        let finished = try connection.prepare(
            "SELECT 1 FROM case_summaries WHERE case_id = ? AND finished_run = ? "
                + "AND head_index = (SELECT max(idx) FROM entries WHERE case_id = ?)"
        )
        return try candidates.filter { caseID in
            try finished.first([.text(caseID), .text(run), .text(caseID)]) { _ in true } == nil
        }
    }

    public func finishClaimed(_ summaries: [CaseSummary], run: String) throws {
        try writeSummaries(summaries, finishing: run, watermark: nil)
    }

    public func openCaseCount() throws -> Int {
        try connection.prepare("SELECT count(*) FROM case_summaries WHERE outcome = 'open'").first { Int($0.int(0)) }
            ?? 0
    }

    public func allCaseSummaries() throws -> [CaseSummary] {
        try summaries(where: "1 = 1", [])
    }

    public func caseSummaries(of caseIDs: [String]) throws -> [CaseSummary] {
        var found: [CaseSummary] = []
        // Bound the parameters per query well under SQLite's limit.
        for start in stride(from: 0, to: caseIDs.count, by: 500) {
            let chunk = caseIDs[start..<min(start + 500, caseIDs.count)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            found += try summaries(where: "case_id IN (\(marks))", chunk.map { .text($0) })
        }
        return found.sorted { $0.caseID < $1.caseID }
    }

    private func summaries(where condition: String, _ values: [SQLiteStatement.Value]) throws -> [CaseSummary] {
        let query = try connection.prepare(
            "SELECT case_id, head_index, outcome, wake_at, expires_at, needs_orchestrator, head_leaf "
                + "FROM case_summaries WHERE \(condition) ORDER BY case_id"
        )
        try query.bind(values)
        var result: [CaseSummary] = []
        while try query.step() {
            result.append(
                CaseSummary(
                    caseID: query.text(0) ?? "",
                    headIndex: Int(query.int(1)),
                    headLeaf: query.isNull(6) ? nil : Digest(bytes: query.blob(6)),
                    outcome: query.text(2) ?? "",
                    wakeAt: query.isNull(3) ? nil : Date(timeIntervalSince1970: Double(query.int(3))),
                    expiresAt: query.isNull(4) ? nil : Date(timeIntervalSince1970: Double(query.int(4))),
                    needsOrchestrator: query.int(5) != 0
                )
            )
        }
        return result
    }
}
