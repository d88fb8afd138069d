import Foundation

extension CaseView {
    /// One line's worth for `status` with no case: id, pipeline, outcome, what is next.
    public var summaryJSON: [String: Any] {
        var object: [String: Any] = [
            "case": state.caseID,
            "pipeline": pipeline.id,
            "pipelineVersion": pipeline.versionName,
            "state": outcome.rawValue,
            "openedAt": Timestamp.format(state.openedAt),
            "entries": state.events.count,
            "ready": outcome == .open
                ? steps.filter { if case .ready = $0.status { true } else { false } }.map(\.step.id) : [],
        ]
        if let expiresAt { object["expiresAt"] = Timestamp.format(expiresAt) }
        return object
    }

    /// Everything `status CASE --json` shows: steps, documents, expiry.
    public var detailJSON: [String: Any] {
        var object = summaryJSON
        object["pipelineDigest"] = "sha256:" + state.pipelineDigest.hex
        object["openedBy"] = state.openedBy
        object["head"] = state.head.hex
        object["steps"] = steps.map { item -> [String: Any] in
            var step: [String: Any] = ["id": item.step.id, "status": item.status.label]
            switch item.status {
            case .done(let at, let by):
                step["at"] = Timestamp.format(at)
                step["by"] = by
            case .rejected(let at, let by, let reason):
                step["at"] = Timestamp.format(at)
                step["by"] = [by]
                step["reason"] = reason ?? ""
            case .skipped(let since): step["since"] = Timestamp.format(since)
            case .ready(let since, let waitingOn, let signed, let dueAt, let overdue):
                step["since"] = Timestamp.format(since)
                step["waitingOn"] = waitingOn
                step["signed"] = signed
                step["overdue"] = overdue
                if let dueAt { step["dueAt"] = Timestamp.format(dueAt) }
            case .blocked(let reasons): step["blockedOn"] = reasons
            }
            if let stale = staleApprovals[item.step.id], !stale.isEmpty { step["staleApprovals"] = stale }
            return step
        }
        if let withdrawal = state.withdrawal {
            object["withdrawn"] =
                [
                    "by": withdrawal.party, "at": Timestamp.format(withdrawal.at), "reason": withdrawal.note ?? "",
                    "entry": withdrawal.index,
                ] as [String: Any]
        }
        object["documents"] = state.attachments.values.sorted { $0.name < $1.name }.map {
            [
                "name": $0.name, "fingerprint": $0.fingerprint.description, "attachedBy": $0.party,
                "at": Timestamp.format($0.at), "entry": $0.index,
            ] as [String: Any]
        }
        return object
    }
}
