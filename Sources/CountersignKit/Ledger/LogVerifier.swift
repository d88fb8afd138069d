/// Re-checks a whole log from its entries: every leaf hash, every stored subtree hash and the root
/// of every stored checkpoint, streaming the entries once in index order.
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

        /// The lowest entry index any problem names.
        public var firstBadIndex: Int? { problems.compactMap(\.index).min() }
    }

    public let store: any LedgerStore
    /// Called for every entry after its hashes are checked, to add checks (signatures, documents).
    public var checkEntry: ((LedgerEntry) -> [Problem])?
    /// Called for every stored checkpoint note whose root matches, to check its signatures;
    /// returns a problem description, or `nil` when the signatures are acceptable.
    public var checkNoteSignatures: ((SignedNote) -> String?)?
    /// Called with the number of entries checked so far (progress display).
    public var progress: ((Int) -> Void)?

    public init(store: any LedgerStore) {
        self.store = store
    }

    public func verify() throws -> Report {
        let size = try store.size()
        let checkpointSizes = Set(try store.checkpoints().map(\.size))
        var roots: [Int: Digest] = [0: MerkleHash.empty]
        var problems: [Problem] = []
        // Two views of the tree: one from the stored leaf hashes, to check the stored subtree hashes
        // (so one altered entry is reported once, at its index), and one from the entries' bytes,
        // the truth checkpoints are compared with.
        var storedTree = CompactRange()
        var range = CompactRange()
        var count = 0
        try store.forEachEntry(in: 0..<size) { entry in
            if entry.index != count {
                problems.append(Problem(index: count, message: "entry missing (next stored index is \(entry.index))"))
            }
            let leaf = MerkleHash.leaf(entry.envelope)
            if leaf != entry.leafHash {
                problems.append(
                    Problem(
                        index: entry.index,
                        message: "stored bytes do not match the leaf hash: the entry was altered"
                    )
                )
            }
            _ = range.append(leaf)
            for node in storedTree.append(entry.leafHash) {
                let stored = try? store.subtreeHash(level: node.level, index: node.index)
                if stored != node.hash {
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
            }
            count = entry.index + 1
            if checkpointSizes.contains(count) { roots[count] = range.root }
            if let checkEntry { problems += checkEntry(entry) }
            if count % 10_000 == 0 { progress?(count) }
        }
        progress?(count)
        for stored in try store.checkpoints() {
            problems += checkpointProblems(stored, roots: roots)
        }
        return Report(size: count, root: range.root, problems: problems)
    }
}

extension LogVerifier {
    /// A stored checkpoint must parse, have the size it is stored under, and carry the root the
    /// entries give at that size.
    fileprivate func checkpointProblems(_ stored: StoredCheckpoint, roots: [Int: Digest]) -> [Problem] {
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
        guard let problem = checkNoteSignatures?(note) else { return [] }
        return [Problem(index: nil, message: "checkpoint of size \(stored.size): \(problem)")]
    }
}

/// The right edge of a growing Merkle tree: the perfect subtrees that make up its prefix so far.
struct CompactRange {
    private var peaks: [(level: Int, hash: Digest)] = []
    private var size = 0

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
