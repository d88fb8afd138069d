extension BundleVerifier {
    /// The bag holds the whole case, up to the checkpoint: `data/case-head.proof` leads from the
    /// case's head — its entry count, its newest entry's leaf hash and its outcome — to the
    /// case-head map root the checkpoint signs (docs/CASE-MAP.md), and that head is the bag's:
    /// as many entries, the last of them the head, and the outcome the replay ended in. So no
    /// entry can be left out, the last ones least of all.
    func checkCaseHead(_ contents: BundleContents, bag: Bag, outcome: CaseOutcome?, _ log: inout CheckLog) {
        let path = Bag.payloadFolder + "/" + BundleLayout.caseHeadProof.joined(separator: "/")
        guard let bytes = bag.payload[path] else {
            log.fail("case-head: \(path) is missing, so nothing proves the bag holds the whole case", about: path)
            return
        }
        let proof: CaseHeadProof
        do {
            proof = try CaseHeadProof(parsing: bytes)
        } catch {
            log.fail("case-head: \(path): \(error)", about: path)
            return
        }
        guard proof.note.serialized == contents.note.serialized else {
            log.fail("case-head: \(path) leads to another checkpoint than data/checkpoint.txt", about: path)
            return
        }
        let size = contents.checkpoint.size
        guard let mapRoot = contents.checkpoint.caseMapRoot else {
            log.fail(
                "case-head: checkpoint \(size) commits to no case-head map (no `countersign.dev/case-map` line), "
                    + "so nothing proves the bag holds the whole case",
                about: path
            )
            return
        }
        guard proof.root == mapRoot else {
            log.fail("case-head: \(path) does not lead to the case-head map root checkpoint \(size) signs", about: path)
            return
        }
        let head = proof.head
        let last = contents.entries[contents.entries.count - 1]
        let caseID = last.predicate.caseID
        var problems: [String] = []
        if head.caseID != caseID { problems.append("it proves case '\(head.caseID)', not '\(caseID)'") }
        if head.count != contents.entries.count {
            problems.append(
                "the log holds \(head.count) entries of the case at log size \(size), the bag \(contents.entries.count): "
                    + "entries are missing"
            )
        }
        if head.headLeaf != last.event.leafHash {
            problems.append(
                "the case's newest entry at log size \(size) has leaf hash \(head.headLeaf.hex), not that of the bag's "
                    + "last entry (\(last.label)): the bag ends early"
            )
        }
        if let outcome, head.outcome != outcome.rawValue {
            problems.append(
                "the log records the case as \(head.outcome), the bag's entries replay to \(outcome.rawValue)"
            )
        }
        guard problems.isEmpty else {
            for problem in problems { log.fail("case-head: \(problem)", about: path) }
            return
        }
        log.ok(
            "case-head: checkpoint \(size)'s case-head map proves this is the whole case at log size \(size): its "
                + "\(head.count) entries, \(last.label) the newest, the case \(head.outcome)"
                + (head.isClosed ? " (closed: no entry can follow)" : ""),
            about: path
        )
    }
}
