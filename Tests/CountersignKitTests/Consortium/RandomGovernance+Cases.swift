import CountersignKit
import Foundation

/// The random case entries on the test's tiny pipelines.
extension RandomGovernance {
    /// Opens a case: a new one under a version in force by a member it lets open most often; else
    /// under a version not in force, by a member it does not let open, or a case that exists.
    func open() throws {
        let inForce = versionDigests.filter(model.versionIsInForce)
        let notInForce = versionDigests.filter { !model.versionIsInForce($0) }
        let existing = model.cases.keys.sorted()
        let roll = Int.random(in: 0..<100, using: &random)
        var caseID = "case-\(caseCount + 1)"
        let digest: String
        if roll < 10 && !existing.isEmpty {
            caseID = random.pick(existing)
            digest = model.cases[caseID]!.version
        } else if (roll < 25 && !notInForce.isEmpty) || inForce.isEmpty {
            digest = random.pick(notInForce)
        } else {
            digest = random.pick(inForce)
        }
        if caseID == "case-\(caseCount + 1)" { caseCount += 1 }
        let version = model.catalog[digest]!
        let openers = memberIDs.filter(version.openedBy.contains)
        let others = memberIDs.filter { !version.openedBy.contains($0) }
        let party =
            random.chance(0.15) || openers.isEmpty
            ? random.pick(others.isEmpty ? Self.parties : others) : random.pick(openers)
        let key = try signingKey(for: party)
        let description =
            "\(party) opens \(caseID) under \(version.pipeline)@\(digest.prefix(8)) signed by \(label(key))"
        try attempt(.open, .open(caseID: caseID, version: digest, by: party, key: key), description) {
            try caseEntry {
                try orchestrator().openEntry(
                    pipeline: pipelines[digest]!,
                    caseID: caseID,
                    party: party,
                    key: secrets[key]!,
                    documents: [],
                    now: now
                )
            }
        }
    }

    /// Signs a step: of an open case, a ready step, by a member it names, most often; else a step
    /// already done or not ready yet, a completed case, a member it does not name.
    func sign() throws {
        let ids = model.cases.keys.sorted()
        let open = ids.filter { model.cases[$0]!.done.count < model.catalog[model.cases[$0]!.version]!.steps.count }
        guard !open.isEmpty else { return try self.open() }
        let caseID = random.chance(0.85) ? random.pick(open) : random.pick(ids)
        let state = model.cases[caseID]!
        let version = model.catalog[state.version]!
        let done = version.steps.filter { state.done.contains($0.id) }
        let waiting = version.steps.filter { !state.done.contains($0.id) }
        let ready = waiting.filter { $0.after.allSatisfy(state.done.contains) }
        let blocked = waiting.filter { !$0.after.allSatisfy(state.done.contains) }
        let roll = Int.random(in: 0..<100, using: &random)
        let step =
            roll < 10 && !done.isEmpty
            ? random.pick(done) : roll < 20 && !blocked.isEmpty ? random.pick(blocked) : random.pick(ready + done)
        let others = memberIDs.filter { !step.signers.contains($0) }
        let party =
            random.chance(0.85) || others.isEmpty ? random.pick(step.signers.sorted()) : random.pick(others)
        let key = try signingKey(for: party)
        let description = "\(party) signs \(step.id) of \(caseID) signed by \(label(key))"
        try attempt(.sign, .sign(caseID: caseID, step: step.id, by: party, key: key), description) {
            try caseEntry {
                try orchestrator().stepEntry(
                    caseID: caseID,
                    step: step.id,
                    party: party,
                    key: secrets[key]!,
                    documents: [],
                    note: nil,
                    rejectReason: nil,
                    now: now
                )
            }
        }
    }
}
