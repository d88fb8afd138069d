import CountersignKit
import Foundation

/// What `advance --dry-run` and `reconcile --dry-run` share.
enum DryRun {
    /// The first line of a dry run's output, and what a simulated clock means for it.
    static func heading(at now: Date, clock: ConsortiumSettings.Clock?) -> [String] {
        ["dry run at \(Timestamp.format(now)): nothing was written"]
            + (clock == .simulated ? [CaseViewText.clockNote(clock)].compactMap { $0 } : [])
    }

    /// How far the plan goes.
    static let chainNote =
        "(the whole chain is planned in memory: an automatic step that a planned one makes ready is listed too)"
}

extension CommandContext {
    /// A batch that plans and writes nothing (`--dry-run`): like `batch(signer:workers:)`, each
    /// worker with its own connection, but every store opened without creating a ledger and every
    /// governance cache caught up in memory only.
    func planningBatch(signer: SigningOptions?, workers: Int) throws -> BatchAdvance {
        let keys = try orchestrator(signer: signer, create: false, writesCaches: false).orchestratorKey
        let location = ledgerLocation
        return BatchAdvance(workers: workers) {
            let ledger = Ledger(store: try location.open(create: false))
            return Orchestrator(
                repository: CaseRepository(
                    ledger: ledger,
                    governance: try GovernanceCache(store: ledger.store, save: false)
                ),
                orchestratorKey: keys
            )
        }
    }
}
