import CountersignKit
import Foundation
import Testing

/// Changes a tamperer might make to the files of a bag (the manifests are rewritten separately).
enum BundleTampering {
    static func url(_ bag: URL, _ file: String) -> URL { bag.appendingPathComponent(file) }

    static func padded(_ index: Int) -> String { String(format: "%08d", index) }

    static func entryFile(_ index: Int) -> String { "data/entries/\(padded(index)).dsse.json" }

    static func governanceFile(_ index: Int) -> String { "data/governance/\(padded(index)).dsse.json" }

    static func proofFile(_ index: Int) -> String { "data/proofs/\(padded(index)).tlog-proof" }

    static func read(_ bag: URL, _ file: String) throws -> [UInt8] { Array(try Data(contentsOf: url(bag, file))) }

    static func write(_ bytes: [UInt8], _ bag: URL, _ file: String) throws { try Data(bytes).write(to: url(bag, file)) }

    /// Replaces the first (or, with `last`, the last) occurrence of `old` in a text file.
    static func edit(_ bag: URL, _ file: String, _ old: String, _ new: String, last: Bool = false) throws {
        let text = try String(contentsOf: url(bag, file), encoding: .utf8)
        let range = try #require(text.range(of: old, options: last ? .backwards : []), "\(old) is not in \(file)")
        try Data(text.replacingCharacters(in: range, with: new).utf8).write(to: url(bag, file))
    }

    /// Changes the signed statement of an envelope file, keeping its signatures.
    static func editPayload(of bag: URL, file: String, _ old: String, _ new: String) throws {
        let envelope = try Envelope(bytes: try read(bag, file))
        let payload = String(decoding: envelope.payload, as: UTF8.self).replacingOccurrences(of: old, with: new)
        #expect(Array(payload.utf8) != envelope.payload)
        try edit(bag, file, Data(envelope.payload).base64EncodedString(), Data(payload.utf8).base64EncodedString())
    }

    /// Changes the signed statement of a case entry, keeping its signature.
    static func editPayload(of bag: URL, entry index: Int, _ old: String, _ new: String) throws {
        try editPayload(of: bag, file: entryFile(index), old, new)
    }

    /// Re-signs a case entry, unchanged, with `key`.
    static func resign(entry index: Int, in bag: URL, with key: Ed25519PrivateKey) throws {
        let statement = try Envelope(bytes: try read(bag, entryFile(index))).statement()
        try write(try Envelope.sign(statement: statement, key: key).bytes, bag, entryFile(index))
    }

    /// Rewrites a member entry's declaration with `change` and signs it with `keys` alone.
    static func resignMemberEntry(
        _ index: Int,
        in bag: URL,
        keys: [Ed25519PrivateKey],
        _ change: (MemberDeclaration) -> MemberDeclaration
    ) throws {
        let statement = try Envelope(bytes: try read(bag, governanceFile(index))).governanceStatement()
        guard case .member(let member) = statement.predicate.change else {
            Issue.record("governance entry \(index) is no member entry")
            return
        }
        let predicate = try GovernancePredicate(
            change: .member(change(member)),
            party: statement.predicate.party,
            signedAt: statement.predicate.signedAt,
            previous: statement.predicate.previous
        )
        let envelope = try Envelope.sign(
            statement: GovernanceStatement(subjects: statement.subjects, predicate: predicate),
            keys: keys
        )
        try write(envelope.bytes, bag, governanceFile(index))
    }

    /// Adds `envelope` as governance entry `index`, with a proof copied from another entry's and
    /// renumbered (it cannot lead to the root: the checks before the proofs must catch the entry).
    static func addGovernance(_ envelope: Envelope, at index: Int, to bag: URL, proofOf other: Int) throws {
        try write(envelope.bytes, bag, governanceFile(index))
        let proof = try TlogProof(parsing: try read(bag, proofFile(other)))
        let renumbered = try TlogProof(index: UInt64(index), hashes: proof.hashes, note: proof.note)
        try write(Array(renumbered.serialized.utf8), bag, proofFile(index))
    }

    /// Gives a party a fresh key (or `key`) in place of its own in its party file.
    @discardableResult
    static func replaceKey(in bag: URL, party: String, with key: Ed25519PublicKey? = nil) throws -> Ed25519PublicKey {
        let file = "data/parties/\(party).yaml"
        let text = try String(contentsOf: url(bag, file), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("ed25519:") })
        let fresh = try key ?? Ed25519PrivateKey().publicKey
        try edit(bag, file, String(line), "  - ed25519: \(Data(fresh.spkiDER).base64EncodedString())")
        return fresh
    }

    /// Changes the root hash line of `data/checkpoint.txt`, keeping its signatures.
    static func editCheckpointRoot(of bag: URL) throws {
        let text = try String(contentsOf: url(bag, "data/checkpoint.txt"), encoding: .utf8)
        let root = String(text.split(separator: "\n")[2])
        try edit(bag, "data/checkpoint.txt", root, MerkleHash.empty.base64)
    }

    /// Replaces the first hash of an entry's inclusion proof.
    static func editProof(of bag: URL, entry index: Int) throws {
        let proof = try TlogProof(parsing: try read(bag, proofFile(index)))
        try edit(bag, proofFile(index), proof.hashes[0].base64, MerkleHash.empty.base64)
    }

    static func swap(_ bag: URL, _ first: String, _ second: String) throws {
        let firstBytes = try Data(contentsOf: url(bag, first))
        try Data(contentsOf: url(bag, second)).write(to: url(bag, first))
        try firstBytes.write(to: url(bag, second))
    }

    static func copy(_ bag: URL, _ source: String, to destination: String) throws {
        try Data(contentsOf: url(bag, source)).write(to: url(bag, destination))
    }

    /// Removes a case entry and its proof.
    static func remove(entry index: Int, from bag: URL) throws {
        try FileManager.default.removeItem(at: url(bag, entryFile(index)))
        try FileManager.default.removeItem(at: url(bag, proofFile(index)))
    }

    /// Removes a governance entry and its proof.
    static func remove(governance index: Int, from bag: URL) throws {
        try FileManager.default.removeItem(at: url(bag, governanceFile(index)))
        try FileManager.default.removeItem(at: url(bag, proofFile(index)))
    }
}
