import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs mounted over a folder of a test workspace (the tests run as root), so that the
/// folder's disk fills up (`ENOSPC`) or turns read-only (`EROFS`) for real, under the built binary.
/// The folder's contents are copied into the new filesystem. The test calls `unmount()` when done,
/// before the workspace is removed; what was written in the tmpfs goes with it.
final class Tmpfs {
    let folder: String
    /// The file `fill(leaving:)` grows to take the free space.
    private var filler: String { folder + "/.filler" }

    /// Mounts a tmpfs of `bytes` over `folder`, holding a copy of what `folder` held.
    init(over folder: String, bytes: Int) throws {
        self.folder = folder
        let aside = folder + ".before-tmpfs"
        try FileManager.default.moveItem(atPath: folder, toPath: aside)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(bytes),mode=0755", "tmpfs", folder])
        try Self.run("/bin/cp", ["-a", aside + "/.", folder])
        try FileManager.default.removeItem(atPath: aside)
    }

    /// Whether this machine lets the tests mount a tmpfs (root in a container that allows it).
    static let isAvailable: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("tmpfs-probe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: probe) }
        guard (try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: false)) != nil,
            (try? run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.path])) != nil
        else { return false }
        return (try? run("/bin/umount", [probe.path])) != nil
    }()

    /// Bytes still free in the filesystem.
    var freeBytes: Int {
        var info = statvfs()
        guard statvfs(folder, &info) == 0 else { return 0 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    /// Takes the free space with a filler file until about `free` bytes are left (tmpfs counts
    /// whole pages).
    func fill(leaving free: Int) throws {
        let descriptor = open(filler, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard descriptor >= 0 else { throw TmpfsError("open \(filler): errno \(errno)") }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0, count: 4096)
        while chunk.withUnsafeBytes({ write(descriptor, $0.baseAddress!, $0.count) }) > 0 {}
        var status = stat()
        guard fstat(descriptor, &status) == 0, ftruncate(descriptor, max(0, status.st_size - off_t(free))) == 0 else {
            throw TmpfsError("truncate \(filler): errno \(errno)")
        }
    }

    /// Frees the space `fill(leaving:)` took.
    func release() {
        unlink(filler)
    }

    /// Remounts the filesystem read-only, or read-write again.
    func remount(readOnly: Bool) throws {
        try Self.run("/bin/mount", ["-o", "remount,\(readOnly ? "ro" : "rw")", folder])
    }

    /// Unmounts the filesystem; the folder is left empty.
    func unmount() {
        _ = try? Self.run("/bin/umount", ["--lazy", folder])
    }

    @discardableResult
    private static func run(_ program: String, _ arguments: [String]) throws -> String {
        let result = try runProgram(program, arguments)
        guard result.status == 0 else {
            throw TmpfsError("\(program) \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return result.stdout
    }
}

/// A mount, fill or remount that failed: the test cannot inject its fault.
struct TmpfsError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
