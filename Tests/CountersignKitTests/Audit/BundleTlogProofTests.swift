import CountersignKit
import Foundation
import Testing

@Suite("C2SP tlog-proof")
struct BundleTlogProofTests {
    /// The proof lines of the c2sp.org/tlog-proof example, followed by the signed checkpoint of the
    /// c2sp.org/tlog-checkpoint example (the proof example elides its signatures).
    static let specProofLines = """
        c2sp.org/tlog-proof@v1
        extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ
        index 73894
        gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=
        B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=
        EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=
        RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=
        AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=

        """
    static let specProof = specProofLines + "\n" + CheckpointTests.specNote

    /// Three entries, their tree and a log key: the tree's root is `node(node(l0, l1), l2)`.
    static let entries = ["first", "second", "third"].map { Array($0.utf8) }
    static let leaves = entries.map(MerkleHash.leaf)

    static func signedCheckpoint(size: UInt64, root: Digest) throws -> SignedNote {
        try Checkpoint(origin: "countersign.example/test", size: size, rootHash: root)
            .signed(by: try NoteSigner(name: "countersign.example/test", key: try Ed25519PrivateKey()))
    }

    @Test("the spec's proof parses into its parts and formats back to the same bytes")
    func specExample() throws {
        let proof = try TlogProof(parsing: Array(Self.specProof.utf8))
        #expect(proof.index == 73_894)
        #expect(proof.hashes.count == 5)
        #expect(proof.hashes[0].base64 == "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=")
        #expect(
            proof.extra == Data(base64Encoded: "YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ").map(Array.init)
        )
        #expect(proof.checkpoint.size == 20_852_163)
        #expect(proof.note.signatures.count == 2)
        #expect(proof.serialized == Self.specProof)
    }

    @Test("a hand-built proof has the exact layout: header, index, one hash per line, blank line, checkpoint")
    func handBuilt() throws {
        let root = MerkleHash.node(MerkleHash.node(Self.leaves[0], Self.leaves[1]), Self.leaves[2])
        let note = try Self.signedCheckpoint(size: 3, root: root)
        let sibling = MerkleHash.node(Self.leaves[0], Self.leaves[1])
        let proof = try TlogProof(index: 2, hashes: [sibling], note: note)
        #expect(proof.serialized == "c2sp.org/tlog-proof@v1\nindex 2\n\(sibling.base64)\n\n" + note.serialized)
        #expect(try TlogProof(parsing: Array(proof.serialized.utf8)) == proof)
        #expect(proof.includes(entry: Self.entries[2]))
        #expect(!proof.includes(entry: Self.entries[1]))
        #expect(!proof.includes(entry: Array("thirD".utf8)))

        let first = try TlogProof(index: 0, hashes: [Self.leaves[1], Self.leaves[2]], note: note)
        #expect(first.includes(entry: Self.entries[0]))
        let reordered = try TlogProof(index: 0, hashes: [Self.leaves[2], Self.leaves[1]], note: note)
        #expect(!reordered.includes(entry: Self.entries[0]))
        let tooShort = try TlogProof(index: 0, hashes: [Self.leaves[1]], note: note)
        #expect(tooShort.root(fromLeaf: Self.leaves[0]) == nil)
    }

    @Test("a one-entry tree's proof has no hash lines")
    func emptyPath() throws {
        let note = try Self.signedCheckpoint(size: 1, root: Self.leaves[0])
        let proof = try TlogProof(index: 0, hashes: [], note: note)
        #expect(proof.serialized == "c2sp.org/tlog-proof@v1\nindex 0\n\n" + note.serialized)
        #expect(try TlogProof(parsing: Array(proof.serialized.utf8)).includes(entry: Self.entries[0]))
    }

    @Test(
        "malformed proofs are refused, saying what is wrong",
        arguments: [
            ("c2sp.org/tlog-proof@v2\nindex 0\n\n", "the first line must be c2sp.org/tlog-proof@v1"),
            ("c2sp.org/tlog-proof@v1\nindex 07\n\n", "expected `index N` (decimal, no leading zeros)"),
            ("c2sp.org/tlog-proof@v1\nindex -1\n\n", "expected `index N`"),
            ("c2sp.org/tlog-proof@v1\n\n", "expected `index N`"),
            ("c2sp.org/tlog-proof@v1\nextra !!\nindex 0\n\n", "the extra line is not standard base64"),
            ("c2sp.org/tlog-proof@v1\nindex 0\nAAAA\n\n", "is not base64 of a 32-byte hash"),
            ("c2sp.org/tlog-proof@v1\nindex 0\n", "no blank line separates the proof from the checkpoint"),
            ("c2sp.org/tlog-proof@v1\nindex 30000000\n\n", "is outside the checkpoint's tree"),
        ]
    )
    func malformed(prefix: String, message: String) throws {
        let text = prefix + (prefix.hasSuffix("\n\n") ? CheckpointTests.specNote : "")
        do {
            _ = try TlogProof(parsing: Array(text.utf8))
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test("a proof whose checkpoint is not a signed checkpoint is refused")
    func badCheckpoint() throws {
        let text = "c2sp.org/tlog-proof@v1\nindex 0\n\nexample.com/log\n1\n"
        #expect(throws: BundleError.self) { try TlogProof(parsing: Array(text.utf8)) }
    }
}
