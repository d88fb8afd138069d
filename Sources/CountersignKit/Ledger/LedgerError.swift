/// Problems with the log itself: a bad request for a proof, a missing or inconsistent record.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A leaf index outside the tree.
    case indexOutOfRange(index: Int, size: Int)
    /// A tree size larger than the log.
    case sizeBeyondLog(size: Int, logSize: Int)
    /// A consistency proof asked from a larger tree to a smaller one, or a negative size.
    case badConsistencyRange(old: Int, new: Int)
    /// A perfect subtree the store should hold is not there: the store is damaged.
    case missingSubtree(level: Int, index: Int)
    /// The engine gave no outcome for a case whose head the case-head map needs.
    case caseMapOutcomeMissing(caseID: String)
    /// The stored case-head map does not lead from the case's stored head to the version's root.
    case caseMapDamaged(caseID: String, version: Int)

    public var description: String {
        switch self {
        case .indexOutOfRange(let index, let size):
            size == 0
                ? "entry \(index) is not in the log: the log is empty"
                : "entry \(index) is not in a tree of \(size) entries (indexes are 0..\(size - 1))"
        case .sizeBeyondLog(let size, let logSize):
            "tree size \(size) is larger than the log, which holds \(logSize) entries"
        case .badConsistencyRange(let old, let new):
            "a consistency proof goes from a smaller tree to a larger one; got \(old) to \(new)"
        case .missingSubtree(let level, let index):
            "the store lacks the subtree hash at level \(level), index \(index): the ledger is damaged; "
                + "run `countersign log verify`"
        case .caseMapOutcomeMissing(let caseID):
            "no outcome for case \(caseID): the case-head map cannot be brought up to date"
        case .caseMapDamaged(let caseID, let version):
            "the stored case-head map at log size \(version) does not lead to case \(caseID)'s stored head: "
                + "its tables were altered; run `countersign log verify`"
        }
    }
}
