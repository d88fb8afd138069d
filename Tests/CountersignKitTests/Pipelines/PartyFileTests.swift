import CountersignKit
import Foundation
import Testing

@Suite("Party file writer")
struct PartyFileTests {
    static let first = PartyTests.key(1)
    static let second = PartyTests.key(2)
    static let firstText = PartyTests.base64(first)
    static let secondText = PartyTests.base64(second)

    static func adding(
        _ key: Ed25519PublicKey,
        to text: String?,
        name: String? = nil
    ) throws(ConfigurationError) -> String {
        let bytes = try PartyFile.adding(
            key,
            to: text.map { Array($0.utf8) },
            party: "registry",
            name: name,
            path: "parties/registry.yaml"
        )
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("a missing file is created with party, name and the key")
    func creates() throws {
        #expect(
            try Self.adding(Self.first, to: nil, name: "Land Registry")
                == "party: registry\nname: Land Registry\nkeys:\n  - ed25519: \(Self.firstText)\n"
        )
        #expect(try Self.adding(Self.first, to: nil).hasPrefix("party: registry\nname: registry\n"))
        #expect(
            try Self.adding(Self.first, to: nil, name: "Smith: Jones \"SJ\"").contains(
                "name: \"Smith: Jones \\\"SJ\\\"\"\n"
            )
        )
    }

    @Test(
        "a key is added to an existing file keeping its comments and layout",
        arguments: [
            (
                "# Land registry\nparty: registry\nkeys:\n  - ed25519: \(firstText)   # issued 2026\n"
                    + "    since: 2026-01-01T00:00:00Z\n\nname: Land Registry   # shown in reports\n",
                "# Land registry\nparty: registry\nkeys:\n  - ed25519: \(firstText)   # issued 2026\n"
                    + "    since: 2026-01-01T00:00:00Z\n  - ed25519: \(secondText)\n\nname: Land Registry   # shown in reports\n"
            ),
            (
                "party: registry\nname: Land Registry\nkeys: []   # none yet\n",
                "party: registry\nname: Land Registry\nkeys:   # none yet\n  - ed25519: \(secondText)\n"
            ),
            (
                "party: registry\nkeys:\nname: Land Registry\n",
                "party: registry\nkeys:\n  - ed25519: \(secondText)\nname: Land Registry\n"
            ),
            (
                "party: registry\nname: Land Registry",
                "party: registry\nname: Land Registry\nkeys:\n  - ed25519: \(secondText)\n"
            ),
            (
                "party: registry\nname: Land Registry\nkeys: [{ed25519: \(firstText)}]\n",
                "party: registry\nname: Land Registry\nkeys: [{ed25519: \(firstText)}, {ed25519: \(secondText)}]\n"
            ),
            (
                "party: registry\nname: Land Registry\nkeys:\n- ed25519: \(firstText)\n",
                "party: registry\nname: Land Registry\nkeys:\n- ed25519: \(firstText)\n- ed25519: \(secondText)\n"
            ),
        ]
    )
    func appends(before: String, after: String) throws {
        #expect(try Self.adding(Self.second, to: before, name: "ignored") == after)
    }

    @Test("a key already in the file is refused")
    func refusesDuplicate() {
        let text = "party: registry\nname: Land Registry\nkeys:\n  - ed25519: \(Self.firstText)\n"
        #expect {
            try Self.adding(Self.first, to: text)
        } throws: { error in
            (error as? ConfigurationError)?.description
                == "parties/registry.yaml already holds key \(Self.first.keyID)"
        }
    }

    @Test("an invalid existing file or party id is refused, not overwritten")
    func refusesInvalid() {
        #expect {
            try Self.adding(Self.first, to: "party: registry\n")
        } throws: { error in
            (error as? ConfigurationError)?.description
                == "parties/registry.yaml:1:1: error: missing key 'name' in the party file"
        }
        #expect(throws: ConfigurationError.self) {
            try PartyFile.adding(Self.first, to: nil, party: "Bad Party", name: nil, path: "parties/Bad Party.yaml")
        }
    }

    @Test("register creates the file, then adds to it, and the registry reads both keys")
    func registers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parties-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try PartyFile.register(
            Self.first,
            party: "lawyer",
            name: "Smith & Jones",
            directory: folder,
            displayPath: "parties"
        )
        #expect(created.keys.map(\.publicKey) == [Self.first])
        try PartyFile.register(Self.second, party: "lawyer", directory: folder, displayPath: "parties")
        let party = try Party(
            bytes: Array(try Data(contentsOf: folder.appendingPathComponent("lawyer.yaml"))),
            path: "parties/lawyer.yaml"
        )
        #expect(party.name == "Smith & Jones")
        #expect(party.keys.map(\.publicKey) == [Self.first, Self.second])
        #expect(throws: ConfigurationError.self) {
            try PartyFile.register(Self.second, party: "lawyer", directory: folder, displayPath: "parties")
        }
    }
}
