import CountersignKit
import Foundation
import Testing

/// Changes a tamperer might make to the files of a bag (the manifests are rewritten separately).
enum BundleTampering {
    static func url(_ bag: URL, _ file: String) -> URL { bag.appendingPathComponent(file) }

    static func entryFile(_ index: Int) -> String { "data/entries/\(String(format: "%08d", index)).dsse.json" }

    static func proofFile(_ index: Int) -> String { "data/proofs/\(String(format: "%08d", index)).tlog-proof" }

    /// Replaces the first (or, with `last`, the last) occurrence of `old` in a text file.
    static func edit(_ bag: URL, _ file: String, _ old: String, _ new: String, last: Bool = false) throws {
        let text = try String(contentsOf: url(bag, file), encoding: .utf8)
        let range = try #require(text.range(of: old, options: last ? .backwards : []), "\(old) is not in \(file)")
        try Data(text.replacingCharacters(in: range, with: new).utf8).write(to: url(bag, file))
    }

    /// Changes the signed statement of an entry, keeping its signature.
    static func editPayload(of bag: URL, entry index: Int, _ old: String, _ new: String) throws {
        let file = entryFile(index)
        let envelope = try Envelope(bytes: Array(try Data(contentsOf: url(bag, file))))
        let payload = String(decoding: envelope.payload, as: UTF8.self).replacingOccurrences(of: old, with: new)
        #expect(Array(payload.utf8) != envelope.payload)
        try edit(bag, file, Data(envelope.payload).base64EncodedString(), Data(payload.utf8).base64EncodedString())
    }

    /// Gives a party a fresh key in place of its own.
    static func replaceKey(in bag: URL, party: String) throws {
        let file = "data/parties/\(party).yaml"
        let text = try String(contentsOf: url(bag, file), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("ed25519:") })
        let fresh = Data(try Ed25519PrivateKey().publicKey.spkiDER).base64EncodedString()
        try edit(bag, file, String(line), "  - ed25519: \(fresh)")
    }

    /// Changes the root hash line of `data/checkpoint.txt`, keeping its signatures.
    static func editCheckpointRoot(of bag: URL) throws {
        let text = try String(contentsOf: url(bag, "data/checkpoint.txt"), encoding: .utf8)
        let root = String(text.split(separator: "\n")[2])
        try edit(bag, "data/checkpoint.txt", root, MerkleHash.empty.base64)
    }

    /// Replaces the first hash of an entry's inclusion proof.
    static func editProof(of bag: URL, entry index: Int) throws {
        let proof = try TlogProof(parsing: Array(try Data(contentsOf: url(bag, proofFile(index)))))
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

    /// Removes an entry and its proof.
    static func remove(entry index: Int, from bag: URL) throws {
        try FileManager.default.removeItem(at: url(bag, entryFile(index)))
        try FileManager.default.removeItem(at: url(bag, proofFile(index)))
    }
}
