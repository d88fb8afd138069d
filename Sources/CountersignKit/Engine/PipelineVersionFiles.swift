/// The files of a pipeline version as the ledger store keeps them (under `file:sha256:HEX`, stored
/// with the proposal that named them), each checked against the SHA-256 the version records.
public enum PipelineVersionFiles {
    /// A version whose files are missing from the store or do not match.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let version: String
        public let reason: String

        public var description: String { "pipeline version \(version): \(reason)" }
    }

    /// The version's files, read from `store`.
    public static func load(_ version: PipelineVersion, from store: any LedgerStore) throws -> PipelineFiles {
        var pipeline: [UInt8]?
        var schemas: [String: [UInt8]] = [:]
        for file in version.files {
            guard let bytes = try store.document(key: DocumentKey.exactBytes(file.sha256)) else {
                throw Problem(version: version.name, reason: "file \(file.path) is not in the ledger store")
            }
            guard SHA256.hash(bytes) == file.sha256 else {
                throw Problem(
                    version: version.name,
                    reason: "the stored bytes of \(file.path) do not match its SHA-256"
                )
            }
            if file.path == PipelineFiles.pipelineName { pipeline = bytes } else { schemas[file.path] = bytes }
        }
        guard let pipeline else { throw Problem(version: version.name, reason: "it has no pipeline.yaml") }
        let files = PipelineFiles(pipeline: pipeline, schemas: schemas)
        guard files.digest == version.digest else {
            throw Problem(version: version.name, reason: "its files do not hash to its digest")
        }
        return files
    }
}
