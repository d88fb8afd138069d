import CountersignKit
import Foundation
import TestSupport
import Testing

/// Random sequences of governance changes and sign-offs: an independent model written from
/// CONSORTIUM.md agrees with the engine on every acceptance, the log grows by exactly the accepted
/// entries, and `log verify`'s audit folds the consortium the model holds.
@Suite("Random governance")
struct GovernancePropertyTests {
    /// The runs' seeds; `COUNTERSIGN_PROPERTY_SEED` (decimal or 0x hex) replays or explores one.
    static var seeds: [UInt64] {
        guard ProcessInfo.processInfo.environment["COUNTERSIGN_PROPERTY_SEED"] != nil else {
            return [0x6F7E_0001, 0x6F7E_0002, 0x6F7E_0003, 0x6F7E_0004, 0x6F7E_0005]
        }
        return [SignOffPropertyTests.seed(default: 0)]
    }

    /// Refusals only a case entry can meet.
    static let caseRefusals: Set<GovernanceModel.Refusal> = [
        .versionNotInForce, .mayNotOpen, .alreadyOpen, .caseClosed, .mayNotSign, .stepDone, .notReady,
    ]

    @Test(
        "the engine accepts exactly the governance changes and sign-offs the contract allows",
        arguments: StoreKind.allCases
    )
    func engineFollowsTheContract(store: StoreKind) throws {
        var total = GovernanceTally()
        for seed in Self.seeds {
            let run = try RandomGovernance(seed: seed, store: store)
            do {
                try run.run(actions: 400)
            } catch {
                Issue.record(
                    "seed 0x\(String(seed, radix: 16)): the run stopped: \(error)\n\(run.history.joined(separator: "\n"))"
                )
                continue
            }
            print("seed 0x\(String(seed, radix: 16)) on \(store.testDescription):\n\(run.tally)")
            let disagreements = run.tally.violations.count
            let headlines = run.tally.violations.map { $0.split(separator: "\n").prefix(2).joined(separator: "\n") }
            #expect(
                disagreements == 0,
                """
                seed 0x\(String(seed, radix: 16)) (replay: COUNTERSIGN_PROPERTY_SEED=0x\(String(seed, radix: 16))):
                \(headlines.joined(separator: "\n"))
                the first in full:
                \(run.tally.violations.prefix(3).joined(separator: "\n"))
                """
            )
            total.merge(run.tally)
        }

        // Not vacuous: every kind of refusal happened, and changes took effect every way there is.
        for refusal in GovernanceModel.Refusal.allCases where !Self.caseRefusals.contains(refusal) {
            #expect(
                total.governanceRefusals[refusal, default: 0] > 0,
                "no governance entry refused: \(refusal.rawValue)"
            )
        }
        for refusal in GovernanceModel.Refusal.allCases
        where refusal.isKeyRefusal || Self.caseRefusals.contains(refusal) {
            #expect(total.caseRefusals[refusal, default: 0] > 0, "no case entry refused: \(refusal.rawValue)")
        }
        for effect in GovernanceTally.Effect.allCases {
            #expect(total.effects[effect, default: 0] > 0, "nothing accepted \(effect.rawValue)")
        }
        #expect(total.effects[.appended, default: 0] >= 50, "\(total)")
    }
}
