/// The display names of a consortium's members, to show beside party ids in reports:
/// `First Harbour Bank (bank)`. A party without a name (or named by its id) shows as its id.
public struct PartyNames: Sendable, Equatable {
    /// Display names by party id.
    public var names: [String: String]

    /// Names given by party id.
    public init(_ names: [String: String] = [:]) {
        self.names = names
    }

    /// The names of `consortium`'s members, as its governance entries set them.
    public init(_ consortium: GovernanceState) {
        self.init(consortium.members.mapValues(\.name))
    }

    /// The display name of `party`, when it has one other than its id.
    public func name(of party: String) -> String? {
        names[party].flatMap { $0.isEmpty || $0 == party ? nil : $0 }
    }

    /// `Name (id)`, or `id` alone when the party has no display name.
    public func label(_ party: String) -> String {
        name(of: party).map { "\($0) (\(party))" } ?? party
    }

    /// `labels` of `parties` joined as prose: `a`, `a and b`, `a, b and c`.
    public func list(_ parties: [String], _ conjunction: String) -> String {
        let labels = parties.map(label)
        guard labels.count > 1 else { return labels.first ?? "nobody" }
        return labels.dropLast().joined(separator: ", ") + " \(conjunction) " + labels.last!
    }
}
