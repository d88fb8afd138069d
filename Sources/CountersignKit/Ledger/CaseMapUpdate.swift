import Foundation

/// One new version of the stored case-head map: the heads that changed since the version it starts
/// from, merged into that version's tree. Only the paths of the changed cases are read and
/// rewritten, one level at a time (one store query per level, whatever the number of cases), so a
/// checkpoint costs work and storage proportional to the cases that changed.
struct CaseMapUpdate {
    let store: any CaseMapStore
    /// The version the update starts from (`nil`: an empty map).
    let base: Int?

    /// A position still to be worked out: the changed leaves under it (`range` of the sorted
    /// changes) and, once read, what the base version holds there.
    private struct Item {
        var range: Range<Int>
        var hash: CaseMapHash?
        var left: Child = .stored(.zero)
        var right: Child = .stored(.zero)
    }

    private enum Child {
        case stored(CaseMapHash)
        case item(Int)
    }

    /// The new root, and the nodes to store for it, after setting every head of `heads` (one per
    /// case).
    func apply(_ heads: [CaseHead]) throws -> (root: Digest, nodes: [CaseMapPosition: CaseMapNode]) {
        let changes = heads.map {
            CaseMap.Leaf(key: CaseMapHash(CaseMap.key(of: $0.caseID)), value: CaseMapHash(CaseMap.valueHash(of: $0)))
        }.sorted { $0.key < $1.key }
        var nodes: [CaseMapPosition: CaseMapNode] = [:]
        let emit: (CaseMapPosition, CaseMapNode) -> Void = { nodes[$0] = $1 }
        guard !changes.isEmpty else {
            let root = try base.flatMap { try store.caseMapVersion(atOrBelow: $0)?.root } ?? CaseMap.emptyRoot
            return (root, [:])
        }
        // Top down: read each level's positions at once, and split the changes under inner nodes.
        var levels: [[Item]] = [[Item(range: 0..<changes.count)]]
        var depth = 0
        while depth < levels.count {
            let positions = levels[depth].map {
                CaseMapPosition(depth: depth, key: changes[$0.range.lowerBound].key)
            }
            let stored = try base.map { try store.caseMapNodes(at: positions, version: $0) } ?? [:]
            var next: [Item] = []
            for (number, position) in positions.enumerated() {
                var item = levels[depth][number]
                let under = changes[item.range]
                switch stored[position] {
                case .some(let node) where node.kind == .inner:
                    let split = under.partitioningIndex { $0.key.bit(depth) == 1 }
                    item.left = .stored(node.firstHash)
                    item.right = .stored(node.secondHash)
                    if split > item.range.lowerBound {
                        item.left = .item(next.count)
                        next.append(Item(range: item.range.lowerBound..<split))
                    }
                    if split < item.range.upperBound {
                        item.right = .item(next.count)
                        next.append(Item(range: split..<item.range.upperBound))
                    }
                case .some(let node):
                    // A leaf: nothing was ever below it, so the subtree is built afresh, the leaf
                    // moving down beside the changes unless one of them replaces it.
                    var leaves = Array(under)
                    let key = node.firstHash
                    if !leaves.contains(where: { $0.key == key }) {
                        leaves.append(CaseMap.Leaf(key: key, value: node.secondHash))
                        leaves.sort { $0.key < $1.key }
                    }
                    item.hash = CaseMap.subtree(leaves[...], depth: depth, emit: emit)
                case .none:
                    item.hash = CaseMap.subtree(under, depth: depth, emit: emit)
                }
                levels[depth][number] = item
            }
            if !next.isEmpty { levels.append(next) }
            depth += 1
        }
        // Bottom up: hash the inner nodes on the changed paths.
        for depth in levels.indices.reversed() {
            for number in levels[depth].indices where levels[depth][number].hash == nil {
                let item = levels[depth][number]
                func hash(_ child: Child) -> CaseMapHash {
                    switch child {
                    case .stored(let hash): hash
                    case .item(let index): levels[depth + 1][index].hash!
                    }
                }
                let left = hash(item.left)
                let right = hash(item.right)
                let position = CaseMapPosition(depth: depth, key: changes[item.range.lowerBound].key)
                nodes[position] = CaseMapNode(kind: .inner, first: left, second: right)
                levels[depth][number].hash = CaseMap.node(left, right)
            }
        }
        return (levels[0][0].hash!.digest, nodes)
    }
}
