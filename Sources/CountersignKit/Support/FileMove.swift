import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The file-system calls the inbox makes per file, straight to the system: Foundation's
/// `attributesOfItem` and `moveItem` build dictionaries and stat a path several times each, which
/// made filing, not checking, most of the cost of ingesting an inbox.
enum FileMove {
    /// What `lstat` says of a path: its type, and the identity and link count of what is there.
    struct Status: Equatable {
        var type: FileAttributeType
        var device: UInt64
        var inode: UInt64
        var links: UInt64

        /// Whether the two are one file under two names.
        func isSameFile(as other: Status) -> Bool {
            device == other.device && inode == other.inode
        }
    }

    /// What is at `path`, without following a symbolic link; `nil` when nothing is.
    static func status(at path: String) -> Status? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        let type: FileAttributeType =
            switch status.st_mode & S_IFMT {
            case S_IFREG: .typeRegular
            case S_IFDIR: .typeDirectory
            case S_IFLNK: .typeSymbolicLink
            default: .typeUnknown
            }
        return Status(
            type: type,
            device: UInt64(status.st_dev),
            inode: UInt64(status.st_ino),
            links: UInt64(status.st_nlink)
        )
    }

    /// What is at `path`, without following a symbolic link; `nil` when nothing is.
    static func type(at path: String) -> FileAttributeType? {
        status(at: path)?.type
    }

    /// Gives the file at `source` the second name `target`, which fails when the name is taken.
    /// Returns `false` on a file system without hard links, where nothing was done.
    static func link(_ source: String, to target: String) throws -> Bool {
        guard Glibc.link(source, target) == 0 else {
            if [EPERM, EOPNOTSUPP, EXDEV, EMLINK].contains(errno) { return false }
            throw failure("cannot move \(source) to", target)
        }
        return true
    }

    /// Removes the name `path` of a file (its other names, if any, keep it).
    static func unlink(_ path: String) throws {
        guard Glibc.unlink(path) == 0 else { throw failure("cannot remove", path) }
    }

    /// Renames the folder at `source` to `target`, at once: which fails when `target` is a file or
    /// a folder with something in it, and replaces only an empty folder.
    static func renameFolder(_ source: String, to target: String) throws {
        guard rename(source, target) == 0 else { throw failure("cannot move \(source) to", target) }
    }

    private static func failure(_ what: String, _ path: String) -> CocoaError {
        let code = errno
        return CocoaError(
            .fileWriteUnknown,
            userInfo: [
                NSFilePathErrorKey: path,
                NSUnderlyingErrorKey: NSError(
                    domain: NSPOSIXErrorDomain,
                    code: Int(code),
                    userInfo: [NSLocalizedDescriptionKey: "\(what) \(path): \(String(cString: strerror(code)))"]
                ),
            ]
        )
    }
}
