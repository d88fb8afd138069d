import Foundation

/// The chains of entries the log holds besides cases: each entry of a chain names the one before it,
/// and the store checks that inside the append transaction. A case's chain is named by its case id;
/// the reserved names start with `@`, which no case id may contain.
public enum LedgerChain {
    /// The consortium's governance entries (CONSORTIUM.md).
    public static let consortium = "@consortium"

    /// Whether `chain` names a case (not a reserved chain).
    public static func isCase(_ chain: String) -> Bool { !chain.hasPrefix("@") }
}

/// An entry on its way into the log, with what must be checked and stored in the same transaction.
public struct NewEntry: Sendable {
    /// The exact DSSE envelope bytes; stored and hashed as they are, never re-serialised.
    public var envelope: [UInt8]
    /// The chain this entry extends: its case id, or a reserved chain (`LedgerChain`); `nil` for
    /// entries outside any chain.
    public var caseID: String?
    /// The leaf hash the chain's newest entry must have for the append to go ahead (`nil`: the chain
    /// must have no entries yet). Checked inside the append transaction, so two signers racing on one
    /// case can never fork its chain. Ignored when `caseID` is `nil`.
    public var expectedPrevious: Digest?
    /// Other chains whose newest leaf hash must be as given (`nil`: no entries) for the append to go
    /// ahead, checked in the same transaction: a case entry checked against the consortium as it
    /// stood requires the governance chain not to have moved.
    public var requiredHeads: [String: Digest?]
    /// Documents the entry attaches, stored content-addressed with it.
    public var documents: [StoredDocument]
    /// The log time to record: `nil` for the store's own clock (a `system`-clock ledger), a given
    /// time for a `simulated` one or a copy. Either way the store records no earlier time than the
    /// log's newest entry has.
    public var logTime: Date?
    /// The log times the entry may be appended at (its checks hold only there: a key's window, a
    /// case's expiry, a signature time no later than log time + 5 minutes). The store refuses the
    /// append with `StorageError.logTimeOutsideWindow` when the time it records falls outside.
    public var acceptedLogTimes: LogTimeWindow?

    public init(
        envelope: [UInt8],
        caseID: String? = nil,
        expectedPrevious: Digest? = nil,
        requiredHeads: [String: Digest?] = [:],
        documents: [StoredDocument] = [],
        logTime: Date? = nil,
        acceptedLogTimes: LogTimeWindow? = nil
    ) {
        self.envelope = envelope
        self.caseID = caseID
        self.expectedPrevious = expectedPrevious
        self.requiredHeads = requiredHeads
        self.documents = documents
        self.logTime = logTime
        self.acceptedLogTimes = acceptedLogTimes
    }

    /// The log time this entry gets after an entry of log time `previous`, the store's clock
    /// reading `clock`: the requested or clock time, never earlier than `previous`, to the second.
    func logTime(after previous: Date?, clock: Date) throws(StorageError) -> Date {
        let wanted = Date(timeIntervalSince1970: (logTime ?? clock).timeIntervalSince1970.rounded(.down))
        let time = max(wanted, previous ?? .distantPast)
        if let window = acceptedLogTimes, !window.contains(time) {
            throw .logTimeOutsideWindow(logTime: time)
        }
        return time
    }

    /// Every chain head the append must find, this entry's own chain included.
    var expectedHeads: [(chain: String, head: Digest?)] {
        var heads = requiredHeads.map { (chain: $0.key, head: $0.value) }.sorted { $0.chain < $1.chain }
        if let caseID { heads.insert((caseID, expectedPrevious), at: 0) }
        return heads
    }
}

/// The log times at which an entry's checks hold: from `notBefore` (inclusive) to `before`
/// (exclusive), either end open.
public struct LogTimeWindow: Sendable, Equatable {
    public var notBefore: Date?
    public var before: Date?

    public init(notBefore: Date? = nil, before: Date? = nil) {
        self.notBefore = notBefore
        self.before = before
    }

    public func contains(_ time: Date) -> Bool {
        (notBefore.map { $0 <= time } ?? true) && (before.map { time < $0 } ?? true)
    }

    /// The narrower of two windows.
    public func intersected(with other: LogTimeWindow) -> LogTimeWindow {
        LogTimeWindow(
            notBefore: [notBefore, other.notBefore].compactMap { $0 }.max(),
            before: [before, other.before].compactMap { $0 }.min()
        )
    }
}

/// A document's exact bytes under the key the store files them by (`DocumentKey`).
public struct StoredDocument: Sendable, Equatable {
    public var key: String
    public var bytes: [UInt8]

    public init(key: String, bytes: [UInt8]) {
        self.key = key
        self.bytes = bytes
    }
}

/// One entry of the log as stored.
public struct LedgerEntry: Sendable, Equatable {
    public var index: Int
    public var envelope: [UInt8]
    /// The stored leaf hash; `log verify` recomputes it from `envelope`.
    public var leafHash: Digest
    public var caseID: String?
    /// When the log received it (see `NewEntry.logTime`); `nil` for an entry stored before log
    /// times were kept (schema version 3 and older).
    public var logTime: Date?

    public init(index: Int, envelope: [UInt8], leafHash: Digest, caseID: String?, logTime: Date? = nil) {
        self.index = index
        self.envelope = envelope
        self.leafHash = leafHash
        self.caseID = caseID
        self.logTime = logTime
    }
}

/// A signed (and perhaps cosigned) checkpoint note as stored.
public struct StoredCheckpoint: Sendable, Equatable {
    public var size: Int
    /// The C2SP signed note text, every signature line included.
    public var note: String

    public init(size: Int, note: String) {
        self.size = size
        self.note = note
    }
}

extension StoredCheckpoint {
    /// The note to store over `existing`: both merged when they are signed notes of the same body
    /// (signature lines of `existing` first, then the new ones), else this note.
    func merged(over existing: String?) -> String {
        guard let existing, let old = try? SignedNote(parsing: existing), let new = try? SignedNote(parsing: note),
            old.text == new.text
        else { return note }
        var merged = old
        for signature in new.signatures where !merged.signatures.contains(signature) {
            guard let grown = try? merged.adding(signature) else { return note }
            merged = grown
        }
        return merged.serialized
    }
}

/// Where the log lives. Callers see only this protocol; SQLite is the default, PostgreSQL the
/// store for consortiums. Every implementation must:
/// - append in one transaction per call: entry, leaf hash, completed subtree hashes and documents
///   together, or nothing;
/// - give all writers one total order, so every reader computes the same tree;
/// - answer `subtreeHash` from stored hashes, so proofs never walk the leaves.
public protocol LedgerStore: SubtreeHashSource, CaseSummaryStore, CaseMapStore, GovernanceRecordStore, AnyObject {
    /// The location as the user wrote it (never with a password).
    var location: String { get }

    /// The number of entries.
    func size() throws -> Int

    /// Appends `entries` in order, atomically; returns them with their indexes.
    @discardableResult
    func append(_ entries: [NewEntry]) throws -> [LedgerEntry]

    /// The entry at `index`, or `nil` past the end.
    func entry(at index: Int) throws -> LedgerEntry?

    /// Streams entries `range` in index order without loading them all.
    func forEachEntry(in range: Range<Int>, _ body: (LedgerEntry) throws -> Void) throws

    /// Every entry of one case, in log order.
    func entries(ofCase caseID: String) throws -> [LedgerEntry]

    /// Every case id with entries, in the order the cases were opened (reserved chains left out).
    func caseIDs() throws -> [String]

    /// The newest entry of a chain (a case, or a reserved chain), if it has any.
    func chainHead(_ chain: String) throws -> ChainHead?

    /// The log time of the newest entry (`nil` for an empty log).
    func newestLogTime() throws -> Date?

    /// The stored bytes of a document or pipeline file, by the key it is filed under
    /// (`DocumentKey`). The caller checks them against the hash the entry signs: the store is not
    /// trusted to have kept them.
    func document(key: String) throws -> [UInt8]?

    /// Stores a checkpoint note. When a note of the same size and body is stored already, the two
    /// are merged atomically (every signature line of both is kept), so two witnesses cosigning at
    /// once both count; otherwise the new note replaces the old.
    func saveCheckpoint(_ checkpoint: StoredCheckpoint) throws

    /// Every stored checkpoint, smallest tree first.
    func checkpoints() throws -> [StoredCheckpoint]

    /// Runs `body` with every read of this store seeing the ledger as it stood at one moment: the
    /// entries, hashes, checkpoints, case map and governance records other processes commit
    /// meanwhile stay out of sight until it returns. A check that reads the log and then its
    /// checkpoints (`log verify`, `reconcile`, `witness`) runs in one, so a checkpoint stored while
    /// it reads is never judged against a log that lacks the entries it covers. Called inside
    /// another snapshot or a transaction, `body` joins it. Nothing may be written in `body`.
    func snapshot<T>(_ body: () throws -> T) throws -> T
}

extension LedgerStore {
    /// The newest checkpoint, if any.
    public func latestCheckpoint() throws -> StoredCheckpoint? {
        try checkpoints().last
    }
}

/// The store's side of the governance cache (`GovernanceCache`): derived records of the governance
/// state, and the governance entry they reflect.
public protocol GovernanceRecordStore {
    /// One record's JSON, if stored.
    func governanceRecord(kind: String, id: String) throws -> [UInt8]?

    /// Every stored record.
    func governanceRecords() throws -> [GovernanceRecord]

    /// The governance entry the stored records reflect; `nil` when there are none.
    func governanceCacheHead() throws -> ChainHead?

    /// In one transaction, and only if the stored head is still `expected`: writes `records` (a `nil`
    /// value deletes; with `replacingAll`, every other record goes) and records `head`. Returns
    /// whether it wrote; `false` means another process moved the cache on first.
    func saveGovernanceRecords(
        _ records: [GovernanceRecord],
        head: ChainHead,
        expected: ChainHead?,
        replacingAll: Bool
    ) throws -> Bool
}
