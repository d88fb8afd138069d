import CountersignKit
import Foundation

/// The one check every command makes before it writes a file the user named or a default path:
/// an existing file is refused unless `--force`, and a ledger (any SQLite database, or the
/// command's own ledger file), a private key or a party file is refused even with it — the record
/// and the keys are never one mistyped path away from being replaced. `keygen --force` alone may
/// replace a private key (CLI.md: a key file is what it writes).
enum OutputFile {
    /// Throws when `path` may not be written (`OutputFileError`).
    static func check(_ path: String, force: Bool, replacingKey: Bool = false, in context: CommandContext) throws {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard attributes != nil else { return }
        if let what = protected(url, in: context), !(replacingKey && what == "a private key") {
            throw OutputFileError.protected(path: path, what: what)
        }
        guard force else { throw OutputFileError.exists(path: path) }
    }

    /// Throws unless `path` is free for a new SQLite ledger (`ledger copy --to`): absent, or an
    /// SQLite database, whose emptiness the copy then checks itself. Any other file, even an
    /// empty one, would become a database in its place.
    static func checkLedgerTarget(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let head = FileHandle(forReadingAtPath: path).flatMap { handle in
            defer { try? handle.close() }
            return try? handle.read(upToCount: 16)
        }
        guard let head, String(decoding: head, as: UTF8.self).hasPrefix("SQLite format 3") else {
            throw OutputFileError.notALedger(path: path)
        }
    }

    /// What the file at `url` is that is never overwritten, if it is one.
    private static func protected(_ url: URL, in context: CommandContext) -> String? {
        if case .sqlite(let ledger) = context.ledgerLocation {
            let own = URL(fileURLWithPath: ledger).standardizedFileURL.path
            if [own, own + "-wal", own + "-shm"].contains(url.path) { return "the ledger" }
        }
        let parties = context.workspace.appendingPathComponent("parties").standardizedFileURL.path + "/"
        if url.path.hasPrefix(parties) { return "a party file" }
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return nil }
        defer { try? handle.close() }
        let head = String(decoding: (try? handle.read(upToCount: 4096)) ?? Data(), as: UTF8.self)
        if head.hasPrefix("SQLite format 3") { return "a ledger (an SQLite database)" }
        if head.contains("PRIVATE KEY-----") { return "a private key" }
        if head.hasPrefix("party:") || head.contains("\nparty:") { return "a party file" }
        return nil
    }
}

/// A file a command would write over.
enum OutputFileError: Error, CustomStringConvertible {
    case exists(path: String)
    case protected(path: String, what: String)
    case notALedger(path: String)

    var description: String {
        switch self {
        case .exists(let path): "\(path) exists: give --force to replace it"
        case .protected(let path, let what):
            "\(path) is \(what): no command writes over it, even with --force; choose another file"
        case .notALedger(let path):
            "\(path) exists and is not a ledger: a copy goes into a new SQLite file or an empty database; choose another path"
        }
    }
}
