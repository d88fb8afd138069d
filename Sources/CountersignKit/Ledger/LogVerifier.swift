import Dispatch
import Foundation
import Synchronization

/// Re-checks a whole log from its entries: every leaf hash, every stored subtree hash and the root
/// of every stored checkpoint, streaming the entries once in index order.
///
/// Entries are read in chunks; the per-entry work a caller adds (signatures) runs on `workers`
/// threads at once, then work that must see entries in order (chains) runs on the chunk in order.
/// Memory stays bounded by the chunk size whatever the size of the log.
public struct LogVerifier {
    /// One thing found wrong, with the entry index when there is one.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var index: Int?
        public var message: String

        public init(index: Int?, message: String) {
            self.index = index
            self.message = message
        }

        public var description: String { index.map { "entry \($0): \(message)" } ?? message }
    }

    /// What the pass found.
    public struct Report: Sendable {
        public var size: Int
        public var root: Digest
        public var problems: [Problem]
        /// Where the pass started: 0 for the whole log, else the size of `LogVerifier.start`.
        public var from = 0
        /// The hashes of the consistency proof from `start` to `size` (none for a whole-log pass).
        public var consistencyProofHashes = 0

        /// The lowest entry index any problem names.
        public var firstBadIndex: Int? { problems.compactMap(\.index).min() }
    }

    public let store: any LedgerStore
    /// Threads for the per-entry checks.
    public var workers = 1
    /// Entries read and checked at a time.
    public var chunkSize = 4_096
    /// What the per-entry check found in one entry: its problems, and what it hands on to
    /// `checkInOrder` so that nothing is decoded or verified twice.
    public struct EntryCheck: Sendable {
        public var problems: [Problem]
        /// The decoded statement of a case entry.
        public var statement: Statement?
        /// The id of the key that made the entry's signature, as far as the check could tell
        /// (whether that key could sign there is for the in-order check to judge).
        public var signer: String?

        public init(problems: [Problem] = [], statement: Statement? = nil, signer: String? = nil) {
            self.problems = problems
            self.statement = statement
            self.signer = signer
        }
    }

    /// Per-entry checks that need nothing but the entry (signatures), run in parallel.
    public var checkEntry: (@Sendable (LedgerEntry) -> EntryCheck)?
    /// Checks that need the entries in log order (case chains); run after `checkEntry`, with what
    /// it found.
    public var checkInOrder: ((LedgerEntry, EntryCheck) -> [Problem])?
    /// Called for every stored checkpoint note whose root matches, to check its signatures;
    /// returns a problem description, or `nil` when the signatures are acceptable.
    public var checkNoteSignatures: ((SignedNote) -> String?)?
    /// Called once the entries of a stored checkpoint's tree have all been checked in order (with
    /// the tree size), before any later entry: where a caller judges that checkpoint's signatures by
    /// the state of the log at its size.
    public var atCheckpointSize: ((Int) -> Void)?
    /// Called with the number of entries checked so far (progress display).
    public var progress: ((Int) -> Void)?

    /// A tree already verified (by this machine, `VerifiedTreeState`): the pass then checks that
    /// the log still extends it — the stored subtrees of its first `size` entries give its root,
    /// and an RFC 6962 consistency proof leads from it to the log as it stands — and re-checks
    /// only the entries after it, and the checkpoints of larger trees.
    public var start: VerifiedTreeState.Head?

    public init(store: any LedgerStore) {
        self.store = store
    }

    public func verify() throws -> Report {
        let size = try store.size()
        let first = start?.size ?? 0
        if let start, start.size > size {
            var tree = MerkleTree(store)
            return Report(
                size: size,
                root: try tree.root(size: size),
                problems: [
                    Problem(
                        index: nil,
                        message: "the log holds \(size) entries, fewer than the \(start.size) verified on "
                            + "\(Timestamp.format(start.verifiedAt)): history was rewritten, or the ledger restored from "
                            + "an older copy (`reconcile --full` verifies it as it stands)"
                    )
                ],
                from: start.size
            )
        }
        let checkpointSizes = Set(try store.checkpoints().map(\.size).filter { $0 >= first })
        var roots: [Int: Digest] = [0: MerkleHash.empty]
        // The log time of the newest entry of each checkpoint's tree, and of the entry before.
        var logTimes: [Int: Date] = [:]
        var lastLogTime: Date?
        var problems: [Problem] = []
        // Two views of the tree: one from the stored leaf hashes, to check the stored subtree hashes
        // (so one altered entry is reported once, at its index), and one from the entries' bytes,
        // the truth checkpoints are compared with.
        var storedTree = CompactRange()
        var range = CompactRange()
        var count = 0
        if let start, start.size > 0 {
            // The verified tree's perfect subtrees, as stored: they must still give its root.
            let peaks = CompactRange.peaks(ofSize: start.size)
            let stored = try store.subtreeHashes(peaks)
            let hashes = stored.map { $0 ?? MerkleHash.empty }
            range = CompactRange(peaks: zip(peaks, hashes).map { ($0.level, $1) }, size: start.size)
            storedTree = range
            if stored.contains(nil) || range.root != start.root {
                problems.append(
                    Problem(
                        index: nil,
                        message: "the log's first \(start.size) entries no longer have the root \(start.root.base64) "
                            + "verified on \(Timestamp.format(start.verifiedAt)): history was rewritten after it was "
                            + "verified (`log verify` finds the entries)"
                    )
                )
            }
            roots[start.size] = start.root
            lastLogTime = start.logTime
            count = start.size
        }
        var chunk: [LedgerEntry] = []
        var completed: [(level: Int, index: Int, hash: Digest)] = []
        chunk.reserveCapacity(chunkSize)

        /// The in-order part for one chunk whose parallel checks were started earlier.
        func finish(_ entries: [LedgerEntry], _ checked: [PendingChecks.Result]) throws {
            for (position, entry) in entries.enumerated() {
                problems += checked[position].check.problems
                if entry.index != count {
                    problems.append(
                        Problem(index: count, message: "entry missing (next stored index is \(entry.index))")
                    )
                }
                let leaf = checked[position].leaf
                if leaf != entry.leafHash {
                    problems.append(
                        Problem(
                            index: entry.index,
                            message: "stored bytes do not match the leaf hash: the entry was altered"
                        )
                    )
                }
                _ = range.append(leaf)
                completed += storedTree.append(entry.leafHash)
                count = entry.index + 1
                if let time = entry.logTime {
                    if let lastLogTime, time < lastLogTime {
                        problems.append(
                            Problem(
                                index: entry.index,
                                message:
                                    "its log time \(Timestamp.format(time)) is earlier than the previous entry's "
                                    + "(\(Timestamp.format(lastLogTime))): log times never go back; they were edited"
                            )
                        )
                    }
                    lastLogTime = time
                }
                if let checkInOrder { problems += checkInOrder(entry, checked[position].check) }
                if checkpointSizes.contains(count) {
                    roots[count] = range.root
                    logTimes[count] = entry.logTime
                    atCheckpointSize?(count)
                }
            }
            // The stored subtree hashes the chunk completed, fetched together.
            let stored = try store.subtreeHashes(completed.map { ($0.level, $0.index) })
            for (node, hash) in zip(completed, stored) where hash != node.hash {
                let first = node.index << node.level
                problems.append(
                    Problem(
                        index: first,
                        message:
                            "stored subtree hash (level \(node.level), entries \(first)..<\(first + (1 << node.level))) "
                            + "does not match the entries"
                    )
                )
            }
            completed.removeAll(keepingCapacity: true)
            progress?(count)
        }

        // A pipeline: while the workers check one chunk, this thread reads the next and runs the
        // in-order checks of the one before. One chunk is checked at a time, on `workers` threads.
        var pending: (entries: [LedgerEntry], checks: PendingChecks)?
        try store.forEachEntry(in: first..<size) { entry in
            chunk.append(entry)
            guard chunk.count == chunkSize else { return }
            let previous = pending.map { ($0.entries, $0.checks.wait()) }
            pending = (chunk, PendingChecks(chunk, workers: workers, check: checkEntry))
            if let (entries, checked) = previous { try finish(entries, checked) }
            chunk = []
            chunk.reserveCapacity(chunkSize)
        }
        if let previous = pending { try finish(previous.entries, previous.checks.wait()) }
        if !chunk.isEmpty { try finish(chunk, PendingChecks(chunk, workers: workers, check: checkEntry).wait()) }
        for stored in try store.checkpoints() where stored.size >= first {
            problems += checkpointProblems(stored, roots: roots, logTimes: logTimes)
        }
        var report = Report(size: count, root: range.root, problems: problems, from: first)
        if let start, start.size > 0, start.size < count {
            var tree = MerkleTree(store)
            let proof = try tree.consistencyProof(from: start.size, to: count)
            report.consistencyProofHashes = proof.count
            let consistent = MerkleProofVerifier.verifyConsistency(
                oldSize: start.size,
                oldRoot: start.root,
                newSize: count,
                newRoot: range.root,
                proof: proof
            )
            if !consistent {
                report.problems.append(
                    Problem(
                        index: nil,
                        message: "no consistency proof leads from the tree of \(start.size) entries verified on "
                            + "\(Timestamp.format(start.verifiedAt)) to the log of \(count): history was rewritten"
                    )
                )
            }
        }
        return report
    }

}

/// The per-entry checks of one chunk, running on `workers` threads in the background: the leaf
/// hash, and the caller's `checkEntry`. `wait()` returns the results in entry order.
final class PendingChecks: @unchecked Sendable {
    // @unchecked: `results` is written only by the background work, before `done` is left, and read
    // only after `wait()` has seen `done`.
    typealias Result = (check: LogVerifier.EntryCheck, leaf: Digest)
    private var results: [Result] = []
    private let done = DispatchGroup()

    init(
        _ entries: [LedgerEntry],
        workers: Int,
        check: (@Sendable (LedgerEntry) -> LogVerifier.EntryCheck)?
    ) {
        done.enter()
        DispatchQueue.global().async { [self] in
            let slices = Swift.max(1, Swift.min(workers, entries.count))
            let collected = Mutex([Result?](repeating: nil, count: entries.count))
            DispatchQueue.concurrentPerform(iterations: slices) { slice in
                var local: [(Int, Result)] = []
                local.reserveCapacity(entries.count / slices + 1)
                for position in stride(from: slice, to: entries.count, by: slices) {
                    let entry = entries[position]
                    local.append(
                        (position, (check?(entry) ?? LogVerifier.EntryCheck(), MerkleHash.leaf(entry.envelope)))
                    )
                }
                collected.withLock { all in
                    for (position, result) in local { all[position] = result }
                }
            }
            results = collected.withLock { $0.map { $0! } }
            done.leave()
        }
    }

    func wait() -> [Result] {
        done.wait()
        return results
    }
}

extension LogVerifier {
    /// A stored checkpoint must parse, have the size it is stored under, and carry the root the
    /// entries give at that size.
    fileprivate func checkpointProblems(
        _ stored: StoredCheckpoint,
        roots: [Int: Digest],
        logTimes: [Int: Date]
    ) -> [Problem] {
        let note: SignedNote
        let checkpoint: Checkpoint
        do {
            note = try SignedNote(parsing: stored.note)
            checkpoint = try Checkpoint(note: note)
        } catch {
            return [Problem(index: nil, message: "stored checkpoint of size \(stored.size) cannot be read: \(error)")]
        }
        guard checkpoint.size == UInt64(stored.size), roots[stored.size] == checkpoint.rootHash else {
            return [
                Problem(
                    index: nil,
                    message:
                        "checkpoint of size \(stored.size) does not match the log: history was rewritten after it was signed"
                )
            ]
        }
        var problems: [Problem] = []
        if let entryTime = logTimes[stored.size], checkpoint.logTime != entryTime {
            problems.append(
                Problem(
                    index: nil,
                    message: "checkpoint of size \(stored.size) says its newest entry reached the log at "
                        + "\(checkpoint.logTime.map(Timestamp.format) ?? "no time"), but the log says \(Timestamp.format(entryTime))"
                )
            )
        }
        guard let problem = checkNoteSignatures?(note) else { return problems }
        return problems + [Problem(index: nil, message: "checkpoint of size \(stored.size): \(problem)")]
    }
}

/// The right edge of a growing Merkle tree: the perfect subtrees that make up its prefix so far.
struct CompactRange {
    private var peaks: [(level: Int, hash: Digest)] = []
    private var size = 0

    init() {}

    /// The range of the first `size` leaves from its perfect subtrees (`peaks(ofSize:)`'s order).
    init(peaks: [(level: Int, hash: Digest)], size: Int) {
        self.peaks = peaks
        self.size = size
    }

    /// The perfect subtrees the first `size` leaves split into, largest (leftmost) first.
    static func peaks(ofSize size: Int) -> [(level: Int, index: Int)] {
        var peaks: [(level: Int, index: Int)] = []
        var offset = 0
        for level in stride(from: Int.bitWidth - 2, through: 0, by: -1) where size & (1 << level) != 0 {
            peaks.append((level, offset >> level))
            offset += 1 << level
        }
        return peaks
    }

    /// Adds a leaf; returns the perfect subtrees of level ≥ 1 this completes, with their indexes.
    mutating func append(_ leaf: Digest) -> [(level: Int, index: Int, hash: Digest)] {
        var completed: [(level: Int, index: Int, hash: Digest)] = []
        var hash = leaf
        var level = 0
        var index = size
        while let last = peaks.last, last.level == level {
            peaks.removeLast()
            hash = MerkleHash.node(last.hash, hash)
            level += 1
            index >>= 1
            completed.append((level, index, hash))
        }
        peaks.append((level, hash))
        size += 1
        return completed
    }

    /// The root of the tree so far.
    var root: Digest {
        guard var result = peaks.last?.hash else { return MerkleHash.empty }
        for peak in peaks.dropLast().reversed() { result = MerkleHash.node(peak.hash, result) }
        return result
    }
}
