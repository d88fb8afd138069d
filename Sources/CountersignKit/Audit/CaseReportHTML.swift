import Foundation

/// The human-readable audit report of one case (`report.html` of its bundle): the case at a glance,
/// a timeline picture of who signed what when, every step's status, the documents with their
/// fingerprints, and every ledger entry. One self-contained page (inline CSS and SVG, no scripts, no
/// external resources) that prints on A4; the same view always gives the same bytes.
public enum CaseReportHTML {
    /// The complete page. `clock` is the ledger's (from its genesis): the page says what its times
    /// mean, and that a simulated clock's prove nothing. `signingKeys` is the id of the key that
    /// made each entry's signature, by log index, as the consortium resolves it
    /// (`GovernanceView.caseSigner`); an entry it leaves out shows the key its signature names, if any.
    public static func render(
        _ view: CaseView,
        clock: ConsortiumSettings.Clock? = nil,
        signingKeys: [Int: String] = [:]
    ) -> String {
        let state = view.state
        let body = [
            header(view, clock: clock),
            "<section>\n<h2>Timeline</h2>\n<figure class=\"timeline\">\n\(TimelineSVG(case: view, signingKeys: signingKeys).render())\n"
                + "<figcaption>Each mark is a ledger entry, in the lane of the party that signed it, at the time it "
                + "reached the log (its log time, UTC; its signing time where the log kept none). Hover over a mark for its details. Dashed lines join the approvals of a step "
                + "that needs several parties.</figcaption>\n</figure>\n</section>",
            "<section>\n<h2>Steps</h2>\n\(stepTable(view))\n</section>",
            "<section>\n<h2>Documents</h2>\n\(documentTable(view))\n</section>",
            "<section>\n<h2>Ledger entries</h2>\n\(entryTable(state, signingKeys: signingKeys))\n</section>",
            "<footer>Countersign audit report of case \(HTML.escape(state.caseID)), evaluated at "
                + "\(Timestamp.format(view.now)) from its \(state.events.count) ledger entries. All times are UTC. "
                + "This page is a reading aid: the signed entries, the documents and the Merkle proofs are the "
                + "evidence, and <code>countersign verify-bundle</code> checks them.</footer>",
        ]
        return HTML.page(title: "Case \(state.caseID) — \(view.pipeline.title)", body: body.joined(separator: "\n"))
    }

    private static func header(_ view: CaseView, clock: ConsortiumSettings.Clock?) -> String {
        let state = view.state
        let pipeline = view.pipeline
        let version = pipeline.version.map { ", version \(HTML.escape($0))" } ?? ""
        let facts: [(String, String)] = [
            ("Pipeline", "\(HTML.escape(pipeline.title)) (<code>\(HTML.escape(pipeline.id))</code>\(version))"),
            ("Pipeline digest", HTML.code("sha256:" + state.pipelineDigest.hex)),
            ("Outcome", outcome(view)),
            ("Opened", "by \(HTML.escape(state.openedBy)) at \(Timestamp.format(state.openedAt))"),
            ("Expiry", expiry(view)),
            ("Entries", "\(state.events.count), from index \(state.events[0].index) to \(state.events.last!.index)"),
            ("Evaluated at", Timestamp.format(view.now)),
            ("Clock", HTML.escape(clock?.meaning ?? "no consortium: times are as signed")),
        ]
        let list = facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined(separator: "\n")
        return """
            <header class="report">
            <p class="kicker">Countersign audit report</p>
            <h1>Case \(HTML.escape(state.caseID)) \(HTML.badge(view.outcome.rawValue, kind: view.outcome.rawValue))</h1>
            <p class="subtitle">\(HTML.escape(pipeline.title))</p>
            <dl class="facts">
            \(list)
            </dl>
            <p class="summary">\(HTML.escape(summary(view)))</p>
            </header>
            """
    }

    /// The outcome, and for a closed case when its last entry closed it.
    private static func outcome(_ view: CaseView) -> String {
        let badge = HTML.badge(view.outcome.rawValue, kind: view.outcome.rawValue)
        guard view.outcome != .open else { return badge }
        if let withdrawal = view.state.withdrawal {
            return "\(badge) by \(HTML.escape(withdrawal.party)) at \(Timestamp.format(withdrawal.at)) "
                + "(entry \(withdrawal.index))" + (withdrawal.note.map { ": “\(HTML.escape($0))”" } ?? "")
        }
        return "\(badge) at \(Timestamp.format(view.state.lastSignedAt)) (entry \(view.state.events.last!.index))"
    }

    /// When the case ends, or why it does not.
    private static func expiry(_ view: CaseView) -> String {
        if let expiredAt = view.state.expiredAt { return "expired at \(Timestamp.format(expiredAt))" }
        guard let policy = view.pipeline.expiry else { return "none: the pipeline sets no window" }
        guard let expiresAt = view.expiresAt else {
            return HTML.escape("not yet set: the window starts when step ‘\(policy.start)’ is done")
        }
        let date = Timestamp.format(expiresAt)
        guard view.outcome == .open else { return "\(date) (no longer applies: the case is \(view.outcome.rawValue))" }
        let days = Int((expiresAt.timeIntervalSince(view.now) / 86_400).rounded(.down))
        return expiresAt <= view.now
            ? "\(date) — " + HTML.badge("window passed", kind: "overdue")
            : "\(date) (in \(days) day\(days == 1 ? "" : "s"))"
    }

    /// One sentence: how many steps stand where.
    private static func summary(_ view: CaseView) -> String {
        var counts: [(label: String, count: Int)] = []
        for (_, status) in view.steps {
            if let index = counts.firstIndex(where: { $0.label == status.label }) {
                counts[index].count += 1
            } else {
                counts.append((status.label, 1))
            }
        }
        let parts = counts.map { "\($0.count) \($0.label)" }.joined(separator: ", ")
        let steps = view.steps.count == 1 ? "1 step" : "\(view.steps.count) steps"
        return "The case is \(view.outcome.rawValue). \(steps): \(parts)."
    }

    private static func stepTable(_ view: CaseView) -> String {
        let rows = view.steps.map { step, status in
            [
                "<strong>\(HTML.escape(step.id))</strong>",
                HTML.escape(step.authority.description),
                HTML.badge(status.label, kind: status.label),
                describe(status, of: step) + staleNote(view.staleApprovals[step.id] ?? []),
            ]
        }
        return HTML.table(["Step", "Signed by", "Status", "Details"], rows: rows, class: "steps")
    }

    /// Whose approvals were given on an older version of a document the step rests on.
    private static func staleNote(_ parties: [String]) -> String {
        guard !parties.isEmpty else { return "" }
        return " Approved on an older version of its documents, no longer counting: "
            + HTML.escape(list(parties, "and")) + "."
    }

    private static func describe(_ status: StepStatus, of step: Step) -> String {
        switch status {
        case .done(let at, let by):
            return "Done by \(HTML.escape(list(by, "and"))) at \(Timestamp.format(at))"
        case .rejected(let at, let by, let reason):
            let consequence = step.onReject == .continue ? " The pipeline lets the case go on." : ""
            return "Rejected by \(HTML.escape(by)) at \(Timestamp.format(at))."
                + (reason.map { " Reason: “\(HTML.escape($0))”." } ?? "") + consequence
        case .skipped(let since):
            let condition = step.condition.map { " (<code>\(HTML.escape($0.source))</code>)" } ?? ""
            return "Skipped since \(Timestamp.format(since)): its condition\(condition) is false."
        case .ready(let since, let waitingOn, let signed, let dueAt, let overdue):
            var text = "Ready since \(Timestamp.format(since)); waiting on \(HTML.escape(list(waitingOn, "or")))."
            if !signed.isEmpty { text += " Signed so far by \(HTML.escape(list(signed, "and")))." }
            if let dueAt {
                text +=
                    overdue
                    ? " " + HTML.badge("overdue", kind: "overdue") + " since \(Timestamp.format(dueAt))."
                    : " Due \(Timestamp.format(dueAt))."
            }
            return text
        case .blocked(let reasons):
            return "Blocked: " + HTML.escape(reasons.joined(separator: "; ")) + "."
        }
    }

    private static func documentTable(_ view: CaseView) -> String {
        let attachments = view.state.attachments
        let declared = view.pipeline.documents.map(\.name)
        let names = declared + attachments.keys.filter { !declared.contains($0) }.sorted()
        let rows = names.map { name in
            guard let attachment = attachments[name] else {
                return ["<strong>\(HTML.escape(name))</strong>", "<span class=\"muted\">not attached</span>", "", ""]
            }
            return [
                "<strong>\(HTML.escape(name))</strong>",
                HTML.code(attachment.fingerprint.description),
                "\(HTML.escape(attachment.party)) at \(Timestamp.format(attachment.at))",
                "\(attachment.index)",
            ]
        }
        guard !rows.isEmpty else { return HTML.none("The pipeline declares no documents.") }
        return HTML.table(
            ["Document", "Fingerprint (exclusive C14N, SHA-256)", "Attached by", "Entry"],
            rows: rows,
            class: "documents"
        )
    }

    private static func entryTable(_ state: CaseState, signingKeys: [Int: String]) -> String {
        let rows = state.events.map { event in
            let predicate = event.predicate
            let documents = event.statement.attachments.map(\.name)
            let note = [
                predicate.note.map { HTML.escape($0) },
                documents.isEmpty
                    ? nil : "<span class=\"muted\">attaches \(HTML.escape(documents.joined(separator: ", ")))</span>",
            ].compactMap { $0 }.joined(separator: "<br>")
            return [
                "\(event.index)",
                event.logTime.map(Timestamp.format) ?? "—",
                Timestamp.format(predicate.signedAt),
                HTML.escape(predicate.party),
                HTML.escape(predicate.step),
                HTML.badge(predicate.decision.rawValue, kind: predicate.decision.rawValue),
                note,
                "<span class=\"muted\">key</span> "
                    + "\((signingKeys[event.index] ?? event.envelope.signatures[0].keyID).map(HTML.code) ?? "—")<br>"
                    + "<span class=\"muted\">leaf</span> \(HTML.code(event.leafHash.hex))",
            ]
        }
        return HTML.table(
            ["#", "Log time", "Signed at", "Party", "Step", "Decision", "Note", "Signing key id and leaf hash"],
            rows: rows,
            class: "entries"
        )
    }

    /// `a`, `a and b`, `a, b and c`.
    private static func list(_ items: [String], _ conjunction: String) -> String {
        guard items.count > 1 else { return items.first ?? "nobody" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items.last!
    }
}
