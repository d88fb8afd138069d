import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The two file-system calls the inbox makes per file, straight to the system: Foundation's
/// `attributesOfItem` and `moveItem` build dictionaries and stat a path several times each, which
/// made filing, not checking, most of the cost of ingesting an inbox.
enum FileMove {
    /// What is at `path`, without following a symbolic link; `nil` when nothing is.
    static func type(at path: String) -> FileAttributeType? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .typeRegular
        case S_IFDIR: return .typeDirectory
        case S_IFLNK: return .typeSymbolicLink
        default: return .typeUnknown
        }
    }

    /// Moves the file or folder at `source` to `target`, never replacing what is there: a file is
    /// linked under its new name (which fails when the name is taken) and then unlinked from the
    /// old; a folder is renamed onto an empty folder created for it, which fails when the name is
    /// taken. On a file system without hard links, Foundation's move does it.
    static func move(_ source: String, to target: String) throws {
        if type(at: source) == .typeDirectory {
            guard mkdir(target, 0o700) == 0 else { throw failure("cannot create", target) }
            guard rename(source, target) == 0 else {
                let error = failure("cannot move \(source) to", target)
                rmdir(target)
                throw error
            }
            return
        }
        guard link(source, target) == 0 else {
            if [EPERM, EOPNOTSUPP, EXDEV, EMLINK].contains(errno) {
                return try FileManager.default.moveItem(atPath: source, toPath: target)
            }
            throw failure("cannot move \(source) to", target)
        }
        guard unlink(source) == 0 else { throw failure("cannot remove", source) }
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
