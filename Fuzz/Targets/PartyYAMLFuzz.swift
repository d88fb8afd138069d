import CountersignKit

/// Party files (`Party(bytes:path:)`) and the writer `countersign keygen` edits them with
/// (`PartyFile.adding`): reading is deterministic; adding a key to an accepted file gives a file
/// that reads as the same party with exactly that key more (or is refused as not editable, never
/// half-edited); and a new file written for the party's name reads back with that name.
enum PartyYAMLFuzz {
    static let path = "parties/fuzz.yaml"
    /// The key added: the fixture witness key, which no seed holds.
    static let key = FuzzFixtures.witnessKey.publicKey

    static let target = FuzzTarget(name: "party-yaml", dictionary: "yaml") { bytes throws(FuzzFailure) in
        let party: Party
        do {
            party = try Party(bytes: bytes, path: path)
        } catch {
            try FuzzFailure.expect((try? Party(bytes: bytes, path: path)) == nil, "a refused file is accepted next")
            return
        }
        try FuzzFailure.expect((try? Party(bytes: bytes, path: path)) == party, "reading twice gives two parties")
        try FuzzFailure.expect(party.bytes == bytes, "the party does not keep its file's bytes")
        try checkAdding(to: party, bytes: bytes)
        let created: [UInt8]
        do {
            created = try PartyFile.adding(key, to: nil, party: party.id, name: party.name, path: path)
        } catch {
            throw FuzzFailure("no new file can be written for the party: \(error)")
        }
        let reread = try? Party(bytes: created, path: path)
        try FuzzFailure.expect(
            reread?.id == party.id && reread?.name == party.name && reread?.keys == [PartyKey(publicKey: key)],
            "a new file for name \(String(reflecting: party.name)) reads back as another party"
        )
    }

    private static func checkAdding(to party: Party, bytes: [UInt8]) throws(FuzzFailure) {
        let edited: [UInt8]
        do {
            edited = try PartyFile.adding(key, to: bytes, party: party.id, name: nil, path: path)
        } catch .notEditable, .keyAlreadyRegistered {
            return
        } catch {
            throw FuzzFailure("adding a key to an accepted file fails: \(error)")
        }
        let after = try? Party(bytes: edited, path: path)
        try FuzzFailure.expect(
            after?.id == party.id && after?.name == party.name
                && after?.keys == party.keys + [PartyKey(publicKey: key)],
            "the edited file is not the party with one key more"
        )
    }
}
