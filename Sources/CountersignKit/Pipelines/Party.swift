/// A participant in pipelines, from its file `parties/PARTY.yaml` (FORMATS.md §1): an id, a display
/// name and the public keys its signatures are checked against.
public struct Party: Hashable, Sendable {
    /// `[a-z0-9][a-z0-9-]{0,62}`, equal to the file name without `.yaml`.
    public let id: String
    /// The display name shown in reports.
    public let name: String
    /// Its keys in file order; empty for a party not yet issued a key.
    public let keys: [PartyKey]
    /// The exact bytes of the party file, as audit bundles carry them.
    public let bytes: [UInt8]

    /// The key with this key id, if the party has it.
    public func key(withID keyID: String) -> PartyKey? {
        keys.first { $0.keyID == keyID }
    }
}
