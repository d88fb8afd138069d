import Foundation

/// `index.html` and `index.json` of a report folder: one row per `reconcile` run, newest first,
/// with its counts and a link to its report. Rebuilt from the reports themselves after every run,
/// so it can always be regenerated and never holds what no report says; a report that cannot be
/// read is listed as such.
public enum ReconcileReportIndex {
    /// One run, as its report says.
    public struct Run: Sendable, Equatable {
        public var stem: String
        public var now: String?
        public var counts: [String: Int]
        public var problems: [String]
        public var checkpointSize: Int?
        /// The ledger's clock (`simulated`: the run's times prove nothing).
        public var clock: String?
        /// Why the report could not be read, when it could not.
        public var unreadable: String?
    }

    /// Every run whose report is in `folder`, newest first (by name: the time it acted at, then its
    /// counter).
    public static func runs(in folder: URL) throws -> [Run] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("reconcile-") && $0.hasSuffix(".json") }
        return names.map { name -> Run in
            let stem = String(name.dropLast(5))
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else {
                return Run(
                    stem: stem,
                    now: nil,
                    counts: [:],
                    problems: [],
                    checkpointSize: nil,
                    unreadable: "not a report"
                )
            }
            let checkpoint = (json["checkpoint"] as? String).flatMap { note in
                note.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().first.flatMap { Int($0) }
            }
            return Run(
                stem: stem,
                now: json["now"] as? String,
                counts: (json["counts"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int },
                problems: json["problems"] as? [String] ?? [],
                checkpointSize: checkpoint,
                clock: json["clock"] as? String,
                unreadable: nil
            )
        }
        .sorted { order($0.stem) > order($1.stem) }
    }

    /// Writes `index.json` and `index.html` of `folder`, each atomically.
    public static func rebuild(in folder: URL) throws {
        let runs = try runs(in: folder)
        let json: [[String: Any]] = runs.map { run in
            var item: [String: Any] = [
                "report": run.stem + ".json", "page": run.stem + ".html", "counts": run.counts,
                "problems": run.problems.count,
            ]
            if let now = run.now { item["now"] = now }
            if let size = run.checkpointSize { item["checkpointSize"] = size }
            if let clock = run.clock { item["clock"] = clock }
            if let unreadable = run.unreadable { item["unreadable"] = unreadable }
            return item
        }
        let data = try JSONSerialization.data(
            withJSONObject: ["runs": json],
            options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        )
        try data.write(to: folder.appendingPathComponent("index.json"), options: .atomic)
        try Data(page(runs).utf8).write(to: folder.appendingPathComponent("index.html"), options: .atomic)
    }

    /// The page: a table of every run, its problems flagged.
    static func page(_ runs: [Run]) -> String {
        let rows = runs.map { run -> [String] in
            let link = "<a href=\"\(HTML.escape(run.stem)).html\">\(HTML.escape(run.now ?? run.stem))</a>"
            let problems =
                run.unreadable.map { HTML.badge($0, kind: "rejected") }
                ?? (run.problems.isEmpty
                    ? HTML.badge("none", kind: "done")
                    : HTML.badge("\(run.problems.count)", kind: "rejected") + " " + HTML.escape(run.problems[0])
                        + (run.problems.count > 1 ? " …" : ""))
            func count(_ key: String) -> String { run.counts[key].map(String.init) ?? "" }
            return [
                link, count("inboxAccepted"), count("inboxRefused"), count("inboxDeferred"), count("casesAdvanced"),
                count("casesExpired"), count("overdueSteps"), run.checkpointSize.map(String.init) ?? "—", problems,
            ]
        }
        let table =
            runs.isEmpty
            ? HTML.none("No run yet.")
            : HTML.table(
                ["Run", "Accepted", "Refused", "Deferred", "Advanced", "Expired", "Overdue", "Checkpoint", "Problems"],
                rows: rows,
                class: "runs"
            )
        return HTML.page(
            title: "Reconcile runs",
            body: "<header><h1>Reconcile runs</h1><p>Every run of the nightly batch, newest first; each links to "
                + "its report.</p>"
                + (runs.contains { $0.clock == "simulated" }
                    ? "<p class=\"muted\">The ledger's clock is simulated (a demo or test): these times prove nothing.</p>"
                    : "")
                + "</header>\n<section>\n\(table)\n</section>"
        )
    }

    /// The stem's time, then its counter as a number (`-10` after `-9`).
    private static func order(_ stem: String) -> (String, Int) {
        let parts = stem.split(separator: "-")
        // reconcile-YYYY-MM-DD-HHMMSS[-N]
        let counter = parts.count > 5 ? Int(parts[5]) ?? 1 : 1
        return (parts.prefix(5).joined(separator: "-"), counter)
    }
}
