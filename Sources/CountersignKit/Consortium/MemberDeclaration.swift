/// What a party file declares about a party (FORMATS.md §1), as a governance entry carries it: the
/// id, the display name and the keys with their validity windows. Approved, it is what the
/// consortium holds in force; the file itself is only a proposal.
public struct MemberDeclaration: Hashable, Sendable, Codable {
    public let id: String
    public let name: String
    /// Keys in file order.
    public let keys: [PartyKey]

    public init(id: String, name: String, keys: [PartyKey]) {
        self.id = id
        self.name = name
        self.keys = keys
    }

    /// The declaration a party file makes.
    public init(_ party: Party) {
        self.init(id: party.id, name: party.name, keys: party.keys)
    }

    /// The key with this id, if declared.
    public func key(withID keyID: String) -> PartyKey? {
        keys.first { $0.keyID == keyID }
    }
}
