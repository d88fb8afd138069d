import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Reads a regular file whole, with a size limit, in a handful of system calls: Foundation's
/// `attributesOfItem` resolves the owner's and group's names (reading `/etc/passwd` and
/// `/etc/group`) and stats every folder of the path, which made reading, not checking, the cost of
/// an envelope in the inbox.
enum RegularFile {
    /// Why a file could not be read.
    enum Failure: Error, Equatable {
        /// Nothing readable there, or no regular file (a folder, a FIFO, a device): why, in words.
        case unreadable(reason: String)
        /// Larger than the limit: `size` is what was found (the file's size, or what was read).
        case tooLarge(size: Int)
    }

    /// The bytes of the regular file at `path` (a symbolic link is followed), refusing one over
    /// `limit` bytes before reading it, and stopping there should it grow meanwhile. It is opened
    /// without blocking, so a FIFO is refused, never waited on.
    static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(reason: String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .unreadable(reason: "not a regular file") }
        guard Int(status.st_size) <= limit else { throw .tooLarge(size: Int(status.st_size)) }
        // Room for what fstat said and one byte more, grown should the file grow, up to the limit.
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size) + 1)
        var count = 0
        while count < limit + 1 {
            if count == bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, limit + 1 - bytes.count)))
            }
            let read = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if read < 0, errno == EINTR { continue }
            guard read >= 0 else { throw .unreadable(reason: String(cString: strerror(errno))) }
            if read == 0 { break }
            count += read
        }
        guard count <= limit else { throw .tooLarge(size: count) }
        return Array(bytes[..<count])
    }
}
