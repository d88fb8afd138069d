import Foundation

/// One governance entry of the log, decoded: where it sits and what it says.
public struct GovernanceEntry: Sendable {
    public let index: Int
    public let leafHash: Digest
    public let envelope: Envelope
    public let statement: GovernanceStatement
    /// When the log received it (for an entry about to be appended, the log time it would get);
    /// `nil` when not known.
    public let logTime: Date?

    public var predicate: GovernancePredicate { statement.predicate }

    /// The time keys' windows are judged at: the log time, or, unknown, the signing time.
    public var time: Date { logTime ?? predicate.signedAt }

    public init(
        index: Int,
        leafHash: Digest,
        envelope: Envelope,
        statement: GovernanceStatement,
        logTime: Date? = nil
    ) {
        self.index = index
        self.leafHash = leafHash
        self.envelope = envelope
        self.statement = statement
        self.logTime = logTime
    }

    /// Decodes a stored entry; fails when its bytes are not a governance statement.
    public init(_ entry: LedgerEntry) throws(LedgerFormatError) {
        let envelope = try Envelope(bytes: entry.envelope)
        self.init(
            index: entry.index,
            leafHash: entry.leafHash,
            envelope: envelope,
            statement: try envelope.governanceStatement(),
            logTime: entry.logTime
        )
    }

    /// An entry about to be appended at `index`, at log time `logTime`.
    public init(envelope: Envelope, statement: GovernanceStatement, index: Int, logTime: Date? = nil) {
        self.init(
            index: index,
            leafHash: MerkleHash.leaf(envelope.bytes),
            envelope: envelope,
            statement: statement,
            logTime: logTime
        )
    }
}
