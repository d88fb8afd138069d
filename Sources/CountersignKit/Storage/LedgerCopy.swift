/// Copies a whole ledger into an empty store of any kind (SQLite to PostgreSQL and back, or the same
/// kind): every entry in order under its chain (its case, or the consortium's) with its log time,
/// every stored document
/// an entry names (a case entry's attached documents, a pipeline version's files), and every
/// checkpoint note; then checks that the copy's tree
/// has the source's root and that each copied checkpoint's root is the copy's tree of its size.
///
/// Entries stream from the source (`forEachEntry`) and go into the target in batches through
/// `LedgerStore.append`, which recomputes every leaf and subtree hash: the root check compares that
/// recomputation with the source's stored hashes, so it also catches a source whose stored hashes no
/// longer match its envelopes. Memory grows with the number of cases and documents, not entries.
///
/// Case summaries and the governance cache are not copied: they are caches, rebuilt on the target
/// by the next batch (the summaries) and the first command (the governance records). The copy is of the log as it was when the copy began: entries appended to
/// the source meanwhile, and checkpoints of those larger trees, are left out.
public struct LedgerCopy {
    public let source: any LedgerStore
    public let target: any LedgerStore
    /// Entries per append (one transaction; one statement on PostgreSQL).
    public var batchSize = 1_000
    /// Envelope and document bytes after which a batch is appended before it is full.
    public var batchBytes = 8 << 20
    /// Called after each appended batch with the entries copied so far and the number to copy.
    public var progress: ((_ copied: Int, _ total: Int) -> Void)?

    public init(from source: any LedgerStore, to target: any LedgerStore) {
        self.source = source
        self.target = target
    }

    /// What was copied and whether the copy is faithful.
    public struct Report: Sendable {
        /// Entries copied (the source's size when the copy began, unless it has gaps).
        public var entries: Int
        /// Distinct documents copied.
        public var documents: Int
        /// Checkpoint notes copied.
        public var checkpoints: Int
        /// Checkpoints of trees larger than the copied log (signed while the copy ran), not copied.
        public var laterCheckpoints: Int
        /// The source's root of the copied size, from its stored hashes.
        public var sourceRoot: Digest
        /// The copy's root, from the hashes the target recomputed.
        public var copyRoot: Digest
        /// Copied checkpoints that do not describe the copy's tree, one message each.
        public var checkpointProblems: [String]
        /// Fingerprints entries name that the source does not hold; the copy lacks them as well.
        public var missingDocuments: [String]

        /// The copy's root equals the source's.
        public var rootsMatch: Bool { sourceRoot == copyRoot }

        /// Same root, and every copied checkpoint's root is the copy's tree of its size.
        public var isFaithful: Bool { rootsMatch && checkpointProblems.isEmpty }
    }

    /// Why a copy was not started; nothing was written.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The target already holds a ledger, or checkpoints or case summaries of one.
        case targetNotEmpty(location: String, entries: Int, checkpoints: Int)

        public var description: String {
            switch self {
            case .targetNotEmpty(let location, let entries, let checkpoints):
                "the target \(location) is not empty (\(entries) \(entries == 1 ? "entry" : "entries"), "
                    + "\(checkpoints) \(checkpoints == 1 ? "checkpoint" : "checkpoints")): "
                    + "copy into a new SQLite file or a new, empty database"
            }
        }
    }

    /// Copies everything, then verifies; throws `Failure` before writing anything when the target
    /// is not empty. A copy that fails half-way leaves a partial target: remove it and start again.
    public func run() throws -> Report {
        let targetSize = try target.size()
        let targetCheckpoints = try target.checkpoints().count
        guard targetSize == 0, targetCheckpoints == 0, try target.allCaseSummaries().isEmpty else {
            throw Failure.targetNotEmpty(location: target.location, entries: targetSize, checkpoints: targetCheckpoints)
        }
        let total = try source.size()
        let (entries, documents, missing) = try copyEntries(total: total)
        let sourceRoot = try Ledger(store: source).root(size: total).root
        let copy = Ledger(store: target)
        let copyRoot = try copy.root().root

        var copied = 0
        var later = 0
        var problems: [String] = []
        for stored in try source.checkpoints() {
            guard stored.size <= total else {
                later += 1
                continue
            }
            try target.saveCheckpoint(stored)
            copied += 1
            if let problem = Self.problem(with: stored, in: copy) { problems.append(problem) }
        }
        return Report(
            entries: entries,
            documents: documents,
            checkpoints: copied,
            laterCheckpoints: later,
            sourceRoot: sourceRoot,
            copyRoot: copyRoot,
            checkpointProblems: problems,
            missingDocuments: missing
        )
    }

    /// Streams entries `0..<total` into the target with their documents; returns how many entries
    /// and documents were copied and the fingerprints the source lacks.
    private func copyEntries(total: Int) throws -> (entries: Int, documents: Int, missing: [String]) {
        // Each case's newest leaf hash in the copy: the head its next entry must name.
        var heads: [String: Digest] = [:]
        var seen: Set<String> = []
        var missing: [String] = []
        var copied = 0
        var documents = 0
        var batch: [NewEntry] = []
        var bytes = 0
        func appendBatch() throws {
            copied += try target.append(batch).count
            documents += batch.reduce(0) { $0 + $1.documents.count }
            batch.removeAll(keepingCapacity: true)
            bytes = 0
            progress?(copied, total)
        }
        try source.forEachEntry(in: 0..<total) { entry in
            var attached: [StoredDocument] = []
            for key in Self.documentKeys(named: entry) where seen.insert(key).inserted {
                if let document = try source.document(key: key) {
                    attached.append(StoredDocument(key: key, bytes: document))
                    bytes += document.count
                } else {
                    missing.append(key)
                }
            }
            batch.append(
                NewEntry(
                    envelope: entry.envelope,
                    caseID: entry.caseID,
                    expectedPrevious: entry.caseID.flatMap { heads[$0] },
                    documents: attached,
                    logTime: entry.logTime
                )
            )
            if let caseID = entry.caseID { heads[caseID] = MerkleHash.leaf(entry.envelope) }
            bytes += entry.envelope.count
            if batch.count >= batchSize || bytes >= batchBytes { try appendBatch() }
        }
        if !batch.isEmpty { try appendBatch() }
        return (copied, documents, missing)
    }

    /// The stored documents an entry names: a case entry's attached documents, a pipeline
    /// proposal's version files. Other entries name none.
    private static func documentKeys(named entry: LedgerEntry) -> [String] {
        guard let envelope = try? Envelope(bytes: entry.envelope) else { return [] }
        if let governance = try? envelope.governanceStatement() {
            guard case .pipeline = governance.predicate.change else { return [] }
            return governance.subjects.map { DocumentKey.exactBytes($0.sha256) }
        }
        guard let statement = try? envelope.statement() else { return [] }
        return statement.attachments.map(DocumentKey.of)
    }

    /// Why a copied checkpoint does not describe the copy's tree of its size, or `nil` when it does.
    private static func problem(with stored: StoredCheckpoint, in copy: Ledger) -> String? {
        do {
            let checkpoint = try Checkpoint(note: SignedNote(parsing: stored.note))
            guard checkpoint.size == UInt64(stored.size) else {
                return "checkpoint \(stored.size): the note is stored under size \(stored.size) "
                    + "but is of a tree of \(checkpoint.size) entries"
            }
            let root = try copy.root(size: stored.size).root
            return root == checkpoint.rootHash
                ? nil
                : "checkpoint \(stored.size): its root \(checkpoint.rootHash.base64) is not the copy's root "
                    + "\(root.base64) of that size"
        } catch {
            return "checkpoint \(stored.size): \(error)"
        }
    }
}
