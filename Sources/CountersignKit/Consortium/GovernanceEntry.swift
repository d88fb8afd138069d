/// One governance entry of the log, decoded: where it sits and what it says.
public struct GovernanceEntry: Sendable {
    public let index: Int
    public let leafHash: Digest
    public let envelope: Envelope
    public let statement: GovernanceStatement

    public var predicate: GovernancePredicate { statement.predicate }

    public init(index: Int, leafHash: Digest, envelope: Envelope, statement: GovernanceStatement) {
        self.index = index
        self.leafHash = leafHash
        self.envelope = envelope
        self.statement = statement
    }

    /// Decodes a stored entry; fails when its bytes are not a governance statement.
    public init(_ entry: LedgerEntry) throws(LedgerFormatError) {
        let envelope = try Envelope(bytes: entry.envelope)
        self.init(
            index: entry.index,
            leafHash: entry.leafHash,
            envelope: envelope,
            statement: try envelope.governanceStatement()
        )
    }

    /// An entry about to be appended at `index`.
    public init(envelope: Envelope, statement: GovernanceStatement, index: Int) {
        self.init(index: index, leafHash: MerkleHash.leaf(envelope.bytes), envelope: envelope, statement: statement)
    }
}
