/// Why a governance change is refused or cannot be made, in words a user can act on. A refused
/// change appends nothing.
public enum GovernanceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The ledger has no genesis entry yet.
    case noConsortium
    /// `consortium init` on a ledger that has entries.
    case alreadyFounded(entries: Int)
    /// The change is not acceptable; `what` names it, `reason` says why.
    case refused(what: String, reason: String)
    /// Another governance entry landed while this one was being signed.
    case movedOn
    /// A stored governance entry does not fold: the log holds an entry no check would have let in.
    case corrupt(index: Int, reason: String)

    /// Why, without naming the change (`refused`'s reason; the description otherwise).
    public var reason: String {
        if case .refused(_, let reason) = self { return reason }
        return description
    }

    public var description: String {
        switch self {
        case .noConsortium:
            "the ledger holds no consortium yet: found one with "
                + "`countersign consortium init --as PARTY --key FILE`"
        case .alreadyFounded(let entries):
            "the ledger already holds \(entries) \(entries == 1 ? "entry" : "entries"): "
                + "a consortium is founded on an empty ledger only"
        case .refused(let what, let reason): "\(what) refused: \(reason)"
        case .movedOn:
            "the consortium changed while this was being signed (another governance entry landed first): re-run"
        case .corrupt(let index, let reason): "governance entry \(index) is not valid: \(reason)"
        }
    }
}
