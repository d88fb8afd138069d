import Foundation

extension CaseRepository {
    /// The outcome each case of `changes` records at its head (`CaseHeadChange.headIndex`): its
    /// entries up to there decoded as the store holds them and evaluated under the case's pipeline
    /// version over its documents' stored bytes, at the head's log time — what the entries say,
    /// not whether each was allowed (`log verify` and `verify-bundle` judge that), as the log's
    /// root commits to its entries whatever they are. Throws `EngineError.corruptCase` for a case
    /// whose head is not among its entries or whose entries do not decode.
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
            let state = try recordedState(of: change.caseID, from: entries)
            outcomes[change.caseID] = try recordedView(of: state, at: head.logTime ?? .distantPast).outcome.rawValue
        }
        return outcomes
    }

    /// Signs a checkpoint of the log now (`Ledger.signCheckpoint`), the case-head map's new heads
    /// judged by `outcomes(of:)`.
    public func signCheckpoint(origin: String, key: Ed25519PrivateKey) throws -> SignedNote {
        try ledger.signCheckpoint(origin: origin, key: key, outcomes: outcomes(of:))
    }
}
