import Foundation

/// Failures of the ledger store. `description` is safe to print (no passwords, no entry data).
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The ledger location string is not `sqlite:PATH` or `postgres://...`.
    case badLocation(String)
    /// The store cannot be opened or reached (missing folder, permissions, server down).
    case unreachable(location: String, reason: String)
    /// The database engine reported an error; `code` is its extended result code or SQLSTATE.
    case engine(code: String, message: String, statement: String?)
    /// The store was written by a newer Countersign (its schema version is unknown here).
    case unsupportedSchema(found: Int, supported: Int)
    /// An append found the case's head moved since the entry was signed.
    case caseMovedOn(caseID: String, expected: String, found: String)
    /// The log time the store would record lies outside the window the entry's checks hold in
    /// (`NewEntry.acceptedLogTimes`); nothing was appended.
    case logTimeOutsideWindow(logTime: Date)

    /// Whether the store refused what was asked of it (the case moved on, a log time outside the
    /// signed window) rather than failing to do it: a refusal is the submission's, a failure the
    /// machine's, and worth trying again.
    public var isRefusal: Bool {
        switch self {
        case .caseMovedOn, .logTimeOutsideWindow: true
        case .badLocation, .unreachable, .engine, .unsupportedSchema: false
        }
    }

    public var description: String {
        switch self {
        case .badLocation(let text):
            "unsupported ledger location '\(text)': use sqlite:PATH or postgres://user@host:port/db"
        case .unreachable(let location, let reason): "cannot open ledger \(location): \(reason)"
        case .engine(let code, let message, _): "ledger store error \(code): \(message)"
        case .unsupportedSchema(let found, let supported):
            "the ledger has schema version \(found) but this countersign knows up to \(supported); upgrade countersign"
        case .logTimeOutsideWindow(let logTime):
            "the log received the entry at \(Timestamp.format(logTime)), when its checks no longer hold: sign again"
        case .caseMovedOn(let caseID, let expected, let found):
            "case \(caseID) moved on (signed against head \(expected.isEmpty ? "<none>" : String(expected.prefix(12))), "
                + "now at \(found.isEmpty ? "<none>" : String(found.prefix(12)))): re-run the command"
        }
    }
}
