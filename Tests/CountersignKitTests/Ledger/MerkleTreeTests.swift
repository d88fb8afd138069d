import CountersignKit
import Testing

/// A straightforward recursive RFC 6962 reference over the leaves themselves.
enum ReferenceMerkle {
    static func hash(_ leaves: ArraySlice<Digest>) -> Digest {
        if leaves.isEmpty { return MerkleHash.empty }
        if leaves.count == 1 { return leaves.first! }
        let k = split(leaves.count)
        let start = leaves.startIndex
        return MerkleHash.node(hash(leaves[start..<start + k]), hash(leaves[(start + k)...]))
    }

    static func path(_ m: Int, _ leaves: ArraySlice<Digest>) -> [Digest] {
        if leaves.count <= 1 { return [] }
        let k = split(leaves.count)
        let start = leaves.startIndex
        let left = leaves[start..<start + k]
        let right = leaves[(start + k)...]
        return m < k ? path(m, left) + [hash(right)] : path(m - k, right) + [hash(left)]
    }

    static func proof(_ m: Int, _ leaves: ArraySlice<Digest>) -> [Digest] {
        m == 0 || m == leaves.count ? [] : subproof(m, leaves, true)
    }

    static func subproof(_ m: Int, _ leaves: ArraySlice<Digest>, _ complete: Bool) -> [Digest] {
        if m == leaves.count { return complete ? [] : [hash(leaves)] }
        let k = split(leaves.count)
        let start = leaves.startIndex
        let left = leaves[start..<start + k]
        let right = leaves[(start + k)...]
        return m <= k ? subproof(m, left, complete) + [hash(right)] : subproof(m - k, right, false) + [hash(left)]
    }

    private static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}

@Suite("Merkle tree (RFC 6962 / RFC 9162)")
struct MerkleTreeTests {
    static let classicLeaves = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ]
    /// The published roots of the first 1...8 classic certificate-transparency test leaves.
    static let classicRoots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    @Test("the empty tree hashes to SHA-256 of nothing")
    func emptyTree() throws {
        var tree = MerkleTree(InMemorySubtrees())
        #expect(try tree.root(size: 0).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("roots of the 8 classic leaves match RFC 6962 test vectors", arguments: 1...8)
    func classicRoots(size: Int) throws {
        let leaves = Self.classicLeaves.prefix(size).map { MerkleHash.leaf([UInt8](hex: $0)!) }
        var tree = MerkleTree(InMemorySubtrees(leaves: leaves))
        #expect(try tree.root(size: size).hex == Self.classicRoots[size - 1])
        #expect(ReferenceMerkle.hash(leaves[...]).hex == Self.classicRoots[size - 1])
    }

    static let leaves = (0..<64).map { MerkleHash.leaf(Array("leaf \($0)".utf8)) }

    @Test("inclusion proofs equal the reference and verify, for every index of every size up to 64")
    func inclusionProofs() throws {
        var tree = MerkleTree(InMemorySubtrees(leaves: Self.leaves))
        for size in 1...64 {
            let root = ReferenceMerkle.hash(Self.leaves[..<size])
            #expect(try tree.root(size: size) == root)
            for index in 0..<size {
                let proof = try tree.inclusionProof(index: index, size: size)
                #expect(proof == ReferenceMerkle.path(index, Self.leaves[..<size]))
                #expect(
                    MerkleProofVerifier.verifyInclusion(
                        leaf: Self.leaves[index],
                        index: index,
                        size: size,
                        proof: proof,
                        root: root
                    )
                )
                let wrongLeaf = Self.leaves[(index + 1) % 64]
                #expect(
                    !MerkleProofVerifier.verifyInclusion(
                        leaf: wrongLeaf,
                        index: index,
                        size: size,
                        proof: proof,
                        root: root
                    )
                )
            }
        }
    }

    @Test("consistency proofs equal the reference and verify, for every (m, n) with n up to 64")
    func consistencyProofs() throws {
        var tree = MerkleTree(InMemorySubtrees(leaves: Self.leaves))
        for newSize in 1...64 {
            let newRoot = ReferenceMerkle.hash(Self.leaves[..<newSize])
            for oldSize in 1...newSize {
                let oldRoot = ReferenceMerkle.hash(Self.leaves[..<oldSize])
                let proof = try tree.consistencyProof(from: oldSize, to: newSize)
                #expect(proof == ReferenceMerkle.proof(oldSize, Self.leaves[..<newSize]))
                #expect(
                    MerkleProofVerifier.verifyConsistency(
                        oldSize: oldSize,
                        oldRoot: oldRoot,
                        newSize: newSize,
                        newRoot: newRoot,
                        proof: proof
                    )
                )
                if oldSize < newSize {
                    let forged = ReferenceMerkle.hash(Self.leaves[1...oldSize])
                    #expect(
                        !MerkleProofVerifier.verifyConsistency(
                            oldSize: oldSize,
                            oldRoot: forged,
                            newSize: newSize,
                            newRoot: newRoot,
                            proof: proof
                        )
                    )
                }
            }
        }
    }

    @Test("a proof of the wrong length or for another size fails")
    func malformedProofs() throws {
        var tree = MerkleTree(InMemorySubtrees(leaves: Self.leaves))
        let root = try tree.root(size: 13)
        let proof = try tree.inclusionProof(index: 5, size: 13)
        let leaf = Self.leaves[5]
        #expect(
            !MerkleProofVerifier.verifyInclusion(leaf: leaf, index: 5, size: 13, proof: proof.dropLast(), root: root)
        )
        #expect(!MerkleProofVerifier.verifyInclusion(leaf: leaf, index: 5, size: 13, proof: proof + [leaf], root: root))
        #expect(!MerkleProofVerifier.verifyInclusion(leaf: leaf, index: 5, size: 6, proof: proof, root: root))
        #expect(throws: LedgerError.indexOutOfRange(index: 13, size: 13)) {
            try tree.inclusionProof(index: 13, size: 13)
        }
    }
}
