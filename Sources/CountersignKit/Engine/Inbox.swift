import Foundation

/// A folder of offline-signed envelopes waiting to be ingested (`out/inbox/`).
///
/// Each `*.dsse.json` file at the top level is one submission (with its documents in
/// `NAME.dsse.json.docs/`). Once decided it moves to `accepted/` or to `refused/` with a
/// `NAME.reason` file beside it; nothing is deleted. A file over `Envelope.maximumSubmittedSize`
/// is refused without being read (`OfflineSubmission.read`). Ingesting is safe to kill at any moment and
/// re-run: an envelope whose exact bytes are already in its case was accepted by an earlier run and
/// is only moved, so nothing is appended twice.
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
    }

    /// The submissions waiting, in name order.
    public func pending() throws -> [URL] {
        let files = FileManager.default
        guard files.fileExists(atPath: folder.path) else { return [] }
        return try files.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".dsse.json") }
            .sorted()
            .map { folder.appendingPathComponent($0) }
    }

    /// Decides one submission with `decide` and files it under `accepted/` or `refused/`.
    public func ingest(_ file: URL, decide: (OfflineSubmission) throws -> Outcome) throws -> Outcome {
        let outcome = decision(for: file, decide: decide)
        try fileAway(file, outcome: outcome)
        return outcome
    }

    /// Decides one submission with `decide` and leaves it where it is (a dry run): what `ingest`
    /// would file it as. A file that cannot be read, or that `decide` throws on, is refused, why.
    public func decision(for file: URL, decide: (OfflineSubmission) throws -> Outcome) -> Outcome {
        do {
            return try decide(try OfflineSubmission.read(from: file.path))
        } catch {
            return .refused(reason: "\(error)")
        }
    }

    /// Writes the reason (when refused), moves the documents, and moves the envelope last: a file
    /// still in the inbox has not been filed, and re-running finishes the job.
    private func fileAway(_ file: URL, outcome: Outcome) throws {
        let files = FileManager.default
        let destination: URL
        switch outcome {
        case .accepted, .alreadyAccepted: destination = accepted
        case .refused: destination = refused
        }
        try files.createDirectory(at: destination, withIntermediateDirectories: true)
        let documents = URL(fileURLWithPath: OfflineSubmission.documentFolder(for: file.path))
        let hasDocuments = files.fileExists(atPath: documents.path)
        let target = destination.appendingPathComponent(
            try freeName(for: file, in: destination, withDocuments: hasDocuments)
        )
        if case .refused(let reason) = outcome {
            try Data((reason + "\n").utf8).write(to: URL(fileURLWithPath: target.path + ".reason"), options: .atomic)
        }
        if hasDocuments {
            try files.moveItem(
                at: documents,
                to: URL(fileURLWithPath: OfflineSubmission.documentFolder(for: target.path))
            )
        }
        try files.moveItem(at: file, to: target)
    }

    /// The file's own name, unless a file (or document folder) of that name was filed before: then
    /// the name gains the start of its content's hash, the same on every re-run. Only the first
    /// `Envelope.maximumSubmittedSize` + 1 bytes are hashed (all of any envelope that can be
    /// accepted), so an oversized file is never read whole here either.
    private func freeName(for file: URL, in destination: URL, withDocuments: Bool) throws -> String {
        let files = FileManager.default
        let plain = destination.appendingPathComponent(file.lastPathComponent).path
        if !files.fileExists(atPath: plain)
            && !(withDocuments && files.fileExists(atPath: OfflineSubmission.documentFolder(for: plain)))
        {
            return file.lastPathComponent
        }
        let stem = file.lastPathComponent.dropLast(".dsse.json".count)
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let content = try handle.read(upToCount: Envelope.maximumSubmittedSize + 1) ?? Data()
        return "\(stem)-\(SHA256.hash(content).hex.prefix(12)).dsse.json"
    }
}
