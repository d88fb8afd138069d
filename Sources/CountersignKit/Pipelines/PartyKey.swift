import Foundation

/// One public key of a party, with its optional validity window: a signature made before `since` or
/// at or after `until` is refused (key rotation, revocation). `since` is inclusive, `until` exclusive.
public struct PartyKey: Hashable, Sendable {
    public let publicKey: Ed25519PublicKey
    public let since: Date?
    public let until: Date?

    public init(publicKey: Ed25519PublicKey, since: Date? = nil, until: Date? = nil) {
        self.publicKey = publicKey
        self.since = since
        self.until = until
    }

    /// Lowercase hex SHA-256 of the raw public key, as DSSE signatures name it.
    public var keyID: String { publicKey.keyID }

    /// Whether a signature made at `date` falls inside the window.
    public func isValid(at date: Date) -> Bool {
        (since.map { $0 <= date } ?? true) && (until.map { date < $0 } ?? true)
    }
}
