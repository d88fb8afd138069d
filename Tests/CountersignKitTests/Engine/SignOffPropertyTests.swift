import CountersignKit
import Foundation
import TestSupport
import Testing

/// Random valid and invalid sign-offs on the example pipelines never make a case that breaks its
/// pipeline, and every case folds again from the ledger alone to what the run saw.
@Suite("Random sign-offs")
struct SignOffPropertyTests {
    /// The run's seed: `COUNTERSIGN_PROPERTY_SEED` (decimal or 0x hex) to replay or explore one.
    static func seed(default value: UInt64) -> UInt64 {
        guard let text = ProcessInfo.processInfo.environment["COUNTERSIGN_PROPERTY_SEED"] else { return value }
        return text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16)! : UInt64(text)!
    }

    @Test("random sign-off sequences never make a case that breaks its pipeline", arguments: StoreKind.allCases)
    func casesKeepTheirPipeline(store: StoreKind) throws {
        let seed = Self.seed(default: 0xC0FF_EE00_0004)
        let run = try RandomSignOffs(seed: seed, store: store)
        do {
            try run.run(cases: 200)
        } catch {
            Issue.record("seed \(seed): the run stopped: \(error)")
            return
        }
        let tally = run.tally
        print("seed \(seed):\n\(tally)")
        #expect(tally.violations.isEmpty, "seed \(seed):\n\(tally.violations.prefix(20).joined(separator: "\n"))")

        // Not vacuous: many cases get through, and each kind of refusal happened.
        #expect(tally.outcomes[.completed, default: 0] >= 20, "seed \(seed): \(tally)")
        for outcome in [CaseOutcome.rejected, .expired, .open] {
            #expect(tally.outcomes[outcome, default: 0] > 0, "seed \(seed): no case ended \(outcome.rawValue)")
        }
        // Signing a skipped step takes a random step on the right case at the right time: not every run has one.
        for refusal in SignOffTally.Refusal.allCases where refusal != .skipped {
            #expect(tally.refusals[refusal, default: 0] > 0, "seed \(seed): no refusal '\(refusal.rawValue)'")
        }
        for action in SignOffTally.Action.allCases where action.mustBeRefused {
            #expect(tally.refused[action, default: 0] > 0, "seed \(seed): no \(action.rawValue) was tried")
        }
    }

    @Test("every case folds from the ledger alone to the state the run saw", arguments: StoreKind.allCases)
    func casesReplayFromTheLedger(store: StoreKind) throws {
        let seed = Self.seed(default: 0xC0FF_EE00_0005)
        let run = try RandomSignOffs(seed: seed, store: store)
        do {
            try run.run(cases: 60)
        } catch {
            Issue.record("seed \(seed): the run stopped: \(error)")
            return
        }

        let repository = try run.workspace.freshRepository()
        #expect(try repository.ledger.store.caseIDs() == run.observed.map(\.state.caseID))
        for seen in run.observed {
            let caseID = seen.state.caseID
            let state = try #require(try repository.state(of: caseID), "seed \(seed): \(caseID) is gone")
            let view = try repository.view(of: state, at: seen.now)
            #expect(view.outcome == seen.outcome, "seed \(seed): \(caseID)")
            #expect(state.head == seen.state.head, "seed \(seed): \(caseID)")
            #expect(state.events.map(\.index) == seen.state.events.map(\.index), "seed \(seed): \(caseID)")
            #expect(state.signatures == seen.state.signatures, "seed \(seed): \(caseID)")
            #expect(state.attachments == seen.state.attachments, "seed \(seed): \(caseID)")
            #expect(state.expiredAt == seen.state.expiredAt, "seed \(seed): \(caseID)")
            #expect(view.steps.map(\.status) == seen.steps.map(\.status), "seed \(seed): \(caseID)")
            #expect(view.expiresAt == seen.expiresAt, "seed \(seed): \(caseID)")
        }
        // Whatever the engine let in among the random attempts is an in-toto Statement v1.
        var census = InTotoCensus()
        let store = repository.ledger.store
        try store.forEachEntry(in: 0..<store.size()) { census.check(envelope: $0.envelope, label: "entry \($0.index)") }
        #expect(census.failures.isEmpty, "seed \(seed):\n\(census.failures.prefix(20).joined(separator: "\n"))")
        #expect(census.decisions.count >= 4, "seed \(seed): \(census.decisions)")
    }
}
