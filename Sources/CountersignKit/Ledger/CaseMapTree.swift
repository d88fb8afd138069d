/// The case-head map held in memory and brought up to date incrementally, for recomputing it from
/// the log (`log verify`): leaves are kept in buckets by their key's first `bucketBits` bits, and
/// only buckets whose leaves changed are hashed again, so each root costs about the changed cases
/// times the tree's depth plus the buckets in use, not a rebuild of the whole map.
struct CaseMapTree {
    static let bucketBits = 16

    private struct Bucket {
        var leaves: [CaseMapHash: CaseMapHash] = [:]
        var hash: CaseMapHash?
    }

    private var buckets: [Int: Bucket] = [:]
    private var sortedBucketIDs: [Int] = []

    /// Sets the head of `head.caseID` (adding the case when it is new).
    mutating func set(_ head: CaseHead) {
        let key = CaseMapHash(CaseMap.key(of: head.caseID))
        let id = Self.bucketID(of: key)
        if buckets[id] == nil {
            buckets[id] = Bucket()
            sortedBucketIDs.insert(id, at: sortedBucketIDs.partitioningIndex { $0 > id })
        }
        buckets[id]!.leaves[key] = CaseMap.leaf(key: key, value: CaseMapHash(CaseMap.valueHash(of: head)))
        buckets[id]!.hash = nil
    }

    /// The root over every head set so far.
    mutating func root() -> Digest {
        for id in sortedBucketIDs where buckets[id]!.hash == nil {
            let leaves = buckets[id]!.leaves.map { CaseMap.Leaf(key: $0.key, hash: $0.value) }.sorted {
                $0.key < $1.key
            }
            buckets[id]!.hash = CaseMap.subtree(leaves[...], depth: Self.bucketBits)
        }
        return combine(sortedBucketIDs[...], depth: 0).hash.digest
    }

    /// `node(S, depth)` over the buckets `ids` (all under one position of that depth), with the
    /// number of leaves under them.
    private func combine(_ ids: ArraySlice<Int>, depth: Int) -> (count: Int, hash: CaseMapHash) {
        guard let first = ids.first else { return (0, .zero) }
        if ids.count == 1, depth == Self.bucketBits || buckets[first]!.leaves.count == 1 {
            return (buckets[first]!.leaves.count, buckets[first]!.hash!)
        }
        let bit = Self.bucketBits - 1 - depth
        let split = ids.partitioningIndex { ($0 >> bit) & 1 == 1 }
        let left = combine(ids[..<split], depth: depth + 1)
        let right = combine(ids[split...], depth: depth + 1)
        if left.count + right.count == 1 { return (1, left.count == 1 ? left.hash : right.hash) }
        return (left.count + right.count, CaseMap.node(left.hash, right.hash))
    }

    private static func bucketID(of key: CaseMapHash) -> Int {
        (0..<bucketBits).reduce(0) { $0 << 1 | key.bit($1) }
    }
}
