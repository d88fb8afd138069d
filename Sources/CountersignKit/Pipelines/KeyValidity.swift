import Foundation

/// The answer to "may a signature by key K made at time T be accepted?" (`PartyRegistry.key(for:at:)`).
public enum KeyValidity: Hashable, Sendable, CustomStringConvertible {
    /// The key belongs to `party` and the time is inside its window.
    case valid(party: Party, key: PartyKey)
    /// The key belongs to `party` but the time is before its `since`.
    case notYetValid(party: Party, key: PartyKey)
    /// The key belongs to `party` but the time is at or after its `until`.
    case expired(party: Party, key: PartyKey)
    /// No party file holds the key.
    case unknown(keyID: String)

    /// Whether the signature may be accepted.
    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }

    /// The party the key belongs to, valid or not.
    public var party: Party? {
        switch self {
        case .valid(let party, _), .notYetValid(let party, _), .expired(let party, _): party
        case .unknown: nil
        }
    }

    public var description: String {
        switch self {
        case .valid(let party, let key): "key \(key.keyID) of party '\(party.id)' is valid"
        case .notYetValid(let party, let key):
            "key \(key.keyID) of party '\(party.id)' is not valid before \(key.since.map(Timestamp.format) ?? "?")"
        case .expired(let party, let key):
            "key \(key.keyID) of party '\(party.id)' is not valid from \(key.until.map(Timestamp.format) ?? "?")"
        case .unknown(let keyID): "key \(keyID) belongs to no known party"
        }
    }
}
