import Foundation

/// The human-readable audit report of one case (`report.html` of its bundle): who signed what, when.
public enum CaseReportHTML {
    /// A complete, self-contained HTML page (no scripts, no external resources).
    public static func render(_ view: CaseView) -> String {
        let rows = view.state.events.map { event in
            let predicate = event.predicate
            return "<tr><td>\(event.index)</td><td>\(escape(Timestamp.format(predicate.signedAt)))</td>"
                + "<td>\(escape(predicate.party))</td><td>\(escape(predicate.step))</td>"
                + "<td>\(escape(predicate.decision.rawValue))</td><td>\(escape(predicate.note ?? ""))</td></tr>"
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Case \(escape(view.state.caseID))</title></head>
            <body><h1>Case \(escape(view.state.caseID)): \(escape(view.pipeline.title))</h1>
            <p>Outcome: \(escape(view.outcome.rawValue))</p>
            <table><thead><tr><th>Entry</th><th>Signed at</th><th>Party</th><th>Step</th><th>Decision</th><th>Note</th></tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody></table></body></html>

            """
    }

    /// Escapes text for HTML element content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
