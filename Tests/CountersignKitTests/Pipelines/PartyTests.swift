import CountersignKit
import Foundation
import Testing

@Suite("Party files")
struct PartyTests {
    static func key(_ seed: UInt8) -> Ed25519PublicKey {
        try! Ed25519PrivateKey(seed: [UInt8](repeating: seed, count: 32)).publicKey
    }

    static func base64(_ key: Ed25519PublicKey) -> String {
        Data(key.spkiDER).base64EncodedString()
    }

    static let lawyer = """
        party: lawyer
        name: Smith & Jones Conveyancing
        keys:
          - ed25519: \(base64(key(1)))
            until: 2027-01-01T00:00:00Z
          - ed25519: \(base64(key(2)))
            since: 2027-01-01T00:00:00Z
        """

    static func party(_ path: String, _ yaml: String) throws(Diagnostics) -> Party {
        try Party(bytes: Array(yaml.utf8), path: path)
    }

    @Test("a party file loads with its display name, keys and validity windows")
    func loadsParty() throws {
        let party = try Party(bytes: Array(Self.lawyer.utf8), path: "parties/lawyer.yaml")
        #expect(party.id == "lawyer")
        #expect(party.name == "Smith & Jones Conveyancing")
        #expect(party.keys.map(\.publicKey) == [Self.key(1), Self.key(2)])
        #expect(party.keys[0].since == nil && party.keys[0].until == Timestamp.parse("2027-01-01T00:00:00Z"))
        #expect(party.bytes == Array(Self.lawyer.utf8))
    }

    @Test("a party with no keys yet is allowed, with keys: [] or no keys at all")
    func noKeys() throws {
        #expect(try Self.party("parties/bank.yaml", "party: bank\nname: First Bank\nkeys: []\n").keys.isEmpty)
        #expect(try Self.party("parties/registry.yaml", "party: registry\nname: Land Registry\n").keys.isEmpty)
    }

    @Test("a key's window admits times from `since` (inclusive) to `until` (exclusive)")
    func keyWindows() throws {
        let party = try Self.party("parties/lawyer.yaml", Self.lawyer)
        let (old, new) = (party.keys[0], party.keys[1])
        let before = Timestamp.parse("2026-12-31T23:59:59Z")!
        let boundary = Timestamp.parse("2027-01-01T00:00:00Z")!
        #expect(old.isValid(at: before) && !old.isValid(at: boundary))
        #expect(!new.isValid(at: before) && new.isValid(at: boundary))
        #expect(party.key(withID: new.keyID) == new)
        #expect(party.key(withID: Self.key(3).keyID) == nil)
    }

    @Test("key id is the hex SHA-256 of the raw public key")
    func keyID() throws {
        let key = try #require(try Self.party("parties/lawyer.yaml", Self.lawyer).keys.first)
        #expect(key.keyID == SHA256.hash(Self.key(1).raw).hex)
    }

    @Test(
        "party file mistakes are reported at their line and column",
        arguments: [
            (
                "party: lawyr\nname: L\n",
                "parties/lawyer.yaml:1:8: error: party id 'lawyr' must match the file name 'lawyer.yaml'"
            ),
            ("party: lawyer\n", "parties/lawyer.yaml:1:1: error: missing key 'name' in the party file"),
            (
                "party: lawyer\nname: L\nkey: []\n",
                "parties/lawyer.yaml:3:1: error: unknown key 'key' in the party file; did you mean 'keys'?"
            ),
            (
                "party: lawyer\nname: L\nkeys:\n  - ed25519: not base64!\n",
                "parties/lawyer.yaml:4:14: error: 'ed25519' must be base64 (of the key's SubjectPublicKeyInfo DER)"
            ),
            (
                "party: lawyer\nname: L\nkeys:\n  - ed25519: AAAA\n",
                "parties/lawyer.yaml:4:14: error: 'ed25519' is not an Ed25519 public key (SubjectPublicKeyInfo DER, "
                    + "as `openssl pkey -pubout -outform DER` writes)"
            ),
            (
                "party: lawyer\nname: L\nkeys:\n  - ed25519: \(base64(key(1)))\n    since: 2026-02-30T00:00:00Z\n",
                "parties/lawyer.yaml:5:12: error: 'since' must be an RFC 3339 time such as 2026-01-01T00:00:00Z, "
                    + "not '2026-02-30T00:00:00Z'"
            ),
            (
                "party: lawyer\nname: L\nkeys:\n  - ed25519: \(base64(key(1)))\n    since: 2027-01-01T00:00:00Z\n"
                    + "    until: 2026-01-01T00:00:00Z\n",
                "parties/lawyer.yaml:6:12: error: 'until' must be later than 'since'"
            ),
            (
                "party: lawyer\nname: L\nkeys:\n  - ed25519: \(base64(key(1)))\n  - ed25519: \(base64(key(1)))\n",
                "parties/lawyer.yaml:5:5: error: key \(key(1).keyID) is listed twice"
            ),
            (
                "party: lawyer\nname: L\nkeys:\n  - ed25519: MCowBQYDK2VwAyEAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
                "parties/lawyer.yaml:4:14: error: 'ed25519' is a small-order point, for which anyone can forge "
                    + "signatures: it cannot be a key"
            ),
        ]
    )
    func mistakes(yaml: String, message: String) {
        let error = #expect(throws: Diagnostics.self) { try Self.party("parties/lawyer.yaml", yaml) }
        #expect(error?.all.map(\.description) == [message])
    }
}
