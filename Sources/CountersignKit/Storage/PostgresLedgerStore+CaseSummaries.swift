import Foundation

/// The case summaries on PostgreSQL: the batch's cache, and the claims that let several machines'
/// batches split the cases of one run.
extension PostgresLedgerStore {
    public func saveCaseSummaries(_ summaries: [CaseSummary], watermark: Int?) throws {
        try connection.transaction {
            if !summaries.isEmpty {
                _ = try connection.query(
                    """
                    INSERT INTO case_summaries (case_id, head_index, outcome, wake_at, expires_at, needs_orchestrator,
                    head_leaf)
                    SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]::bigint[], $5::text[]::bigint[], $6::text[]::boolean[], $7::bytea[])
                    ON CONFLICT (case_id) DO UPDATE SET head_index = excluded.head_index, head_leaf = excluded.head_leaf,
                    outcome = excluded.outcome,
                    wake_at = excluded.wake_at, expires_at = excluded.expires_at,
                    needs_orchestrator = excluded.needs_orchestrator
                    """,
                    Self.summaryColumns(summaries)
                )
            }
            if let watermark {
                _ = try connection.query(
                    "INSERT INTO counters (name, value) VALUES ('summary_watermark', $1) "
                        + "ON CONFLICT (name) DO UPDATE SET value = greatest(counters.value, excluded.value)",
                    [.integer(Int64(watermark))]
                )
            }
        }
    }

    public func caseSummaryWatermark() throws -> Int {
        let rows = try connection.query("SELECT value FROM counters WHERE name = 'summary_watermark'")
        return rows.count == 0 ? 0 : Int(rows.integer(0, 0))
    }

    public func casesWithEntries(in range: Range<Int>) throws -> [String] {
        let rows = try connection.query(
            "SELECT case_id FROM entries WHERE idx >= $1 AND idx < $2 AND case_id IS NOT NULL "
                + "AND case_id NOT LIKE '@%' GROUP BY case_id ORDER BY min(idx)",
            [.integer(Int64(range.lowerBound)), .integer(Int64(range.upperBound))]
        )
        return (0..<rows.count).compactMap { rows.text($0, 0) }
    }

    public func openCaseSummaries(wakingBy: Date, expiringBy: Date) throws -> [CaseSummary] {
        try summaries(
            where: "outcome = 'open' AND (wake_at <= $1 OR needs_orchestrator OR expires_at <= $2)",
            [.integer(wakingBy.storedSeconds), .integer(expiringBy.storedSeconds)]
        )
    }

    /// Claims with `SELECT ... FOR UPDATE SKIP LOCKED` in a transaction on a connection of their
    /// own, held until `finishClaimed`: another machine's batch skips the rows this one holds, and
    /// the locks go away with a crashed process's connection. Cases without a summary yet get a
    /// placeholder row first (committed at once), so they can be locked too.
    public func claimCases(_ candidates: [String], run: String) throws -> [String] {
        guard !candidates.isEmpty else { return [] }
        let claims = try claimConnection()
        _ = try claims.query(
            """
            INSERT INTO case_summaries (case_id, head_index, outcome, needs_orchestrator)
            SELECT unnest($1::text[]), -1, 'open', false ON CONFLICT DO NOTHING
            """,
            [.texts(candidates)]
        )
        try claims.execute("BEGIN")
        do {
            let rows = try claims.query(
                """
                SELECT case_id FROM case_summaries AS s
                WHERE case_id = ANY($1::text[]) AND NOT (coalesce(finished_run = $2, false)
                AND head_index = (SELECT max(idx) FROM entries AS e WHERE e.case_id = s.case_id))
                ORDER BY case_id FOR UPDATE SKIP LOCKED
                """,
                [.texts(candidates), .text(run)]
            )
            return (0..<rows.count).compactMap { rows.text($0, 0) }
        } catch {
            try? claims.execute("ROLLBACK")
            throw error
        }
    }

    public func finishClaimed(_ summaries: [CaseSummary], run: String) throws {
        let claims = try claimConnection()
        do {
            if !summaries.isEmpty {
                _ = try claims.query(
                    """
                    UPDATE case_summaries AS s SET head_index = u.head_index, head_leaf = u.head_leaf,
                    outcome = u.outcome, wake_at = u.wake_at, expires_at = u.expires_at,
                    needs_orchestrator = u.needs_orchestrator,
                    finished_run = CASE WHEN u.needs_orchestrator THEN NULL ELSE $8 END
                    FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]::bigint[], $5::text[]::bigint[],
                    $6::text[]::boolean[], $7::bytea[])
                    AS u (case_id, head_index, outcome, wake_at, expires_at, needs_orchestrator, head_leaf)
                    WHERE s.case_id = u.case_id
                    """,
                    Self.summaryColumns(summaries) + [.text(run)]
                )
            }
            try claims.execute("COMMIT")
        } catch {
            try? claims.execute("ROLLBACK")
            throw error
        }
    }

    /// The summaries as the column arrays `unnest` takes; optional numbers and booleans travel as
    /// text arrays (NULL-able) cast by the server.
    static func summaryColumns(_ summaries: [CaseSummary]) -> [PostgresValue] {
        [
            .texts(summaries.map(\.caseID)), .integers(summaries.map { Int64($0.headIndex) }),
            .texts(summaries.map(\.outcome)), .texts(summaries.map { $0.wakeAt.map { String($0.storedSeconds) } }),
            .texts(summaries.map { $0.expiresAt.map { String($0.storedSeconds) } }),
            .texts(summaries.map { $0.needsOrchestrator ? "true" : "false" }),
            .byteStrings(summaries.map { $0.headLeaf?.bytes ?? [] }),
        ]
    }

    /// The second connection claims are held on, opened on first use.
    private func claimConnection() throws -> PostgresConnection {
        if let claims { return claims }
        let opened = try PostgresConnection(url: url, location: location)
        claims = opened
        return opened
    }

    public func openCaseCount() throws -> Int {
        Int(try connection.query("SELECT count(*) FROM case_summaries WHERE outcome = 'open'").integer(0, 0))
    }

    public func allCaseSummaries() throws -> [CaseSummary] {
        try summaries(where: "true", [])
    }

    public func caseSummaries(of caseIDs: [String]) throws -> [CaseSummary] {
        guard !caseIDs.isEmpty else { return [] }
        return try summaries(where: "case_id = ANY($1::text[])", [.texts(caseIDs)])
    }

    private func summaries(where condition: String, _ parameters: [PostgresValue]) throws -> [CaseSummary] {
        let rows = try connection.query(
            "SELECT case_id, head_index, outcome, wake_at, expires_at, needs_orchestrator::int, head_leaf "
                + "FROM case_summaries WHERE \(condition) ORDER BY case_id",
            parameters
        )
        return (0..<rows.count).map { row in
            CaseSummary(
                caseID: rows.text(row, 0) ?? "",
                headIndex: Int(rows.integer(row, 1)),
                headLeaf: rows.isNull(row, 6) || rows.bytes(row, 6).isEmpty ? nil : Digest(bytes: rows.bytes(row, 6)),
                outcome: rows.text(row, 2) ?? "",
                wakeAt: rows.isNull(row, 3) ? nil : Date(timeIntervalSince1970: Double(rows.integer(row, 3))),
                expiresAt: rows.isNull(row, 4) ? nil : Date(timeIntervalSince1970: Double(rows.integer(row, 4))),
                needsOrchestrator: rows.integer(row, 5) != 0
            )
        }
    }
}
