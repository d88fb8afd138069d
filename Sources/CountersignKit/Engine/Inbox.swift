import Foundation

/// A folder of offline-signed envelopes waiting to be ingested (`out/inbox/`).
///
/// Every regular file at its top is a submission: one named `*.json` (in any case) is read as a
/// DSSE envelope, with its documents in `NAME.docs/`; any other file, and a symbolic link (never
/// followed), is refused with the reason. Once decided a file moves to `accepted/` or to
/// `refused/` with a `NAME.reason` file beside it; nothing is deleted, and a name already taken
/// there gains the start of the file's content hash (and, should that be taken too, a counter),
/// so no filing ever collides. What cannot be decided now — the ledger unreachable, a file that
/// cannot be read or moved — is *deferred*: left in the inbox for the next run, and reported. What
/// is no file (a folder, a FIFO) is left where it is and reported. A file over
/// `Envelope.maximumSubmittedSize` is refused without being read (`OfflineSubmission.read`).
///
/// Ingesting is safe to kill at any moment and re-run: an envelope whose exact bytes are already in
/// its case was accepted by an earlier run, and is filed as accepted once the documents sent with
/// it are the ones the ledger holds for it (with another document it is refused). Filing itself is
/// ordered so that a stop anywhere in it is finished by the next run, never done twice: the reason
/// is written, the envelope is given its name in `accepted/` or `refused/` (a hard link), its
/// documents are moved (one rename), and only then is its inbox name removed. A file the next run
/// finds under both names is filed where the earlier run put it, as that run decided; a lone
/// `.reason` is the leftover of a run stopped before the link, and is written again.
public struct Inbox {
    public let folder: URL
    public var accepted: URL { folder.appendingPathComponent("accepted") }
    public var refused: URL { folder.appendingPathComponent("refused") }

    public init(folder: URL) {
        self.folder = folder
    }

    /// What happened to one file.
    public enum Outcome: Sendable, Equatable {
        case accepted(entryIndex: Int)
        /// Its bytes were already in the ledger (an earlier run appended it and was stopped).
        case alreadyAccepted
        case refused(reason: String)
        /// Not decided this run (the reason says why); the file stays in the inbox.
        case deferred(reason: String)
    }

    /// One file decided and filed: the outcome, and the name it was filed under in `accepted/` or
    /// `refused/` (`nil` when it stayed in the inbox). `filingProblem` says why a file decided
    /// could not be moved (it stays, and the next run files it).
    public struct Filed: Sendable, Equatable {
        public var outcome: Outcome
        public var filedAs: String?
        public var filingProblem: String?
    }

    /// What is at the inbox's top and is no submission, with why it is left where it is.
    public struct LeftAlone: Sendable, Equatable {
        public var name: String
        public var reason: String
    }

    /// What the inbox holds, from one listing of its top: the submissions waiting, in name order
    /// (a file named like one of the inbox's own folders first: filing it makes room for that
    /// folder), and what is neither a submission, nor the inbox's own folders, nor the document
    /// folder of a submission — reported by the batch, left where it is.
    public func contents() throws -> (pending: [URL], leftAlone: [LeftAlone]) {
        let found = try entries()
        let names = Set(found.map(\.url.lastPathComponent))
        let pending = found.filter { Self.isSubmission($0.type) }.map(\.url)
            .sorted {
                (Self.blocksFolder($0) ? 0 : 1, $0.lastPathComponent) < (
                    Self.blocksFolder($1) ? 0 : 1, $1.lastPathComponent
                )
            }
        let leftAlone = found.compactMap { item -> LeftAlone? in
            let name = item.url.lastPathComponent
            if Self.isSubmission(item.type) { return nil }
            guard item.type == .typeDirectory else {
                return LeftAlone(name: name, reason: "not a regular file (\(item.type.rawValue)): left where it is")
            }
            if name == "accepted" || name == "refused" { return nil }
            if name.hasSuffix(".docs"), names.contains(String(name.dropLast(5))) { return nil }
            return LeftAlone(
                name: name,
                reason: name.hasSuffix(".docs")
                    ? "a document folder whose envelope \(name.dropLast(5)) is not in the inbox: left where it is"
                    : "a folder, not a submission: left where it is"
            )
        }
        return (pending, leftAlone)
    }

    /// Decides one submission with `decide` and files it under `accepted/` or `refused/`; a
    /// deferred one stays. Never throws: whatever goes wrong with this file is in what it returns.
    public func ingest(_ file: URL, decide: (OfflineSubmission) throws -> Outcome) -> Filed {
        self.file(file, as: decision(for: file, decide: decide))
    }

    /// Files a submission already decided (`decision(for:decide:)`, then appended with others):
    /// a deferred one stays where it is.
    public func file(_ file: URL, as outcome: Outcome) -> Filed {
        if case .deferred = outcome { return Filed(outcome: outcome) }
        do {
            return Filed(outcome: outcome, filedAs: try fileAway(file, outcome: outcome))
        } catch {
            return Filed(
                outcome: outcome,
                filingProblem: "could not be moved out of the inbox (\(Self.describe(error))); the next run files it"
            )
        }
    }

    /// Decides one submission with `decide` and leaves it where it is (a dry run): what `ingest`
    /// would file it as. A file that is not a `*.json` regular file is refused unread; one that
    /// cannot be read, or on which the ledger fails, is deferred; one `decide` refuses (throws on)
    /// is refused, why.
    public func decision(for file: URL, decide: (OfflineSubmission) throws -> Outcome) -> Outcome {
        let name = file.lastPathComponent
        let status = FileMove.status(at: file.path)
        if let earlier = earlierFiling(of: file, status: status) { return earlier.outcome }
        if status?.type == .typeSymbolicLink {
            return .refused(reason: "a symbolic link: the inbox takes files, and links are never followed")
        }
        guard name.lowercased().hasSuffix(".json") else {
            return .refused(
                reason: "not an envelope: only files named *.json are read as DSSE envelopes"
                    + (Self.blocksFolder(file) ? " (it had the name of the inbox's folder '\(name)')" : "")
            )
        }
        let submission: OfflineSubmission
        do {
            submission = try OfflineSubmission.read(from: file.path)
        } catch EngineError.oversizedSubmission(let path, let size) {
            return .refused(reason: "\(EngineError.oversizedSubmission(path: path, size: size))")
        } catch {
            return .deferred(reason: "\(Self.describe(error)); it stays in the inbox for the next run")
        }
        do {
            return try decide(submission)
        } catch {
            return Self.outcome(of: error)
        }
    }

    /// What a submission whose decision (or append) failed with `error` becomes: deferred when the
    /// ledger failed or is damaged — it stays for the next run — else refused, why.
    public static func outcome(of error: any Error) -> Outcome {
        switch error {
        case let error as StorageError where !error.isRefusal:
            .deferred(reason: "the ledger failed (\(error)); it stays in the inbox for the next run")
        case let error as EngineError where error.isDamage:
            .deferred(reason: "\(error); it stays in the inbox until the ledger is repaired")
        default:
            .refused(reason: "\(error)")
        }
    }

    /// Files `file` (see the type's comment for the order, which a stop anywhere in is finished by
    /// the next run) and returns the name it was filed under.
    private func fileAway(_ file: URL, outcome: Outcome) throws -> String {
        if let earlier = earlierFiling(of: file, status: FileMove.status(at: file.path)) {
            try finish(file, as: earlier.target)
            return earlier.target.lastPathComponent
        }
        let files = FileManager.default
        let destination: URL
        switch outcome {
        case .accepted, .alreadyAccepted: destination = accepted
        case .refused: destination = refused
        case .deferred: return file.lastPathComponent
        }
        var file = file
        // Whatever holds the folder's name and is no folder (a file, a link) is moved aside first,
        // under a free name; when it is this very file, it is then filed from there.
        switch Self.type(of: destination) {
        case .typeDirectory?: break
        case nil: try files.createDirectory(at: destination, withIntermediateDirectories: true)
        case _?:
            let aside = folder.appendingPathComponent(try freeName(for: destination, in: folder))
            try files.moveItem(at: destination, to: aside)
            if file.standardizedFileURL == destination.standardizedFileURL { file = aside }
            try files.createDirectory(at: destination, withIntermediateDirectories: true)
        }
        let name = try freeName(for: file, in: destination)
        let target = destination.appendingPathComponent(name)
        if case .refused(let reason) = outcome {
            try Data((reason + "\n").utf8).write(to: URL(fileURLWithPath: target.path + ".reason"), options: .atomic)
        }
        guard try FileMove.link(file.path, to: target.path) else {
            // No hard links here: the documents, then the file, each moved at once.
            try moveDocuments(of: file, to: target)
            try files.moveItem(at: file, to: target)
            return name
        }
        try finish(file, as: target)
        return name
    }

    /// The rest of filing once `file` also has its name `target`: its documents moved beside it,
    /// then its inbox name removed.
    private func finish(_ file: URL, as target: URL) throws {
        try moveDocuments(of: file, to: target)
        try FileMove.unlink(file.path)
    }

    /// Moves the submission's documents folder, when it has one still in the inbox, beside `target`.
    private func moveDocuments(of file: URL, to target: URL) throws {
        let documents = OfflineSubmission.documentFolder(for: file.path)
        guard FileMove.type(at: documents) == .typeDirectory else { return }
        try FileMove.renameFolder(documents, to: OfflineSubmission.documentFolder(for: target.path))
    }

    /// Where an earlier run, stopped while filing `file`, had already given it its name in
    /// `accepted/` or `refused/` (the same file under both names), with what that run decided:
    /// already accepted, or refused for the reason it wrote. `nil` for a file with one name
    /// (`status` is the file's own, as `FileMove.status` gave it).
    private func earlierFiling(of file: URL, status: FileMove.Status?) -> (target: URL, outcome: Outcome)? {
        guard let status, status.type == .typeRegular, status.links > 1 else {
            return nil
        }
        for destination in [accepted, refused] {
            for name in candidateNames(for: file) {
                let target = destination.appendingPathComponent(name)
                guard let filed = FileMove.status(at: target.path) else { break }
                guard filed.isSameFile(as: status) else { continue }
                if destination == accepted { return (target, .alreadyAccepted) }
                let reason = (try? String(contentsOfFile: target.path + ".reason", encoding: .utf8))?
                    .trimmingCharacters(in: .newlines)
                return (target, .refused(reason: reason ?? "refused by an earlier run, stopped while filing it"))
            }
        }
        return nil
    }

    /// The first of the file's candidate names that nothing in `destination` takes: neither the
    /// name nor its `.docs` companion (a `.reason` alone is what a run stopped before filing left,
    /// and is written again).
    private func freeName(for file: URL, in destination: URL) throws -> String {
        candidateNames(for: file).first { candidate in
            let path = destination.appendingPathComponent(candidate).path
            return [path, OfflineSubmission.documentFolder(for: path)].allSatisfy { FileMove.type(at: $0) == nil }
        }!
    }

    /// The names a file may be filed under, in order: its own; then with the start of the content's
    /// hash before its extension, the same on every re-run; then that with a counter. Only the
    /// first `Envelope.maximumSubmittedSize` + 1 bytes are hashed (once, when the own name is
    /// passed), so an oversized file is never read whole.
    private func candidateNames(for file: URL) -> some Sequence<String> {
        let name = file.lastPathComponent
        let lowered = name.lowercased()
        let extensionLength = [".dsse.json", ".json"].first { lowered.hasSuffix($0) && lowered.count > $0.count }?.count
        let stem = name.dropLast(extensionLength ?? 0)
        let suffix = name.suffix(extensionLength ?? 0)
        var hash: Substring?
        return (0...).lazy.map { counter -> String in
            if counter == 0 { return name }
            if hash == nil { hash = SHA256.hash(Self.head(of: file)).hex.prefix(12) }
            return "\(stem)-\(hash!)\(counter == 1 ? "" : "-\(counter)")\(suffix)"
        }
    }

    /// The file's first `Envelope.maximumSubmittedSize` + 1 bytes (nothing for what is no regular file).
    private static func head(of file: URL) -> Data {
        guard type(of: file) == .typeRegular, let handle = try? FileHandle(forReadingFrom: file) else { return Data() }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: Envelope.maximumSubmittedSize + 1)) ?? Data()
    }

    /// The inbox's top, each with its type as `lstat` gives it (links not followed).
    private func entries() throws -> [(url: URL, type: FileAttributeType)] {
        guard Self.type(of: folder) != nil else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().compactMap { name in
                let url = folder.appendingPathComponent(name)
                return Self.type(of: url).map { (url, $0) }
            }
        } catch {
            throw EngineError.unreadableSubmission(path: folder.path)
        }
    }

    /// What a top-level item is taken for: a regular file or a link is a submission.
    private static func isSubmission(_ type: FileAttributeType) -> Bool {
        type == .typeRegular || type == .typeSymbolicLink
    }

    /// Whether the file takes the name of one of the inbox's own folders.
    private static func blocksFolder(_ file: URL) -> Bool {
        ["accepted", "refused"].contains(file.lastPathComponent) && type(of: file) != .typeDirectory
    }

    /// The item's type, its link not followed; `nil` when nothing is there.
    static func type(of url: URL) -> FileAttributeType? {
        FileMove.type(at: url.path)
    }

    /// A Foundation file error in words (the path and what failed), not its raw dump.
    static func describe(_ error: any Error) -> String {
        if let error = error as? CocoaError {
            let path = (error.userInfo[NSFilePathErrorKey] as? String) ?? error.filePath ?? ""
            // The system's own words for a system error ("Permission denied"), unless what failed
            // gave its own (FileMove's say which call failed).
            let underlying = (error.userInfo[NSUnderlyingErrorKey] as? NSError).map { underlying in
                underlying.domain == NSPOSIXErrorDomain && underlying.userInfo[NSLocalizedDescriptionKey] == nil
                    ? String(cString: strerror(Int32(underlying.code))) : underlying.localizedDescription
            }
            let system: String? =
                switch error.code {
                case .fileWriteNoPermission, .fileReadNoPermission: "Permission denied"
                case .fileWriteOutOfSpace: "No space left on device"
                case .fileWriteVolumeReadOnly: "Read-only file system"
                default: nil
                }
            return [path.isEmpty ? nil : path, underlying ?? system ?? error.localizedDescription].compactMap { $0 }
                .joined(separator: ": ")
        }
        return "\(error)"
    }
}
