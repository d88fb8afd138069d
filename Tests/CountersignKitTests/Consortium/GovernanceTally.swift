/// What a random governance run did: each kind of action tried, accepted and refused, why the
/// refusals happened (the model's reason, counted only when the engine refused too), how accepted
/// changes came into force, and every disagreement between the engine and the model.
struct GovernanceTally: CustomStringConvertible {
    typealias Refusal = GovernanceModel.Refusal

    /// What a random action tries.
    enum Action: String, CaseIterable, Comparable {
        case genesis
        /// The party's own file with a new key (its proof of possession or not), older keys narrowed.
        case rotate
        /// An admin (or not) proposes another party's file with a new key.
        case addKey
        /// A new display name.
        case rename
        /// A key's window widened or narrowed.
        case window
        /// A file listing a key of another party.
        case foreignKey
        /// A file leaving out a key in force.
        case dropKey
        /// The file as it is in force.
        case unchanged
        /// A party proposing its own new file.
        case join
        /// An admin (or not) proposing a new party's file.
        case admit
        case approve
        /// What a pending proposal proposes, proposed again.
        case duplicate
        /// A party revoking one of its own keys.
        case revokeOwn
        /// A party revoking (proposing to revoke) another party's key, or one that is no key.
        case revokeOther
        case policy
        case pipeline
        case open
        case sign

        var isCaseAction: Bool { self == .open || self == .sign }

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// How an accepted action took effect.
    enum Effect: String, CaseIterable, Comparable {
        case atOnce = "at once"
        case proposedInForce = "proposed in force"
        case proposedPending = "proposed pending"
        case approvedInForce = "approved into force"
        case approvedPending = "approved, still pending"
        case appended = "case entry"

        init?(_ verdict: GovernanceModel.Verdict) {
            switch verdict {
            case .refused: return nil
            case .atOnce: self = .atOnce
            case .proposed(let inForce): self = inForce ? .proposedInForce : .proposedPending
            case .approved(let inForce): self = inForce ? .approvedInForce : .approvedPending
            case .appended: self = .appended
            }
        }

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    var attempted: [Action: Int] = [:]
    var accepted: [Action: Int] = [:]
    var refused: [Action: Int] = [:]
    /// Refusals of governance entries, by the model's reason.
    var governanceRefusals: [Refusal: Int] = [:]
    /// Refusals of case entries, by the model's reason.
    var caseRefusals: [Refusal: Int] = [:]
    var effects: [Effect: Int] = [:]
    /// Every disagreement: the action, what the model and the engine did, the seed and the history.
    var violations: [String] = []

    mutating func count(_ action: Action, _ verdict: GovernanceModel.Verdict) {
        attempted[action, default: 0] += 1
        if case .refused(let refusal) = verdict {
            refused[action, default: 0] += 1
            if action.isCaseAction {
                caseRefusals[refusal, default: 0] += 1
            } else {
                governanceRefusals[refusal, default: 0] += 1
            }
        } else {
            accepted[action, default: 0] += 1
            if let effect = Effect(verdict) { effects[effect, default: 0] += 1 }
        }
    }

    /// Adds another run's counts (another seed).
    mutating func merge(_ other: GovernanceTally) {
        attempted.merge(other.attempted, uniquingKeysWith: +)
        accepted.merge(other.accepted, uniquingKeysWith: +)
        refused.merge(other.refused, uniquingKeysWith: +)
        governanceRefusals.merge(other.governanceRefusals, uniquingKeysWith: +)
        caseRefusals.merge(other.caseRefusals, uniquingKeysWith: +)
        effects.merge(other.effects, uniquingKeysWith: +)
        violations += other.violations
    }

    var description: String {
        let actions = attempted.keys.sorted().map {
            "\($0.rawValue) \(attempted[$0] ?? 0)/\(accepted[$0] ?? 0)/\(refused[$0] ?? 0)"
        }
        func list(_ counts: [Refusal: Int]) -> String {
            counts.keys.sorted().map { "\($0) \(counts[$0]!)" }.joined(separator: ", ")
        }
        let effects = effects.keys.sorted().map { "\($0.rawValue) \(self.effects[$0]!)" }
        return """
            actions (tried/accepted/refused): \(actions.joined(separator: ", "))
            accepted: \(effects.joined(separator: ", "))
            governance refusals: \(list(governanceRefusals))
            case refusals: \(list(caseRefusals))
            disagreements: \(violations.count)
            """
    }
}
