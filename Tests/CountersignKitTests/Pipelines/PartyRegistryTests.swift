import CountersignKit
import Foundation
import Testing

@Suite("Party registry")
struct PartyRegistryTests {
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

    static func registry(_ files: [(String, String)]) throws(Diagnostics) -> PartyRegistry {
        try PartyRegistry(files: files.map { (path: $0.0, bytes: Array($0.1.utf8)) })
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
        let registry = try Self.registry([
            ("parties/bank.yaml", "party: bank\nname: First Bank\nkeys: []\n"),
            ("parties/registry.yaml", "party: registry\nname: Land Registry\n"),
        ])
        #expect(registry.partyIDs == ["bank", "registry"])
        #expect(registry.party("bank")?.keys.isEmpty == true)
        #expect(registry.parties.map(\.id) == ["bank", "registry"])
    }

    @Test("look-up by key id finds the party, and the window decides validity at a time")
    func keyWindows() throws {
        let registry = try Self.registry([("parties/lawyer.yaml", Self.lawyer)])
        let old = Self.key(1).keyID
        let new = Self.key(2).keyID
        #expect(registry.key(withID: old)?.party.id == "lawyer")
        let before = Timestamp.parse("2026-12-31T23:59:59Z")!
        let boundary = Timestamp.parse("2027-01-01T00:00:00Z")!
        #expect(registry.key(for: old, at: before).isValid)
        #expect(
            registry.key(for: old, at: boundary)
                == .expired(party: registry.party("lawyer")!, key: registry.party("lawyer")!.keys[0])
        )
        #expect(
            registry.key(for: new, at: before)
                == .notYetValid(party: registry.party("lawyer")!, key: registry.party("lawyer")!.keys[1])
        )
        #expect(registry.key(for: new, at: boundary).isValid)
        #expect(registry.key(for: new, at: boundary).party?.id == "lawyer")
        #expect(registry.key(for: Self.key(3).keyID, at: boundary) == .unknown(keyID: Self.key(3).keyID))
        #expect(
            registry.key(for: old, at: boundary).description
                == "key \(old) of party 'lawyer' is not valid from 2027-01-01T00:00:00Z"
        )
    }

    @Test("key id is the hex SHA-256 of the raw public key")
    func keyID() throws {
        let registry = try Self.registry([("parties/lawyer.yaml", Self.lawyer)])
        let key = try #require(registry.party("lawyer")?.keys.first)
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
        ]
    )
    func mistakes(yaml: String, message: String) {
        let error = #expect(throws: Diagnostics.self) { try Self.registry([("parties/lawyer.yaml", yaml)]) }
        #expect(error?.all.map(\.description) == [message])
    }

    @Test("a key may belong to one party only")
    func sharedKey() {
        let line = "keys:\n  - ed25519: \(Self.base64(Self.key(1)))\n"
        let error = #expect(throws: Diagnostics.self) {
            try Self.registry([
                ("parties/bank.yaml", "party: bank\nname: B\n" + line),
                ("parties/lawyer.yaml", "party: lawyer\nname: L\n" + line),
            ])
        }
        #expect(
            error?.all.map(\.description) == [
                "parties/lawyer.yaml:4:5: error: key \(Self.key(1).keyID) already belongs to party 'bank'"
            ]
        )
    }

    @Test("a workspace folder loads every .yaml file; a missing folder is an empty registry")
    func loadsFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parties-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try PartyRegistry.load(directory: folder, displayPath: "parties").parties.isEmpty)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Self.lawyer.utf8).write(to: folder.appendingPathComponent("lawyer.yaml"))
        try Data("not a party".utf8).write(to: folder.appendingPathComponent("README.md"))
        let registry = try PartyRegistry.load(directory: folder, displayPath: "parties")
        #expect(registry.partyIDs == ["lawyer"])
        try Data("party: bank\n".utf8).write(to: folder.appendingPathComponent("bank.yaml"))
        #expect {
            try PartyRegistry.load(directory: folder, displayPath: "parties")
        } throws: { error in
            (error as? ConfigurationError)?.description
                == "parties/bank.yaml:1:1: error: missing key 'name' in the party file"
        }
    }
}
