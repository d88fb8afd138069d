import Foundation

extension CaseRepository {
    /// The outcome each case of `changes` records at its head (`CaseHeadChange.headIndex`): its
    /// entries up to there read with every check `verifiedEvent` makes, and evaluated under the
    /// case's pipeline version over its documents' checked bytes, at the head's log time. Throws
    /// `EngineError.corruptCase` for a damaged case: the case-head map is signed only over cases
    /// that verify.
    public func outcomes(of changes: [CaseHeadChange]) throws -> [String: String] {
        var outcomes: [String: String] = [:]
        for change in changes {
            let entries = try ledger.store.entries(ofCase: change.caseID).prefix { $0.index <= change.headIndex }
            guard let head = entries.last, head.index == change.headIndex, head.leafHash == change.headLeaf else {
                throw EngineError.corruptCase(
                    caseID: change.caseID,
                    index: change.headIndex,
                    reason: "the store's head of the case is not among its entries"
                )
            }
            let state = try CaseState(events: try entries.map { try verifiedEvent($0, of: change.caseID) })
            outcomes[change.caseID] = try view(of: state, at: head.logTime ?? .distantPast).outcome.rawValue
        }
        return outcomes
    }

    /// Signs a checkpoint of the log now (`Ledger.signCheckpoint`), the case-head map's new heads
    /// judged by `outcomes(of:)`.
    public func signCheckpoint(origin: String, key: Ed25519PrivateKey) throws -> SignedNote {
        try ledger.signCheckpoint(origin: origin, key: key, outcomes: outcomes(of:))
    }
}
