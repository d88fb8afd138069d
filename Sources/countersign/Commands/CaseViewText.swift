import CountersignKit
import Foundation

/// `status` as text for people.
enum CaseViewText {
    static func line(_ view: CaseView) -> String {
        let ready = view.steps.compactMap { item -> String? in
            if case .ready(_, _, _, _, let overdue) = item.status {
                return item.step.id + (overdue ? " (overdue)" : "")
            }
            return nil
        }
        let next = ready.isEmpty || view.outcome != .open ? "" : "  ready: \(ready.joined(separator: ", "))"
        return
            "\(view.state.caseID)  \(view.pipeline.versionName.prefix(view.pipeline.id.count + 20))…  \(view.outcome.rawValue)\(next)"
    }

    /// What the times shown mean on a ledger whose clock is `clock`; `nil` when the ledger has
    /// no consortium yet.
    static func clockNote(_ clock: ConsortiumSettings.Clock?) -> String? {
        clock?.meaning
    }

    /// `json` with the ledger's clock added, so a reader of every status document knows whether
    /// its times prove anything.
    static func json(_ json: [String: Any], clock: ConsortiumSettings.Clock?) -> [String: Any] {
        var json = json
        if let clock { json["clock"] = clock.rawValue }
        return json
    }

    static func detail(_ view: CaseView, clock: ConsortiumSettings.Clock?) -> String {
        var lines = [
            "Case \(view.state.caseID) — \(view.pipeline.title) (\(view.pipeline.id))",
            "Pipeline version: \(view.pipeline.versionName)",
            "State: \(view.outcome.rawValue)"
                + (view.expiresAt.map { view.outcome == .open ? ", expires \(Timestamp.format($0))" : "" } ?? ""),
            "Opened by \(view.state.openedBy) at \(Timestamp.format(view.state.openedAt)); \(view.state.events.count) entries",
        ]
        if let note = clockNote(clock) { lines.append(note) }
        lines += [
            "",
            "Steps:",
        ]
        if let withdrawal = view.state.withdrawal {
            lines.append(
                "Withdrawn by \(withdrawal.party) at \(Timestamp.format(withdrawal.at))"
                    + (withdrawal.note.map { ": \($0)" } ?? "")
            )
        }
        for (step, status) in view.steps {
            lines.append("  \(mark(status)) \(step.id): \(describe(status))")
            if let stale = view.staleApprovals[step.id], !stale.isEmpty {
                lines.append(
                    "      approved an older version of its documents (no longer counts): "
                        + stale.joined(separator: ", ")
                )
            }
        }
        lines += ["", "Documents:"]
        let attachments = view.state.attachments.values.sorted { $0.name < $1.name }
        if attachments.isEmpty { lines.append("  none") }
        for attachment in attachments {
            lines.append(
                "  \(attachment.name)  \(attachment.fingerprint)  (by \(attachment.party), \(Timestamp.format(attachment.at)))"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func mark(_ status: StepStatus) -> String {
        switch status {
        case .done: "[x]"
        case .rejected: "[!]"
        case .skipped: "[-]"
        case .ready(_, _, _, _, let overdue): overdue ? "[>]" : "[ ]"
        case .blocked: "[.]"
        }
    }

    private static func describe(_ status: StepStatus) -> String {
        switch status {
        case .done(let at, let by): "done by \(by.joined(separator: ", ")) at \(Timestamp.format(at))"
        case .rejected(let at, let by, let reason):
            "rejected by \(by) at \(Timestamp.format(at))" + (reason.map { ": \($0)" } ?? "")
        case .skipped: "skipped (its condition is false)"
        case .ready(let since, let waitingOn, let signed, let dueAt, let overdue):
            "ready since \(Timestamp.format(since)), waiting on \(waitingOn.joined(separator: " or "))"
                + (signed.isEmpty ? "" : " (signed so far: \(signed.joined(separator: ", ")))")
                + (dueAt.map { overdue ? " — OVERDUE since \(Timestamp.format($0))" : ", due \(Timestamp.format($0))" }
                    ?? "")
        case .blocked(let reasons): "blocked: " + reasons.joined(separator: "; ")
        }
    }
}
