import ArgumentParsing
import CountersignKit
import Foundation

/// After an append: lets the orchestrator fire what became ready, says what happened and what
/// still waits for a key, and gives the same as JSON for `--json` (docs/JSON.md, "appended").
struct CaseReporter {
    let context: CommandContext

    /// Advances `caseID` after `entry` was appended (unless `advance` is false: a closed case) and
    /// returns `{"entry", "automatic", "waitingForKey"}`: the appended entry as `log show` prints
    /// it, the automatic steps (and expiry) that followed, and the steps left for the
    /// orchestrator's key.
    func afterAppend(
        _ entry: LedgerEntry,
        caseID: String,
        orchestrator: Orchestrator,
        advance: Bool = true
    ) throws -> [String: Any] {
        let progress = advance ? try orchestrator.advance(caseID: caseID, now: context.now) : Orchestrator.Progress()
        for (caseID, step) in progress.appended {
            context.say(
                step == StepPredicate.expireStep ? "expired \(caseID)" : "automatic step \(step) of \(caseID) done"
            )
        }
        for (caseID, step, party) in progress.waitingForKey {
            context.say(
                "\(caseID): \(step) is ready for the orchestrator '\(party)'; it runs at the next "
                    + "`countersign advance` that holds \(party)'s key"
            )
        }
        return [
            "entry": entry.json,
            "automatic": progress.appended.map { ["case": $0.caseID, "step": $0.step] },
            "waitingForKey": progress.waitingForKey.map { ["case": $0.caseID, "step": $0.step, "party": $0.party] },
        ]
    }

    /// Prints an appending command's result under `--json`: `result` with `command`.
    func printResult(_ command: CommandSpec, _ result: [String: Any]) throws {
        guard context.json else { return }
        try context.printJSON(result.merging(["command": command.name]) { _, new in new })
    }
}
