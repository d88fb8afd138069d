import Foundation

/// Checks a stored case summary against the case as its verified entries say it stands.
///
/// A summary is a cache the batch keeps to skip cases (`CaseSummary`); whoever can edit the store
/// can edit it, to make a claim never expire, say. So it is never believed on its own: whenever the
/// batch looks at a case it compares the stored summary with a replay, and `reconcile` also looks at
/// a rotating sample of all cases (every case, with `--full`) and at every case whose summary is
/// missing. What the comparison finds is one of:
/// - nothing: the summary is of the head it names, and says what the replay says;
/// - `stale`: the case has entries newer than the summary (it is simply due to be summarised);
/// - `mismatch`: the summary names the case's head but says something else, or is missing although
///   the batch summarised every case below its watermark — a reported problem, repaired from the
///   replay, which the batch then acts on (the entries are the record, the summary only a cache);
/// - `entriesChanged`: the summary names a head the case's entries no longer have (an entry
///   vanished, or was replaced) — the case is treated as damaged: reported, and nothing is signed
///   on it.
public enum CaseSummaryCheck: Equatable, Sendable {
    case consistent
    case stale
    case mismatch(String)
    case entriesChanged(String)

    /// Compares `stored` (`nil` when the store has none) with `replayed`, the summary of the case's
    /// verified entries; `watermark` is the index below which every case was summarised.
    public static func compare(stored: CaseSummary?, replayed: CaseSummary, watermark: Int) -> Self {
        guard let stored, stored.headIndex >= 0 else {
            return replayed.headIndex < watermark
                ? .mismatch(
                    "its case summary is missing, though the batch summarised every case below entry \(watermark)"
                )
                : .stale
        }
        if stored.headIndex > replayed.headIndex {
            return .entriesChanged(
                "its case summary was made at entry \(stored.headIndex), but the case's newest entry is "
                    + "\(replayed.headIndex): entries of the case are missing from the store"
            )
        }
        if stored.headIndex < replayed.headIndex { return .stale }
        guard let leaf = stored.headLeaf else { return .stale }  // made before leaf hashes were kept
        guard leaf == replayed.headLeaf else {
            return .entriesChanged(
                "its case summary names another entry \(stored.headIndex) (leaf \(leaf.hex.prefix(16))…) than "
                    + "the store holds: the case's entries were replaced"
            )
        }
        var differences: [String] = []
        func compare<Value: Equatable>(_ field: String, _ a: Value, _ b: Value, _ text: (Value) -> String) {
            if a != b { differences.append("\(field) \(text(a)) where its entries say \(text(b))") }
        }
        let time = { (date: Date?) in date.map(Timestamp.format) ?? "none" }
        compare("outcome", stored.outcome, replayed.outcome) { $0 }
        compare("expiry", stored.expiresAt.map(\.storedSeconds), replayed.expiresAt.map(\.storedSeconds)) {
            time($0.map { Date(timeIntervalSince1970: Double($0)) })
        }
        compare("wake time", stored.wakeAt.map(\.storedSeconds), replayed.wakeAt.map(\.storedSeconds)) {
            time($0.map { Date(timeIntervalSince1970: Double($0)) })
        }
        compare("orchestrator step waiting", stored.needsOrchestrator, replayed.needsOrchestrator) { "\($0)" }
        return differences.isEmpty
            ? .consistent : .mismatch("its case summary says " + differences.joined(separator: ", "))
    }

    /// The slice of `caseIDs` a night's `reconcile` checks besides the cases it looks at anyway: a
    /// window that moves on by its own size each day, so every case is checked at least once every
    /// 30 nights (at least 100 cases a night, all of them when there are fewer).
    public static func rotatingSample(of caseIDs: [String], at now: Date) -> [String] {
        guard caseIDs.count > 100 else { return caseIDs }
        let size = Swift.max(100, (caseIDs.count + 29) / 30)
        let day = Int((now.timeIntervalSince1970 / 86_400).rounded(.down))
        let start = (day % ((caseIDs.count + size - 1) / size)) * size
        return Array(caseIDs[start..<Swift.min(start + size, caseIDs.count)])
    }
}
