import Foundation

/// The nightly report as a page (`out/reports/reconcile-DATE-HHMMSS.html`): problems first, then the cases
/// about to expire (the "unclaimed prize" notice, with a picture of the coming window), the counts,
/// overdue steps and who is late, the cases advanced, completed and expired, the inbox, and the
/// checkpoint. Self-contained and deterministic, like the case report.
public enum ReconcileReportHTML {
    /// The complete page; `base` is the stem of the report's files (its JSON is `BASE.json`).
    public static func render(_ report: ReconcileReport, base: String? = nil) -> String {
        let date = String(Timestamp.format(report.now).prefix(10))
        let body = [
            header(report, date: date),
            problems(report),
            expiring(report),
            section("Overdue steps", overdue(report)),
            section("Cases advanced tonight", advanced(report)),
            section("Inbox", inbox(report)),
            section("Checkpoint", checkpoint(report)),
            "<footer>Countersign nightly reconcile of log \(HTML.escape(report.origin)), run at "
                + "\(Timestamp.format(report.now)). All times are UTC log times"
                + (report.clock == .simulated ? ", simulated: they prove nothing" : "") + ". The same figures are in "
                + "\(HTML.escape(base ?? report.stem)).json; every run is listed in index.html.</footer>",
        ]
        return HTML.page(
            title: "Reconcile \(date) — \(report.origin)",
            body: body.filter { !$0.isEmpty }.joined(separator: "\n")
        )
    }

    private static func header(_ report: ReconcileReport, date: String) -> String {
        let verdict =
            report.problems.isEmpty
            ? HTML.badge("no problems", kind: "done")
            : HTML.badge(plural(report.problems.count, "problem"), kind: "rejected")
        let appended = report.ledgerSizeAfter - report.ledgerSizeBefore
        var facts: [(String, String)] = [
            ("Run at", Timestamp.format(report.now)),
            ("Log", HTML.code(report.origin)),
            (
                "Ledger",
                "\(report.ledgerSizeBefore) entries before, \(report.ledgerSizeAfter) after "
                    + "(\(appended) appended tonight)"
            ),
            ("Verified", HTML.escape(report.verification.description(entriesVerified: report.entriesVerified))),
            ("Root hash", HTML.code(report.rootHash.base64)),
            ("Clock", HTML.escape(report.clock?.meaning ?? "no consortium: times are as signed")),
            (
                "Consortium",
                "governance up to entry \(report.governanceHead.map(String.init) ?? "none"); versions in force: "
                    + (report.versionsInForce.isEmpty
                        ? "none" : report.versionsInForce.map { HTML.code($0) }.joined(separator: ", "))
            ),
        ]
        if !report.notifications.isEmpty {
            let failed = report.notifications.filter { $0.failure != nil }.map(\.party)
            facts.append(
                (
                    "Notified",
                    HTML.escape(
                        "\(report.notifications.count) \(report.notifications.count == 1 ? "party" : "parties") by the --notify hook"
                            + (failed.isEmpty ? "" : "; failed for " + failed.joined(separator: ", "))
                    )
                )
            )
        }
        let counts: [(Int, String)] = [
            (report.accepted, "inbox accepted"), (report.refused, "inbox refused"), (report.deferred, "inbox deferred"),
            (report.automaticEntries.count, "automatic entries"), (report.casesAdvanced.count, "cases advanced"),
            (report.casesCompleted.count, "completed"), (report.casesExpired.count, "expired"),
            (report.openCases, "open cases"), (report.overdue.count, "overdue steps"),
            (report.expiringSoon.count, "expiring soon"), (report.problems.count, "problems"),
        ]
        return """
            <header class="report">
            <p class="kicker">Countersign nightly reconcile</p>
            <h1>Reconcile of \(date) \(verdict)</h1>
            <p class="subtitle">Log \(HTML.escape(report.origin))</p>
            <dl class="facts">
            \(facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined(separator: "\n"))
            </dl>
            <ul class="counts">
            \(counts.map { "<li><strong>\($0.0)</strong>\(HTML.escape($0.1))</li>" }.joined(separator: "\n"))
            </ul>
            </header>
            """
    }

    /// Every problem, in a red box at the top; nothing when there are none.
    private static func problems(_ report: ReconcileReport) -> String {
        guard !report.problems.isEmpty else { return "" }
        let items = report.problems.map { "<li>\(HTML.escape($0))</li>" }.joined(separator: "\n")
        return """
            <section class="notice alarm">
            <h2>\(plural(report.problems.count, "problem")) found</h2>
            <ul>
            \(items)
            </ul>
            </section>
            """
    }

    /// The "unclaimed prize" notice: cases whose window ends within their pipeline's notice period
    /// (`expiry.notice`, 30 days unless it says otherwise), soonest first.
    private static func expiring(_ report: ReconcileReport) -> String {
        guard !report.expiringSoon.isEmpty else {
            return section(
                "Expiring soon",
                HTML.none("No open case expires within its notice period (30 days unless its pipeline says).")
            )
        }
        let cases = report.expiringSoon.sorted { ($0.expiresAt, $0.caseID) < ($1.expiresAt, $1.caseID) }
        let rows = cases.map { item in
            [
                "<strong>\(HTML.escape(item.caseID))</strong>",
                HTML.escape(item.pipeline),
                "<time>\(Timestamp.format(item.expiresAt))</time>",
                HTML.escape(item.notice),
                HTML.badge(plural(item.daysLeft, "day") + " left", kind: item.daysLeft < 7 ? "overdue" : "expired"),
            ]
        }
        let timeline = TimelineSVG(
            title: "Cases expiring within their notice period, as of \(Timestamp.format(report.now))",
            lanes: cases.map { TimelineSVG.Lane(id: $0.caseID, caption: $0.pipeline) },
            marks: cases.map { item in
                TimelineSVG.Mark(
                    lane: item.caseID,
                    time: item.expiresAt,
                    decision: .expire,
                    label: "expires",
                    details: "Case \(item.caseID) (\(item.pipeline)) expires at \(Timestamp.format(item.expiresAt)), "
                        + "\(plural(item.daysLeft, "day")) after this run"
                )
            },
            now: report.now
        )
        return """
            <section class="notice">
            <h2>\(plural(cases.count, "case")) expire\(cases.count == 1 ? "s" : "") within their notice period</h2>
            <p>When a case's window ends, the orchestrator closes it as expired: an approval lapses, and a \
            prize not claimed by then is forfeited. Tell the parties of these cases now.</p>
            \(HTML.table(["Case", "Pipeline", "Expires at", "Notice", "Time left"], rows: rows, class: "expiring"))
            <figure class="timeline">
            \(timeline.render())
            </figure>
            </section>
            """
    }

    private static func overdue(_ report: ReconcileReport) -> String {
        guard !report.overdue.isEmpty else { return HTML.none("No step is overdue.") }
        let rows = report.overdue.map { item in
            let days = Int((report.now.timeIntervalSince(item.dueAt) / 86_400).rounded(.down))
            return [
                "<strong>\(HTML.escape(item.caseID))</strong>",
                HTML.escape(item.step),
                "<time>\(Timestamp.format(item.dueAt))</time>",
                days == 0 ? "less than a day" : plural(days, "day"),
                HTML.escape(item.waitingOn.joined(separator: " or ")),
            ]
        }
        return HTML.table(["Case", "Step", "Due at", "Late by", "Waiting on"], rows: rows, class: "overdue")
    }

    /// Each case that gained entries: where it stands now and the automatic entries it got.
    private static func advanced(_ report: ReconcileReport) -> String {
        guard !report.casesAdvanced.isEmpty else { return HTML.none("No case gained an entry tonight.") }
        // Grouped by case once: a night of 100,000 submissions is not searched once per case.
        let completed = Set(report.casesCompleted)
        let expired = Set(report.casesExpired)
        let automaticByCase = Dictionary(grouping: report.automaticEntries, by: { $0.caseID })
        let submittedByCase = Dictionary(
            grouping: report.submissions.filter { $0.caseID != nil && $0.outcome != "refused" },
            by: { $0.caseID ?? "" }
        )
        let rows = report.casesAdvanced.map { caseID in
            let outcome = completed.contains(caseID) ? "completed" : expired.contains(caseID) ? "expired" : "advanced"
            let automatic = (automaticByCase[caseID] ?? []).map(\.step)
            let submitted = (submittedByCase[caseID] ?? []).compactMap(\.step)
            return [
                "<strong>\(HTML.escape(caseID))</strong>",
                HTML.badge(outcome, kind: outcome == "advanced" ? "ready" : outcome),
                HTML.escape(submitted.joined(separator: ", ")),
                HTML.escape(automatic.joined(separator: ", ")),
            ]
        }
        return HTML.table(
            ["Case", "Now", "Signed steps from the inbox", "Automatic entries"],
            rows: rows,
            class: "cases"
        )
    }

    private static func inbox(_ report: ReconcileReport) -> String {
        guard !report.submissions.isEmpty else { return HTML.none("The inbox was empty.") }
        let rows = report.submissions.map { item in
            [
                HTML.name(item.file)
                    + (item.filedAs.map { $0 == item.file ? "" : " → " + HTML.name($0) } ?? ""),
                HTML.badge(item.outcome, kind: ["refused", "deferred"].contains(item.outcome) ? "rejected" : "done"),
                HTML.escape([item.caseID, item.step].compactMap { $0 }.joined(separator: " / ")),
                item.entryIndex.map(String.init) ?? "",
                HTML.escape([item.reason, item.filingProblem].compactMap { $0 }.joined(separator: "; ")),
            ]
        }
        return HTML.table(["File", "Outcome", "Case / step", "Entry", "Reason"], rows: rows, class: "inbox")
    }

    private static func checkpoint(_ report: ReconcileReport) -> String {
        guard let note = report.checkpoint else {
            return HTML.none("No checkpoint was signed: this run held no orchestrator key.")
        }
        return "<p>Signed tonight, for witnesses to cosign (<code>countersign witness</code>):</p>\n"
            + "<pre class=\"note\">\(HTML.escape(note))</pre>"
    }

    private static func section(_ title: String, _ content: String) -> String {
        "<section>\n<h2>\(HTML.escape(title))</h2>\n\(content)\n</section>"
    }

    /// `1 day`, `3 days`.
    private static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
