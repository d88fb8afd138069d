/// What the genesis entry fixes for the life of a consortium's ledger.
public struct ConsortiumSettings: Hashable, Sendable, Codable {
    /// Where the log's times come from.
    public enum Clock: String, Hashable, Sendable, Codable, CaseIterable {
        /// A real consortium: the machines' clocks.
        case system
        /// Demos and tests: commands may set the time (`--now`); such times prove nothing.
        case simulated

        /// What the times of a ledger with this clock mean, as one sentence for every status,
        /// report and bundle verification to print.
        public var meaning: String {
            switch self {
            case .system: "Times are log times: when each entry reached the ledger, by the log's own clock."
            case .simulated: "This ledger's clock is simulated (a demo or test): its times prove nothing."
            }
        }
    }

    /// The log's C2SP origin line: every checkpoint of this ledger names it.
    public let origin: String
    public let clock: Clock

    public init(origin: String, clock: Clock) {
        self.origin = origin
        self.clock = clock
    }
}

/// Who may approve changes to the consortium, and whose key signs the log's checkpoints.
public struct ConsortiumPolicy: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The admins, sorted, each once.
    public let admins: [String]
    /// How many distinct admins must approve a change.
    public let quorum: Int
    /// The member whose key signs the log's checkpoints (a checkpoint signed by any other party is
    /// not the log's).
    public let logSigner: String

    public init(admins: [String], quorum: Int, logSigner: String) {
        self.admins = Array(Set(admins)).sorted()
        self.quorum = quorum
        self.logSigner = logSigner
    }

    /// The policy a genesis sets: the founder alone, quorum 1, signing the log.
    public static func founding(_ founder: String) -> ConsortiumPolicy {
        ConsortiumPolicy(admins: [founder], quorum: 1, logSigner: founder)
    }

    /// `quorum 2 of [bank, regulator]; log signed by bank`.
    public var description: String {
        "quorum \(quorum) of [\(admins.joined(separator: ", "))]; log signed by \(logSigner)"
    }
}
