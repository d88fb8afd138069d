import Foundation

/// A derived record of where one case stands, kept so a nightly batch need not re-read every case:
/// only cases with new entries, or whose `wakeAt` has come, can have anything to do. It is a cache
/// of what the entries say, rebuildable from them at any time, and never trusted on its own: it
/// names the head it was made at, and the batch checks it against the case's verified entries
/// (`CaseSummaryCheck`) whenever it looks at the case, and in a rotating sample every night.
public struct CaseSummary: Sendable, Equatable {
    public var caseID: String
    /// The index of the case's newest entry when the summary was made.
    public var headIndex: Int
    /// That entry's leaf hash (`nil` in a summary stored before schema version 5, or in a
    /// placeholder row a claim made).
    public var headLeaf: Digest?
    /// `open`, `completed`, `rejected` or `expired`.
    public var outcome: String
    /// The earliest time the case changes with time alone (its expiry or a step's due time);
    /// `nil` when nothing is time-bound.
    public var wakeAt: Date?
    public var expiresAt: Date?
    /// An automatic step is ready but waited for the orchestrator's key.
    public var needsOrchestrator: Bool

    public init(
        caseID: String,
        headIndex: Int,
        headLeaf: Digest?,
        outcome: String,
        wakeAt: Date?,
        expiresAt: Date?,
        needsOrchestrator: Bool
    ) {
        self.caseID = caseID
        self.headIndex = headIndex
        self.headLeaf = headLeaf
        self.outcome = outcome
        self.wakeAt = wakeAt
        self.expiresAt = expiresAt
        self.needsOrchestrator = needsOrchestrator
    }
}

/// The store's side of the case summaries, in every `LedgerStore`.
public protocol CaseSummaryStore {
    /// Saves (replaces) summaries and, when given, the watermark: every entry below it is reflected.
    func saveCaseSummaries(_ summaries: [CaseSummary], watermark: Int?) throws

    /// The index below which every entry's case has a current summary (0 when none).
    func caseSummaryWatermark() throws -> Int

    /// The distinct cases of the entries in `range` (reserved chains left out), in order of first
    /// appearance: a range query on the entries' index, whatever the size of the log.
    func casesWithEntries(in range: Range<Int>) throws -> [String]

    /// Open cases with something to do by `wakingBy`, an orchestrator step waiting, or an expiry
    /// before `expiringBy`.
    func openCaseSummaries(wakingBy: Date, expiringBy: Date) throws -> [CaseSummary]

    /// How many summaries say `open`.
    func openCaseCount() throws -> Int

    /// Every summary, by case id (for checks against a rebuild).
    func allCaseSummaries() throws -> [CaseSummary]

    /// The summaries stored for `caseIDs` (those that have one), by case id.
    func caseSummaries(of caseIDs: [String]) throws -> [CaseSummary]

    /// Takes, for the batch `run`, the cases of `candidates` that no other worker holds and that no
    /// worker of this run has finished (at the case's current head); they stay held until
    /// `finishClaimed`. On a store shared by several machines this is how their batches split the
    /// cases between them without overlap.
    func claimCases(_ candidates: [String], run: String) throws -> [String]

    /// Saves the summaries of the claimed cases, marks them finished for `run` (except those still
    /// waiting for an orchestrator's key), and lets them go.
    func finishClaimed(_ summaries: [CaseSummary], run: String) throws
}

extension Date {
    /// Whole seconds since 1970, how stores keep summary times.
    var storedSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
}
