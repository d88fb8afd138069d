import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Creates a file only where none is: the contents are written to a temporary file beside the
/// target, flushed, and hard-linked into place (the folder flushed after) (`link(2)` fails when the name is taken, and the
/// file appears whole or not at all), so two writers can never overwrite each other.
public enum ExclusiveFile {
    /// Writes `contents` to `url` unless something is there; `false` when it was.
    public static func create(_ url: URL, contents: Data, permissions: mode_t = 0o644) throws -> Bool {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard descriptor >= 0 else { throw failure("cannot write", temporary) }
        defer { unlink(temporary.path) }
        let written = contents.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += count
            }
            return fsync(descriptor) == 0
        }
        let closed = close(descriptor) == 0
        guard written, closed else { throw failure("cannot write", temporary) }
        guard link(temporary.path, url.path) == 0 else {
            if errno == EEXIST { return false }
            throw failure("cannot create", url)
        }
        // The new name itself survives a crash once the folder is synced too.
        let folderDescriptor = open(folder.path, O_RDONLY | O_DIRECTORY)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
        return true
    }

    private static func failure(_ what: String, _ url: URL) -> CocoaError {
        let reason = String(cString: strerror(errno))
        return CocoaError(
            .fileWriteUnknown,
            userInfo: [NSFilePathErrorKey: url.path, NSLocalizedDescriptionKey: "\(what) \(url.path): \(reason)"]
        )
    }
}
