import Foundation

/// Where a ledger lives, parsed from `--ledger` / `COUNTERSIGN_LEDGER`.
public enum LedgerLocation: Sendable, Equatable, CustomStringConvertible {
    /// `sqlite:PATH`, relative paths resolved against the workspace.
    case sqlite(path: String)
    /// `postgres://user@host:port/db` (or `postgresql://`), passed to libpq as a connection URI.
    case postgres(url: String)

    /// Parses `text`; relative SQLite paths are resolved against `workspace`.
    public init(_ text: String, workspace: URL) throws(StorageError) {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw .badLocation(text) }
            self = .sqlite(path: path.hasPrefix("/") ? path : workspace.appendingPathComponent(path).path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            throw .badLocation(text)
        }
    }

    /// The default: `sqlite:out/ledger.sqlite` in the workspace.
    public static func `default`(workspace: URL) -> LedgerLocation {
        .sqlite(path: workspace.appendingPathComponent("out/ledger.sqlite").path)
    }

    /// For messages: never includes a password.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): Self.redacted(url)
        }
    }

    /// The URL with any password — `user:password@` (multi-host URLs too) or a `password=` query
    /// item — replaced by `***`. Done on the text, since `URLComponents` cannot parse every URL
    /// libpq accepts.
    private static func redacted(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://") {
            let rest = text[scheme.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
        }
        guard let query = text.firstIndex(of: "?") else { return text }
        let items = text[text.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false).map {
            item in
            item.lowercased().hasPrefix("password=") ? item.prefix { $0 != "=" } + "=***" : String(item)
        }
        return String(text[...query]) + items.joined(separator: "&")
    }
}

extension LedgerLocation {
    /// Opens the store this location names; with `create: false` a missing SQLite file, or a
    /// PostgreSQL database without a ledger, is an error rather than a new empty ledger.
    public func open(create: Bool = true) throws -> any LedgerStore {
        switch self {
        case .sqlite(let path):
            guard create || FileManager.default.fileExists(atPath: path) else {
                throw StorageError.unreachable(
                    location: description,
                    reason: "no ledger there (`countersign consortium init` founds one; check --workspace and --ledger)"
                )
            }
            return try SQLiteLedgerStore(path: path)
        case .postgres(let url):
            return try PostgresLedgerStore(url: url, create: create)
        }
    }
}
