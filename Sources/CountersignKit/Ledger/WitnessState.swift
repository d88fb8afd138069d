import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Where a witness keeps every checkpoint it cosigned: one signed note per tree size, never changed
/// or removed once written, in a folder of its own for each log and party —
/// `DIRECTORY/ORIGIN/PARTY/SIZE.checkpoint`, the origin percent-encoded (`countersign.example%2Fmortgage`).
///
/// The directory is the witnessing party's, outside the workspace the log's operator controls
/// (`defaultDirectory`: `$XDG_STATE_HOME/countersign/witness`, else `~/.local/state/countersign/witness`).
/// Folders are made with mode 0700 and notes with 0600; a folder others may write to is refused, as
/// a removed note is a witness that forgot. Each note is written under a temporary name, synced, and
/// linked into place only if no note of that size exists, so a crash never leaves half a note and
/// nothing is ever overwritten.
public struct WitnessState: Sendable {
    /// The directory holding the state of every log and party (`--state DIR`).
    public let directory: URL
    /// The log's origin, as the consortium's genesis fixed it.
    public let origin: String
    /// The witnessing party's id.
    public let party: String

    public init(directory: URL, origin: String, party: String) {
        self.directory = directory.standardizedFileURL
        self.origin = origin
        self.party = party
    }

    /// The folder of this log and party.
    public var folder: URL {
        directory.appendingPathComponent(Self.folderName(origin), isDirectory: true)
            .appendingPathComponent(party, isDirectory: true)
    }

    /// `$XDG_STATE_HOME/countersign/witness` when that variable is set and absolute, else
    /// `$HOME/.local/state/countersign/witness` (the XDG Base Directory default); `nil` without either.
    public static func defaultDirectory(environment: [String: String]) -> URL? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return URL(fileURLWithPath: state).appendingPathComponent("countersign/witness", isDirectory: true)
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/countersign/witness", isDirectory: true)
    }

    /// An origin as one path component: every byte but letters, digits, `.`, `-` and `_`
    /// percent-encoded, so distinct origins never share a folder; a leading dot is encoded too.
    static func folderName(_ origin: String) -> String {
        var name = ""
        for (offset, byte) in origin.utf8.enumerated() {
            let plain =
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || (byte == UInt8(ascii: ".") && offset > 0)
            name += plain ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }
        return name
    }

    static let suffix = ".checkpoint"

    /// Every note in the folder, by tree size as its file name gives it, smallest first; none when
    /// the folder does not exist yet.
    public func notes() throws(WitnessError) -> [(path: String, size: UInt64, bytes: [UInt8])] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        try checkPrivate()
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw .stateUnavailable(path: folder.path, reason: error.localizedDescription)
        }
        var notes: [(path: String, size: UInt64, bytes: [UInt8])] = []
        for name in names where !name.hasPrefix(".") {
            let path = folder.appendingPathComponent(name).path
            let digits = name.hasSuffix(Self.suffix) ? name.dropLast(Self.suffix.count) : ""
            guard let size = UInt64(digits), String(size) == digits else {
                throw .invalidState(path: path, reason: "it is not named SIZE\(Self.suffix)")
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .stateUnavailable(path: path, reason: "it cannot be read")
            }
            notes.append((path, size, Array(data)))
        }
        return notes.sorted { $0.size < $1.size }
    }

    /// Writes `note`, a checkpoint of `size` entries, unless a note of that size is there already.
    public func record(_ note: SignedNote, size: UInt64) throws(WitnessError) {
        let target = folder.appendingPathComponent("\(size)\(Self.suffix)").path
        do {
            try makePrivateFolders()
            // Never replaced: a note once written stays as it is.
            _ = try ExclusiveFile.create(
                URL(fileURLWithPath: target),
                contents: Data(note.serialized.utf8),
                permissions: 0o600
            )
        } catch let error as WitnessError {
            throw error
        } catch {
            throw .stateUnavailable(path: target, reason: error.localizedDescription)
        }
    }

    /// The directory, the log's folder and the party's, each made with mode 0700 when missing.
    private func makePrivateFolders() throws {
        for url in [directory, folder.deletingLastPathComponent(), folder]
        where !FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.createDirectory(
                at: url,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        }
        try checkPrivate()
    }

    /// Refuses the state when a folder on its path, from the directory down, is writable by group or others.
    private func checkPrivate() throws(WitnessError) {
        for url in [directory, folder.deletingLastPathComponent(), folder] {
            var info = stat()
            guard stat(url.path, &info) == 0 else { continue }
            let mode = Int(info.st_mode & 0o777)
            guard mode & 0o022 == 0 else {
                throw .stateUnavailable(
                    path: url.path,
                    reason: "others may write to it (mode \(String(mode, radix: 8))), so they could remove what "
                        + "this witness cosigned; make it 0700 (chmod 700 \(url.path))"
                )
            }
        }
    }
}
