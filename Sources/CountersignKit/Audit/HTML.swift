/// What the audit report pages share: escaping, the page shell with its inline stylesheet, tables.
/// Pages are self-contained (no scripts, no external resources) and print on A4.
public enum HTML {
    /// Escapes text for HTML element content and attribute values (and SVG, which is XML).
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

    /// A complete page: `title` (plain text) in the head, `body` (HTML) in the body.
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(stylesheet)
        </style>
        </head>
        <body>
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// A table; `headers` are plain text, `rows` hold HTML cells. A row of fewer cells than headers
    /// is not padded.
    static func table(_ headers: [String], rows: [[String]], class name: String) -> String {
        let head = headers.map { "<th scope=\"col\">\(escape($0))</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return "<table class=\"\(name)\">\n<thead><tr>\(head)</tr></thead>\n<tbody>\n\(body)\n</tbody>\n</table>"
    }

    /// Escaped text in a monospace span that may break anywhere (hashes, fingerprints).
    static func code(_ text: String) -> String {
        "<code>\(escape(text))</code>"
    }

    /// Escaped text in a monospace span that breaks only when it must (file names).
    static func name(_ text: String) -> String {
        "<code class=\"name\">\(escape(text))</code>"
    }

    /// A coloured label, `kind` choosing the colour (`done`, `rejected`, `overdue`, ...).
    static func badge(_ text: String, kind: String) -> String {
        "<span class=\"badge \(escape(kind))\">\(escape(text))</span>"
    }

    /// `<p class="muted">` with escaped text, for empty sections.
    static func none(_ text: String) -> String {
        "<p class=\"muted\">\(escape(text))</p>"
    }

    private static let stylesheet = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #eef1f5; color: #1c2430;
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Roboto, sans-serif;
          -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        main { max-width: 1100px; margin: 0 auto; padding: 28px 32px 48px; background: #fff; min-height: 100vh; }
        header.report { border-bottom: 3px solid #1f3a5f; padding-bottom: 14px; margin-bottom: 8px; }
        .kicker { margin: 0; color: #5b6776; font-size: 13px; letter-spacing: .06em; text-transform: uppercase; }
        h1 { margin: 2px 0 4px; font-size: 28px; color: #1f3a5f; }
        h1 .badge { font-size: 14px; vertical-align: middle; margin-left: 8px; }
        h2 { margin: 30px 0 10px; font-size: 19px; color: #1f3a5f; border-bottom: 1px solid #d5dbe3;
          padding-bottom: 4px; }
        h3 { margin: 18px 0 8px; font-size: 15px; color: #1f3a5f; }
        .subtitle { margin: 0; font-size: 17px; color: #34404f; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 14px 0 0; }
        dl.facts dt { color: #5b6776; }
        dl.facts dd { margin: 0; }
        .summary { margin: 14px 0 0; padding: 10px 14px; background: #f3f6fa; border-left: 4px solid #1f3a5f; }
        .notice { margin: 18px 0; padding: 14px 18px; border: 2px solid #d97706; background: #fff7e6;
          border-radius: 6px; }
        .notice h2 { margin-top: 0; border: 0; color: #8a3c00; }
        .notice.alarm { border-color: #dc2626; background: #fdecec; }
        .notice.alarm h2 { color: #8f1414; }
        .counts { display: grid; grid-template-columns: repeat(5, 1fr); gap: 10px; margin: 14px 0 0; padding: 0;
          list-style: none; }
        .counts li { padding: 8px 12px; border: 1px solid #d5dbe3; border-radius: 6px; background: #f8fafc; }
        .counts strong { display: block; font-size: 24px; color: #1f3a5f; }
        table { width: 100%; border-collapse: collapse; font-size: 13.5px; }
        th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #e1e6ed; }
        thead th { background: #1f3a5f; color: #fff; font-weight: 600; }
        tbody tr:nth-child(even) { background: #f7f9fb; }
        table.entries { font-size: 12.5px; }
        table.entries td:nth-child(-n+5), table.steps td:first-child, td.nowrap { white-space: nowrap; }
        code { font: 12px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; word-break: break-all; }
        code.name { word-break: normal; overflow-wrap: break-word; }
        .muted { color: #5b6776; }
        time { white-space: nowrap; }
        .notice ul { margin: 0; padding-left: 20px; }
        .notice table { background: #fff; }
        pre.note { font: 12px/1.5 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f3f6fa; margin: 0;
          padding: 10px 12px; border: 1px solid #d5dbe3; white-space: pre-wrap; word-break: break-all; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
          background: #e3e8ef; color: #34404f; white-space: nowrap; }
        .badge.done, .badge.completed, .badge.approve { background: #dcf3e3; color: #14532d; }
        .badge.rejected, .badge.reject, .badge.overdue { background: #fbdcdc; color: #7f1d1d; }
        .badge.expired, .badge.expire { background: #fdecc8; color: #7c3a03; }
        .badge.ready, .badge.open { background: #dbe8fb; color: #1e3a8a; }
        .badge.auto { background: #ebe3fb; color: #4c1d95; }
        .badge.skipped, .badge.blocked, .badge.withdrawn, .badge.withdraw { background: #eceff3; color: #4b5563; }
        figure.timeline { margin: 0; }
        figure.timeline svg { display: block; width: 100%; height: auto; }
        figure.timeline figcaption { font-size: 12.5px; color: #5b6776; margin-top: 4px; }
        footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid #d5dbe3; font-size: 12px; color: #5b6776; }
        @page { size: A4; margin: 14mm; }
        @media print {
          body { background: #fff; font-size: 12px; }
          main { max-width: none; padding: 0; min-height: 0; }
          h2 { break-after: avoid; }
          figure.timeline, tr, .notice, .counts li { break-inside: avoid; }
          thead { display: table-header-group; }
        }
        """
}
