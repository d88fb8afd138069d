/// The log as callers see it: appends, tree heads and proofs over any `LedgerStore`.
public final class Ledger {
    /// The store underneath; the ledger adds the Merkle arithmetic.
    public let store: any LedgerStore

    public init(store: any LedgerStore) {
        self.store = store
    }

    /// The number of entries.
    public func size() throws -> Int { try store.size() }

    /// Appends entries atomically and returns them with their indexes. Each document is also kept
    /// under its exact bytes' SHA-256 (`StoredDocument.exactBytesKey`), so the bytes an entry
    /// signed are read back even when another version with the same fingerprint was stored first.
    @discardableResult
    public func append(_ entries: [NewEntry]) throws -> [LedgerEntry] {
        try store.append(entries.map(\.keepingExactBytes))
    }

    /// The root hash of the tree of `size` entries (default: the whole log).
    public func root(size: Int? = nil) throws -> (size: Int, root: Digest) {
        let size = try checkedSize(size)
        var tree = MerkleTree(store)
        return (size, try tree.root(size: size))
    }

    /// The inclusion proof of entry `index` in the tree of `size` entries (default: the whole log).
    public func inclusionProof(index: Int, size: Int? = nil) throws -> InclusionProof {
        let size = try checkedSize(size)
        guard index >= 0, index < size else { throw LedgerError.indexOutOfRange(index: index, size: size) }
        var tree = MerkleTree(store)
        let path = try tree.inclusionProof(index: index, size: size)
        return InclusionProof(
            index: index,
            size: size,
            leafHash: try store.subtreeHash(level: 0, index: index),
            hashes: path,
            root: try tree.root(size: size)
        )
    }

    /// The consistency proof between two tree sizes.
    public func consistencyProof(from oldSize: Int, to newSize: Int) throws -> ConsistencyProof {
        let newSize = try checkedSize(newSize)
        guard oldSize >= 0, oldSize <= newSize else {
            throw LedgerError.badConsistencyRange(old: oldSize, new: newSize)
        }
        var tree = MerkleTree(store)
        return ConsistencyProof(
            oldSize: oldSize,
            newSize: newSize,
            oldRoot: try tree.root(size: oldSize),
            newRoot: try tree.root(size: newSize),
            hashes: try tree.consistencyProof(from: oldSize, to: newSize)
        )
    }

    private func checkedSize(_ requested: Int?) throws -> Int {
        let logSize = try store.size()
        guard let requested else { return logSize }
        guard requested >= 0, requested <= logSize else {
            throw LedgerError.sizeBeyondLog(size: requested, logSize: logSize)
        }
        return requested
    }
}
