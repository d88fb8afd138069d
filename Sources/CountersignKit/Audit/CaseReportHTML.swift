import Foundation

/// The human-readable audit report of one case (`report.html` of its bundle): the case at a glance,
/// what the case-head proof says of it, the checkpoint and its witnesses, a timeline picture of who
/// signed what when, every step's status, the documents with their fingerprints, and every ledger
/// entry. Parties show with their display names; every hash is lowercase hex SHA-256. One
/// self-contained page (inline CSS and SVG, no scripts, no external resources) that prints on A4;
/// the same input always gives the same bytes.
public enum CaseReportHTML {
    /// The complete page. `consortium` is the consortium at the bundle's checkpoint: its members'
    /// display names, its clock (the page says what its times mean, and that a simulated clock's
    /// prove nothing) and the keys the checkpoint's signatures are judged by. `caseHead` is the
    /// bundle's case-head proof, whose note is its checkpoint. `signingKeys` is the id of the key
    /// that made each entry's signature, by log index, as the consortium resolves it
    /// (`GovernanceView.caseSigner`); an entry it leaves out shows the key its signature names, if any.
    public static func render(
        _ view: CaseView,
        consortium: GovernanceState? = nil,
        caseHead: CaseHeadProof? = nil,
        signingKeys: [Int: String] = [:]
    ) -> String {
        let state = view.state
        let names = consortium.map(PartyNames.init) ?? PartyNames()
        let timeline = TimelineSVG(case: view, names: names, signingKeys: signingKeys).render()
        let evidence = caseHead.map { Evidence(proof: $0, view: view, consortium: consortium) }
        let body = [
            header(view, evidence: evidence, clock: consortium?.settings?.clock, names: names),
            evidence.map { "<section>\n<h2>The whole case</h2>\n\($0.caseHeadSection)\n</section>" },
            evidence.map { "<section>\n<h2>Checkpoint and witnesses</h2>\n\($0.checkpointSection(names))\n</section>" },
            "<section>\n<h2>Timeline</h2>\n<figure class=\"timeline\">\n\(timeline)\n"
                + "<figcaption>Each mark is a ledger entry, in the lane of the party that signed it, at the time it "
                + "reached the log (its log time, UTC; its signing time where the log kept none). Marks close in "
                + "time stack in rows of their lane, the earliest on top. Hover over a mark for its details. "
                + "Dashed lines join the approvals of a step that needs several parties.</figcaption>\n</figure>\n"
                + "</section>",
            "<section>\n<h2>Steps</h2>\n\(stepTable(view, names: names))\n</section>",
            "<section>\n<h2>Documents</h2>\n\(documentTable(view, names: names))\n</section>",
            "<section>\n<h2>Ledger entries</h2>\n\(entryTable(state, names: names, signingKeys: signingKeys))\n</section>",
            "<footer>Countersign audit report of case \(HTML.escape(state.caseID)), evaluated at "
                + "\(Timestamp.format(view.now)) from its \(state.events.count) ledger entries. All times are UTC. "
                + "This page is a reading aid: the signed entries, the documents and the Merkle proofs are the "
                + "evidence, and <code>countersign verify-bundle</code> checks them.</footer>",
        ].compactMap { $0 }
        return HTML.page(title: "Case \(state.caseID) — \(view.pipeline.title)", body: body.joined(separator: "\n"))
    }

    private static func header(
        _ view: CaseView,
        evidence: Evidence?,
        clock: ConsortiumSettings.Clock?,
        names: PartyNames
    ) -> String {
        let state = view.state
        let pipeline = view.pipeline
        let version = pipeline.version.map { ", version \(HTML.escape($0))" } ?? ""
        var facts: [(String, String)] = [
            ("Pipeline", "\(HTML.escape(pipeline.title)) (<code>\(HTML.escape(pipeline.id))</code>\(version))"),
            ("Pipeline digest", HTML.code("sha256:" + state.pipelineDigest.hex)),
            ("Outcome", outcome(view, names: names)),
            ("Opened", "by \(HTML.escape(names.label(state.openedBy))) at \(Timestamp.format(state.openedAt))"),
            ("Expiry", expiry(view)),
            ("Entries", "\(state.events.count), from index \(state.events[0].index) to \(state.events.last!.index)"),
        ]
        if let evidence { facts.append(("Case head", evidence.headline)) }
        facts += [
            ("Evaluated at", Timestamp.format(view.now)),
            ("Clock", HTML.escape(clock?.meaning ?? "no consortium: times are as signed")),
            ("Hashes", HTML.escape(hashLegend)),
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

    /// How the page writes hashes, said once in its header.
    static let hashLegend =
        "every hash on this page is SHA-256 in lowercase hex (the checkpoint's roots, base64 in the "
        + "checkpoint note, are shown converted); a fingerprint or version digest reads sha256:HEX"

    /// The outcome, and for a closed case when its last entry closed it.
    private static func outcome(_ view: CaseView, names: PartyNames) -> String {
        let badge = HTML.badge(view.outcome.rawValue, kind: view.outcome.rawValue)
        guard view.outcome != .open else { return badge }
        if let withdrawal = view.state.withdrawal {
            return "\(badge) by \(HTML.escape(names.label(withdrawal.party))) at \(Timestamp.format(withdrawal.at)) "
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

    private static func stepTable(_ view: CaseView, names: PartyNames) -> String {
        let rows = view.steps.map { step, status in
            [
                "<strong>\(HTML.escape(step.id))</strong>",
                authority(step.authority, names: names),
                HTML.badge(status.label, kind: status.label),
                describe(status, of: step, names: names)
                    + staleNote(view.staleApprovals[step.id] ?? [], names: names),
            ]
        }
        return HTML.table(["Step", "Signed by", "Status", "Details"], rows: rows, class: "steps")
    }

    /// Who may sign a step: `automatic`, one party, or the rule (`2 of`) then each party on a line.
    private static func authority(_ authority: StepAuthority, names: PartyNames) -> String {
        guard let signers = authority.signers else { return HTML.escape(authority.description) }
        let parties = signers.parties.map { HTML.escape(names.label($0)) }
        let rule: String
        switch signers.rule {
        case .one: return parties.joined(separator: "<br>")
        case .any: rule = "any of"
        case .all: rule = "all of"
        case .quorum(let count): rule = "\(count) of"
        }
        return ([rule] + parties).joined(separator: "<br>")
    }

    /// Whose approvals were given on an older version of a document the step rests on.
    private static func staleNote(_ parties: [String], names: PartyNames) -> String {
        guard !parties.isEmpty else { return "" }
        return " Approved on an older version of its documents, no longer counting: "
            + HTML.escape(names.list(parties, "and")) + "."
    }

    private static func describe(_ status: StepStatus, of step: Step, names: PartyNames) -> String {
        switch status {
        case .done(let at, let by):
            return "Done by \(HTML.escape(names.list(by, "and"))) at \(Timestamp.format(at))"
        case .rejected(let at, let by, let reason):
            let consequence = step.onReject == .continue ? " The pipeline lets the case go on." : ""
            return "Rejected by \(HTML.escape(names.label(by))) at \(Timestamp.format(at))."
                + (reason.map { " Reason: “\(HTML.escape($0))”." } ?? "") + consequence
        case .skipped(let since):
            let condition = step.condition.map { " (<code>\(HTML.escape($0.source))</code>)" } ?? ""
            return "Skipped since \(Timestamp.format(since)): its condition\(condition) is false."
        case .ready(let since, let waitingOn, let signed, let dueAt, let overdue):
            var text = "Ready since \(Timestamp.format(since)); waiting on \(HTML.escape(names.list(waitingOn, "or")))."
            if !signed.isEmpty { text += " Signed so far by \(HTML.escape(names.list(signed, "and")))." }
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

    private static func documentTable(_ view: CaseView, names: PartyNames) -> String {
        let attachments = view.state.attachments
        let declared = view.pipeline.documents.map(\.name)
        let documents = declared + attachments.keys.filter { !declared.contains($0) }.sorted()
        let rows = documents.map { name in
            guard let attachment = attachments[name] else {
                return ["<strong>\(HTML.escape(name))</strong>", "<span class=\"muted\">not attached</span>", "", ""]
            }
            return [
                "<strong>\(HTML.escape(name))</strong>",
                HTML.code(attachment.fingerprint.description),
                "\(HTML.escape(names.label(attachment.party))) at \(Timestamp.format(attachment.at))",
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

    private static func entryTable(_ state: CaseState, names: PartyNames, signingKeys: [Int: String]) -> String {
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
                HTML.escape(names.label(predicate.party)),
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
}
