import Foundation

/// What one machine's nightly batch remembers of the log it verified: for each run that found no
/// problem, the tree head it computed from the entries themselves (size, root hash, the newest
/// entry's log time). The next night verifies only what is new since the newest of them: a
/// consistency proof from that tree to the log as it stands, then every new entry
/// (`LogAudit.from`).
///
/// The state lives with the machine, outside the store (`defaultDirectory`:
/// `$XDG_STATE_HOME/countersign/verified`, else `~/.local/state/countersign/verified`), so whoever
/// administers the database cannot move it: a store edited under an old entry no longer has the
/// root this machine remembers, and the proof fails. Records are `DIR/ORIGIN/GENESIS/SIZE.tree`
/// (the genesis entry's hash in hex: a new consortium under the same origin, such as a re-run
/// demo, is another log), written
/// once each (0600, folders 0700) and never changed; a missing or unreadable state only means the
/// next run verifies everything.
public struct VerifiedTreeState: Sendable {
    /// A tree head this machine verified.
    public struct Head: Sendable, Equatable {
        public var size: Int
        public var root: Digest
        /// The log time of entry `size - 1`, where the log records times.
        public var logTime: Date?
        /// When the run that verified it acted.
        public var verifiedAt: Date

        public init(size: Int, root: Digest, logTime: Date?, verifiedAt: Date) {
            self.size = size
            self.root = root
            self.logTime = logTime
            self.verifiedAt = verifiedAt
        }
    }

    public let directory: URL
    public let origin: String
    /// The hash of the log's genesis entry (`Genesis.envelopeHash`).
    public let genesis: Digest

    public init(directory: URL, origin: String, genesis: Digest) {
        self.directory = directory.standardizedFileURL
        self.origin = origin
        self.genesis = genesis
    }

    /// `$XDG_STATE_HOME/countersign/verified` when that variable is set and absolute, else
    /// `$HOME/.local/state/countersign/verified`; `nil` without either.
    public static func defaultDirectory(environment: [String: String]) -> URL? {
        WitnessState.defaultDirectory(environment: environment)?.deletingLastPathComponent()
            .appendingPathComponent("verified", isDirectory: true)
    }

    /// The folder of this log.
    public var folder: URL {
        directory.appendingPathComponent(WitnessState.folderName(origin), isDirectory: true)
            .appendingPathComponent(genesis.hex, isDirectory: true)
    }

    /// The newest head recorded (the largest tree), or `nil` when none is, or the folder cannot be
    /// read, or another user may write to it (a state others can edit proves nothing).
    public func newest() -> Head? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path), isPrivate(folder)
        else { return nil }
        let sizes = names.compactMap { name -> Int? in
            guard name.hasSuffix(Self.suffix) else { return nil }
            return Int(name.dropLast(Self.suffix.count))
        }
        for size in sizes.sorted(by: >) {
            if let head = read(folder.appendingPathComponent("\(size)\(Self.suffix)")), head.size == size {
                return head
            }
        }
        return nil
    }

    /// Records `head`. After a full verification (`replacingLarger`) the records of larger trees
    /// are removed first: the log was verified as it stands, so a restored, shorter ledger is the
    /// one the next night goes on from.
    public func record(_ head: Head, replacingLarger: Bool = false) throws {
        let files = FileManager.default
        for url in [directory, folder.deletingLastPathComponent(), folder] where !files.fileExists(atPath: url.path) {
            try files.createDirectory(
                at: url,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        }
        if replacingLarger, let names = try? files.contentsOfDirectory(atPath: folder.path) {
            for name in names where name.hasSuffix(Self.suffix) {
                if let size = Int(name.dropLast(Self.suffix.count)), size > head.size {
                    try files.removeItem(at: folder.appendingPathComponent(name))
                }
            }
        }
        var object: [String: Any] = [
            "size": head.size, "rootHash": head.root.base64, "verifiedAt": Timestamp.format(head.verifiedAt),
        ]
        if let logTime = head.logTime { object["logTime"] = Timestamp.format(logTime) }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        _ = try ExclusiveFile.create(
            folder.appendingPathComponent("\(head.size)\(Self.suffix)"),
            contents: data + Data("\n".utf8),
            permissions: 0o600
        )
    }

    private static let suffix = ".tree"

    private func read(_ url: URL) -> Head? {
        guard let data = FileManager.default.contents(atPath: url.path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let size = object["size"] as? Int,
            let rootText = object["rootHash"] as? String,
            let rootBytes = Data(base64Encoded: rootText), rootBytes.count == 32,
            let verifiedText = object["verifiedAt"] as? String,
            let verifiedAt = Timestamp.parse(verifiedText)
        else { return nil }
        let logTime = (object["logTime"] as? String).flatMap(Timestamp.parse)
        return Head(size: size, root: Digest(bytes: Array(rootBytes)), logTime: logTime, verifiedAt: verifiedAt)
    }

    private func isPrivate(_ url: URL) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
            let mode = attributes[.posixPermissions] as? Int
        else { return false }
        return mode & 0o022 == 0
    }
}
