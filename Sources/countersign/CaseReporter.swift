import CountersignKit
import Foundation

/// After an append: lets the orchestrator fire what became ready, and says what happened and what
/// still waits for a key.
struct CaseReporter {
    let context: CommandContext

    func afterAppend(caseID: String, orchestrator: Orchestrator) throws {
        let progress = try orchestrator.advance(caseID: caseID, now: context.now)
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
    }
}
