import Foundation

/// The case-head map every checkpoint commits to (docs/CASE-MAP.md): a sparse Merkle tree keyed by
/// SHA-256 of the case id, whose leaf for each case hashes its head (entry count, newest entry's
/// leaf hash, outcome). A subtree holding one case is that case's leaf, so paths are about
/// log2(cases) deep. Its root is the checkpoint's `countersign.dev/case-map` line.
public enum CaseMap {
    /// The checkpoint extension line's first word.
    public static let extensionPrefix = "countersign.dev/case-map "
    /// The first line of a case's head text.
    public static let headTextTag = "countersign.dev/case-head/v1"
    /// The root of an empty map (and the hash of an empty subtree): 32 zero bytes.
    public static let emptyRoot = CaseMapHash.zero.digest

    /// The key of `caseID`: SHA-256 of its UTF-8 bytes.
    public static func key(of caseID: String) -> Digest {
        SHA256.hash(Array(caseID.utf8))
    }

    /// The five lines a case's value hash is taken over.
    public static func headText(_ head: CaseHead) -> String {
        [headTextTag, head.caseID, String(head.count), head.headLeaf.hex, head.outcome].map { $0 + "\n" }.joined()
    }

    /// SHA-256 of the head text.
    public static func valueHash(of head: CaseHead) -> Digest {
        SHA256.hash(Array(headText(head).utf8))
    }

    /// The case's leaf hash: SHA-256(0x00 || key || value hash).
    public static func leafHash(of head: CaseHead) -> Digest {
        leaf(key: CaseMapHash(key(of: head.caseID)), value: CaseMapHash(valueHash(of: head))).digest
    }

    static func leaf(key: CaseMapHash, value: CaseMapHash) -> CaseMapHash {
        CaseMapHash.hash(tag: 0x00, key, value)
    }

    static func node(_ left: CaseMapHash, _ right: CaseMapHash) -> CaseMapHash {
        CaseMapHash.hash(tag: 0x01, left, right)
    }

    /// One leaf of the map: its key, value hash and leaf hash.
    struct Leaf: Sendable {
        var key: CaseMapHash
        var value: CaseMapHash
        var hash: CaseMapHash

        init(key: CaseMapHash, value: CaseMapHash) {
            self.key = key
            self.value = value
            hash = CaseMap.leaf(key: key, value: value)
        }

        init(key: CaseMapHash, hash: CaseMapHash) {
            self.key = key
            value = .zero
            self.hash = hash
        }
    }

    /// `node(S, depth)` of docs/CASE-MAP.md for `leaves`, sorted by key, all under one position
    /// of that depth; `emit` is told every node of the subtree (for storing it).
    static func subtree(
        _ leaves: ArraySlice<Leaf>,
        depth: Int,
        emit: ((CaseMapPosition, CaseMapNode) -> Void)? = nil
    ) -> CaseMapHash {
        guard let first = leaves.first else { return .zero }
        if leaves.count == 1 {
            emit?(
                CaseMapPosition(depth: depth, key: first.key),
                CaseMapNode(kind: .leaf, first: first.key, second: first.value)
            )
            return first.hash
        }
        precondition(depth < 256, "two leaves of the case map share a key")
        let split = leaves.partitioningIndex { $0.key.bit(depth) == 1 }
        let left = subtree(leaves[..<split], depth: depth + 1, emit: emit)
        let right = subtree(leaves[split...], depth: depth + 1, emit: emit)
        emit?(
            CaseMapPosition(depth: depth, key: first.key),
            CaseMapNode(kind: .inner, first: left, second: right)
        )
        return node(left, right)
    }

    /// The root over `heads` computed from nothing else (for tests and small maps).
    public static func root(of heads: [CaseHead]) -> Digest {
        let leaves = heads.map { Leaf(key: CaseMapHash(key(of: $0.caseID)), value: CaseMapHash(valueHash(of: $0))) }
        return subtree(leaves.sorted { $0.key < $1.key }[...], depth: 0).digest
    }
}

extension Collection {
    /// The first index whose element satisfies `belongsToSecondPart`, in a collection where every
    /// such element follows every other (a binary search).
    func partitioningIndex(where belongsToSecondPart: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if belongsToSecondPart(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}

extension CaseMap {
    /// The root a case-head proof leads to: the leaf of `head` folded with `siblings`, listed from
    /// the leaf up (the leaf sits at depth `siblings.count`).
    public static func root(of head: CaseHead, siblings: [Digest]) -> Digest? {
        let key = CaseMapHash(key(of: head.caseID))
        var hash = leaf(key: key, value: CaseMapHash(valueHash(of: head)))
        for (number, sibling) in siblings.enumerated() {
            guard let sibling = CaseMapHash(sibling.bytes) else { return nil }
            let depth = siblings.count - number - 1
            hash = key.bit(depth) == 0 ? node(hash, sibling) : node(sibling, hash)
        }
        return hash.digest
    }
}
