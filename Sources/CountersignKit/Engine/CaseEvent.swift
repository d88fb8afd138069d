import Foundation

/// One ledger entry of a case, decoded: where it sits in the log and what it says.
public struct CaseEvent: Sendable {
    /// The entry's index in the log.
    public let index: Int
    /// Its leaf hash: the next entry of the case names it as `previous`.
    public let leafHash: Digest
    public let envelope: Envelope
    public let statement: Statement
    /// When the log received it; `nil` when not known (an entry stored before log times were kept).
    public let logTime: Date?

    public var predicate: StepPredicate { statement.predicate }

    /// The time the case's clocks run on for this entry: its log time, or, unknown, its signing time.
    public var time: Date { logTime ?? predicate.signedAt }

    public init(index: Int, leafHash: Digest, envelope: Envelope, statement: Statement, logTime: Date? = nil) {
        self.index = index
        self.leafHash = leafHash
        self.envelope = envelope
        self.statement = statement
        self.logTime = logTime
    }

    /// Decodes a stored entry; fails when its bytes are not a Countersign step statement.
    public init(_ entry: LedgerEntry) throws(LedgerFormatError) {
        let envelope = try Envelope(bytes: entry.envelope)
        self.init(
            index: entry.index,
            leafHash: entry.leafHash,
            envelope: envelope,
            statement: try envelope.statement(),
            logTime: entry.logTime
        )
    }
}
