extension Pipeline {
    /// A human summary for `pipeline show`: the pipeline's parties and documents, then each step in
    /// dependency order with who signs it, what it waits for, needs, produces, checks and when it is due.
    public var summary: String {
        var lines = ["Pipeline \(id): \(title)" + (version.map { " (version \($0))" } ?? "")]
        lines.append("File: \(path) (\(digest))")
        lines.append("Opened by: \(openedBy.joined(separator: ", "))")
        lines.append("Orchestrator: \(orchestrator) (signs automatic steps and expiries)")
        if !documents.isEmpty {
            lines.append("Documents:")
            let width = documents.map(\.name.count).max() ?? 0
            for document in documents {
                let padding = String(repeating: " ", count: width - document.name.count)
                lines.append(
                    "  \(document.name)\(padding)  " + (document.schemaPath.map { "schema \($0)" } ?? "no schema")
                )
            }
        }
        if let expiry {
            var line =
                "Expiry: \(expiry.defaultWindow) after \(expiry.start == .open ? "the case opens" : "step \(expiry.start) is done")"
            if let key = expiry.key {
                let rows = expiry.windows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                line += "; by \(key.source): \(rows.joined(separator: ", ")), otherwise \(expiry.defaultWindow)"
            }
            lines.append(line + "; announced \(expiry.notice) before the end")
        }
        lines.append("Steps:")
        for (number, step) in dependencyOrder.enumerated() {
            lines.append("  \(number + 1). \(step.id)")
            lines += step.summaryLines(orchestrator: orchestrator).map { "     " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Step {
    /// The indented detail lines of a step in `Pipeline.summary`.
    fileprivate func summaryLines(orchestrator: String) -> [String] {
        var lines: [String] = []
        switch authority {
        case .automatic: lines.append("automatic: done by \(orchestrator) as soon as it is ready")
        case .signers(let signers): lines.append("signed by: \(signers)")
        }
        let lists = [("after", after), ("needs", needs), ("produces", produces)]
        for (label, ids) in lists where !ids.isEmpty {
            lines.append("\(label): \(ids.joined(separator: ", "))")
        }
        if let condition { lines.append("only if: \(condition.source) (otherwise skipped)") }
        lines += requirements.map { "require: \($0.source)" }
        if let due { lines.append("due: \(due) after it becomes ready") }
        if onReject == .continue { lines.append("on reject: the case continues") }
        return lines
    }
}

extension Pipeline {
    /// The pipeline for `pipeline show --json` (docs/JSON.md, "pipeline"): what `summary` says, with
    /// the steps in the same dependency order.
    public var json: [String: Any] {
        var json: [String: Any] = [
            "id": id,
            "title": title,
            "path": path,
            "digest": digest,
            "openedBy": openedBy,
            "orchestrator": orchestrator,
            "documents": documents.map { document -> [String: Any] in
                var row: [String: Any] = ["name": document.name]
                if let schema = document.schemaPath { row["schema"] = schema }
                return row
            },
            "steps": dependencyOrder.map(\.json),
        ]
        if let version { json["version"] = version }
        if let expiry {
            var policy: [String: Any] = [
                "window": expiry.defaultWindow.description,
                "from": expiry.start.description,
                "notice": expiry.notice.description,
            ]
            if let key = expiry.key {
                policy["key"] = key.source
                policy["windows"] = expiry.windows.mapValues(\.description)
            }
            json["expiry"] = policy
        }
        return json
    }
}

extension Step {
    /// One step of `Pipeline.json`.
    fileprivate var json: [String: Any] {
        var json: [String: Any] = [
            "id": id,
            "after": after,
            "needs": needs,
            "produces": produces,
            "require": requirements.map(\.source),
            "onReject": onReject.rawValue,
        ]
        switch authority {
        case .automatic: json["automatic"] = true
        case .signers(let signers):
            json["automatic"] = false
            json["signers"] = ["parties": signers.parties, "required": signers.required]
        }
        if let condition { json["condition"] = condition.source }
        if let due { json["due"] = due.description }
        return json
    }
}
