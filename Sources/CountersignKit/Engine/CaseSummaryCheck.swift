import Foundation

/// Checks a stored case summary against the case as its verified entries say it stands.
///
/// A summary is a cache the batch keeps to skip cases (`CaseSummary`); whoever can edit the store
/// can edit it, to make a claim never expire, say. So it is never believed on its own: whenever the
/// batch looks at a case it compares the stored summary with a replay, and `reconcile` also looks at
/// the cases of a rotating window of the log (`sampleWindow`; every case, with `--full`). What the
/// comparison finds is one of:
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

    /// The entries whose cases a night's `reconcile` checks besides the cases it looks at anyway:
    /// a window of the log that moves on by its own size each day, so every case (each has an entry
    /// in some window) is checked at least once a round. The window is a thirtieth of the log — a
    /// round of 30 nights — but at least `minimumWindow` entries and at most `maximumWindow`, so
    /// the check costs a night what a few hundred cases cost, however long the log: beyond
    /// 30 × `maximumWindow` entries a round takes longer than a month, and the weekly
    /// `reconcile --full` the operations guide recommends checks every case.
    public static func sampleWindow(logSize: Int, at now: Date) -> Range<Int> {
        let size = Swift.min(logSize, Swift.max(minimumWindow, Swift.min(maximumWindow, (logSize + 29) / 30)))
        guard size > 0 else { return 0..<0 }
        let day = Int((now.timeIntervalSince1970 / 86_400).rounded(.down))
        let rounds = (logSize + size - 1) / size
        let start = ((day % rounds + rounds) % rounds) * size
        return start..<Swift.min(start + size, logSize)
    }

    /// The fewest entries a night's sample window spans (the whole log when it is shorter).
    public static let minimumWindow = 1_000
    /// The most entries a night's sample window spans.
    public static let maximumWindow = 5_000
}
