import Foundation

/// Case entries on the test's tiny pipelines: what decides them besides the pipeline is the
/// consortium at that point of the log (keys, membership, versions in force).
extension GovernanceModel {
    /// Opening names a version in force; the opener is one the version lets open.
    mutating func open(
        _ caseID: String,
        under digest: String,
        by party: String,
        key: String,
        at time: Date
    ) throws(Refusal) -> Verdict {
        try checkSigner(party, key: key, at: time)
        guard versionIsInForce(digest) else { throw .versionNotInForce }
        guard catalog[digest]!.openedBy.contains(party) else { throw .mayNotOpen }
        guard cases[caseID] == nil else { throw .alreadyOpen }
        cases[caseID] = Case(version: digest)
        return .appended
    }

    /// A step of an open case stays on the version it was opened under; one permitted signature
    /// completes it (the test's pipelines have `by: P` and `any:` steps only).
    mutating func sign(
        _ caseID: String,
        _ stepID: String,
        by party: String,
        key: String,
        at time: Date
    ) throws(Refusal) -> Verdict {
        try checkSigner(party, key: key, at: time)
        var state = cases[caseID]!
        let version = catalog[state.version]!
        guard state.done.count < version.steps.count else { throw .caseClosed }
        let step = version.step(stepID)!
        guard step.signers.contains(party) else { throw .mayNotSign }
        guard !state.done.contains(stepID) else { throw .stepDone }
        guard step.after.allSatisfy(state.done.contains) else { throw .notReady }
        state.done.insert(stepID)
        cases[caseID] = state
        return .appended
    }

    /// Brings a case entry the engine accepted against the model's verdict into the model, so a
    /// run goes on after a reported disagreement.
    mutating func force(_ action: Action) {
        switch action {
        case .open(let caseID, let version, _, _): cases[caseID] = Case(version: version)
        case .sign(let caseID, let step, _, _): cases[caseID]?.done.insert(step)
        default: break
        }
    }
}
