/// Checks RFC 9162 proofs using nothing but the hashes (RFC 9162 §2.1.3.2 and §2.1.4.2).
public enum MerkleProofVerifier {
    /// The root an inclusion proof leads to, or `nil` if the proof has the wrong shape.
    public static func root(
        leaf: Digest,
        index: Int,
        size: Int,
        proof: [Digest]
    ) -> Digest? {
        guard index >= 0, index < size else { return nil }
        var fn = index
        var sn = size - 1
        var r = leaf
        for p in proof {
            guard sn != 0 else { return nil }
            if fn & 1 == 1 || fn == sn {
                r = MerkleHash.node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = MerkleHash.node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? r : nil
    }

    /// Whether `proof` shows leaf `index` is in the tree of `size` leaves with `root`.
    public static func verifyInclusion(
        leaf: Digest,
        index: Int,
        size: Int,
        proof: [Digest],
        root: Digest
    ) -> Bool {
        self.root(leaf: leaf, index: index, size: size, proof: proof) == root
    }

    /// Whether `proof` shows the tree `(oldSize, oldRoot)` is a prefix of `(newSize, newRoot)`.
    public static func verifyConsistency(
        oldSize: Int,
        oldRoot: Digest,
        newSize: Int,
        newRoot: Digest,
        proof: [Digest]
    ) -> Bool {
        guard oldSize >= 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        guard !path.isEmpty else { return false }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = MerkleHash.node(c, fr)
                sr = MerkleHash.node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = MerkleHash.node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && fr == oldRoot && sr == newRoot
    }
}
