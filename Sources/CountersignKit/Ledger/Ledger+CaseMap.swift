import Foundation

extension Ledger {
    /// The root of the case-head map at log size `size`, stored as a new version of the map when
    /// there is none yet: the heads of the cases with entries since the newest stored version below
    /// it are merged into that one. `outcomes` gives the outcome each changed case's entries below
    /// `size` record (the engine's to judge), by case id.
    public func caseMapRoot(
        at size: Int,
        outcomes: ([CaseHeadChange]) throws -> [String: String]
    ) throws -> Digest {
        let base = try store.caseMapVersion(atOrBelow: size)
        if let base, base.version == size { return base.root }
        let changes = try store.caseHeadChanges(in: (base?.version ?? 0)..<size)
        let outcome = try outcomes(changes)
        let heads = try changes.map { change in
            guard let recorded = outcome[change.caseID], CaseHead.outcomes.contains(recorded) else {
                throw LedgerError.caseMapOutcomeMissing(caseID: change.caseID)
            }
            return CaseHead(caseID: change.caseID, count: change.count, headLeaf: change.headLeaf, outcome: recorded)
        }
        let (root, nodes) = try CaseMapUpdate(store: store, base: base?.version).apply(heads)
        try store.saveCaseMap(version: size, root: root, nodes: nodes, heads: heads)
        return try store.caseMapVersion(atOrBelow: size)?.root ?? root
    }

    /// `caseID`'s head in the stored map at log size `version` and the sibling hashes of its path,
    /// from the leaf up; `nil` when that version is not stored or holds no such case. Throws when
    /// the stored nodes do not lead to the stored head (the tables were altered).
    public func caseHeadPath(of caseID: String, version: Int) throws -> (head: CaseHead, siblings: [Digest])? {
        guard let stored = try store.caseMapVersion(atOrBelow: version), stored.version == version else { return nil }
        let key = CaseMapHash(CaseMap.key(of: caseID))
        var siblings: [Digest] = []
        // The path's positions are known from the key alone: read them a batch of levels at a time
        // (24 levels cover some 16 million cases).
        for batch in stride(from: 0, to: 256, by: 24) {
            let positions = (batch..<min(batch + 24, 256)).map { CaseMapPosition(depth: $0, key: key) }
            let nodes = try store.caseMapNodes(at: positions, version: version)
            for position in positions {
                guard let node = nodes[position] else { return nil }
                switch node.kind {
                case .inner:
                    siblings.append(key.bit(position.depth) == 0 ? node.second : node.first)
                case .leaf:
                    guard node.firstHash == key else { return nil }
                    guard let head = try store.caseHeads(of: [caseID], version: version)[caseID],
                        CaseMap.valueHash(of: head) == node.second
                    else {
                        throw LedgerError.caseMapDamaged(caseID: caseID, version: version)
                    }
                    siblings.reverse()
                    guard CaseMap.root(of: head, siblings: siblings) == stored.root else {
                        throw LedgerError.caseMapDamaged(caseID: caseID, version: version)
                    }
                    return (head, siblings)
                }
            }
        }
        return nil
    }
}
