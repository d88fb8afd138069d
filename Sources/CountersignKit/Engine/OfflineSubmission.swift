import Foundation

/// An entry signed away from the ledger: the DSSE envelope in one file, exactly as signed, and the
/// documents it attaches beside it in a folder named after it (`FILE.docs/NAME.xml`), so the
/// envelope stays a standard DSSE file any tool can read.
public struct OfflineSubmission: Sendable {
    public let envelope: [UInt8]
    public let documents: [DocumentUpload]

    public init(envelope: [UInt8], documents: [DocumentUpload]) {
        self.envelope = envelope
        self.documents = documents
    }

    public init(entry: SignedEntry, documents: [DocumentUpload]) {
        self.init(envelope: entry.envelope.bytes, documents: documents)
    }

    /// The folder holding the documents of the submission at `path`.
    public static func documentFolder(for path: String) -> String { path + ".docs" }

    /// Writes the envelope, then its documents; the envelope file appears last (renamed into place),
    /// so a reader never sees an envelope without its documents.
    public func write(to path: String) throws(EngineError) {
        let folder = Self.documentFolder(for: path)
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            if !documents.isEmpty {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for document in documents {
                    let url = URL(fileURLWithPath: folder).appendingPathComponent("\(document.name).xml")
                    try Data(document.bytes).write(to: url)
                }
            }
            try Data(envelope).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }

    /// Reads a submission written by `write(to:)`. The envelope file's size is checked before it is
    /// read: one over `Envelope.maximumSubmittedSize` is refused unread (`oversizedSubmission`),
    /// and the read stops there too should the file grow in between. Its documents have their own
    /// limit (`XMLLimits`), checked where they are parsed.
    public static func read(from path: String) throws -> OfflineSubmission {
        let envelope = try readEnvelope(at: path)
        let folder = documentFolder(for: path)
        var documents: [DocumentUpload] = []
        if let names = try? FileManager.default.contentsOfDirectory(atPath: folder) {
            for name in names.sorted() where name.hasSuffix(".xml") {
                let file = (folder as NSString).appendingPathComponent(name)
                guard let bytes = FileManager.default.contents(atPath: file) else {
                    throw EngineError.unreadableSubmission(path: file)
                }
                documents.append(DocumentUpload(name: String(name.dropLast(4)), bytes: Array(bytes), source: file))
            }
        }
        return OfflineSubmission(envelope: envelope, documents: documents)
    }

    /// The envelope file's bytes, refusing a file over the size limit before reading it. Only a
    /// regular file (a symbolic link is followed): a folder or a FIFO is unreadable.
    private static func readEnvelope(at path: String) throws(EngineError) -> [UInt8] {
        do {
            return try RegularFile.read(path, limit: Envelope.maximumSubmittedSize)
        } catch .tooLarge(let size) {
            throw .oversizedSubmission(path: path, size: size)
        } catch {
            throw .unreadableSubmission(path: path)
        }
    }
}
