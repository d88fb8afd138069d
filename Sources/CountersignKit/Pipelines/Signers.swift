/// Who may sign a step and how many distinct parties must: one party, any of several, all of them,
/// or a quorum of `k` of them. Every form is "k distinct parties of this list"; the form is kept
/// for how the pipeline shows it.
public struct Signers: Hashable, Sendable, CustomStringConvertible {
    /// How `by` was written.
    public enum Rule: Hashable, Sendable {
        /// `by: party`
        case one
        /// `by: { any: [...] }`
        case any
        /// `by: { all: [...] }`
        case all
        /// `by: { quorum: k, of: [...] }`
        case quorum(Int)
    }

    /// The parties that may sign, in file order, each once.
    public let parties: [String]
    public let rule: Rule

    /// How many distinct parties of `parties` must sign for the step to be done.
    public var required: Int {
        switch rule {
        case .one, .any: 1
        case .all: parties.count
        case .quorum(let count): count
        }
    }

    /// Whether `party` may sign this step.
    public func permits(_ party: String) -> Bool {
        parties.contains(party)
    }

    /// Whether the approvals of `signed` complete the step: each permitted party counts once.
    public func isSatisfied(by signed: some Sequence<String>) -> Bool {
        Set(signed).intersection(parties).count >= required
    }

    /// `bank`, `any of lawyer, lawyer-partner`, `all of bank, lawyer`, `2 of director-a, ...`.
    public var description: String {
        let list = parties.joined(separator: ", ")
        return switch rule {
        case .one: list
        case .any: "any of \(list)"
        case .all: "all of \(list)"
        case .quorum(let count): "\(count) of \(list)"
        }
    }
}
