/// The case-head map recomputed from the log, for `log verify`: every case entry read in log
/// order moves its case's head, and at each stored checkpoint's size the heads that moved are
/// evaluated (their entries replayed under the case's pipeline version, the consortium as the log's
/// governance entries make it) and the map's root compared with the checkpoint's
/// `countersign.dev/case-map` line. A map that lies about any case — its count, its newest entry,
/// its outcome — is caught by any member holding the log, whoever signed it.
struct CaseMapAudit {
    let store: any LedgerStore
    private var tree = CaseMapTree()
    /// Each case's entries so far, and the newest.
    private var heads: [String: (count: Int, index: Int, leaf: Digest)] = [:]
    private var changed: Set<String> = []
    /// Cases whose outcome at the last checkpoint was closed.
    private var closed: [String: (outcome: String, size: Int)] = [:]
    /// The root at each checkpoint size reached, `nil` where a case could not be evaluated.
    private var roots: [Int: Digest?] = [:]

    init(store: any LedgerStore) {
        self.store = store
    }

    /// Moves the head of the entry's case (entries outside any case are left out).
    mutating func record(_ entry: LedgerEntry) {
        guard let caseID = entry.caseID, LedgerChain.isCase(caseID) else { return }
        heads[caseID] = ((heads[caseID]?.count ?? 0) + 1, entry.index, entry.leafHash)
        changed.insert(caseID)
    }

    /// The map at log size `size` (every entry below it recorded), with the problems found on the
    /// way: a case that cannot be evaluated, or one that took entries after it was closed.
    mutating func root(at size: Int, governance: GovernanceState) -> (root: Digest?, problems: [String]) {
        if let root = roots[size] { return (root, []) }
        let changes = changed.sorted().map { caseID in
            let head = heads[caseID]!
            return CaseHeadChange(caseID: caseID, count: head.count, headIndex: head.index, headLeaf: head.leaf)
        }
        let repository = CaseRepository(ledger: Ledger(store: store), governance: governance)
        var problems: [String] = []
        var evaluable = true
        for change in changes {
            if let previous = closed[change.caseID] {
                problems.append(
                    "case \(change.caseID) took entries after it was \(previous.outcome) (by log size \(previous.size)), "
                        + "up to entry \(change.headIndex)"
                )
            }
            do {
                guard let outcome = try repository.outcomes(of: [change])[change.caseID] else { continue }
                let head = CaseHead(
                    caseID: change.caseID,
                    count: change.count,
                    headLeaf: change.headLeaf,
                    outcome: outcome
                )
                tree.set(head)
                if head.isClosed, closed[change.caseID] == nil { closed[change.caseID] = (outcome, size) }
            } catch {
                evaluable = false
                problems.append(
                    "case \(change.caseID) cannot be evaluated for the case-head map at log size \(size): \(error)"
                )
            }
        }
        changed = []
        let root = evaluable ? tree.root() : nil
        roots[size] = root
        return (root, problems)
    }
}
