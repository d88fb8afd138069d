import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

extension Bag {
    /// Writes the bag as the folder `directory`, so that a half-written bag never exists there: the
    /// files go to a hidden sibling folder first, which is then renamed into place.
    ///
    /// An existing `directory` is replaced only when it is empty or is a bag whose `bag-info.txt`
    /// fields `mayReplace` accepts (for a case bundle: one of the same case); anything else is
    /// refused with `BundleError.outputExists`.
    public func write(to directory: URL, mayReplace: ([Field]) -> Bool) throws(BundleError) {
        let target = directory.standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let name = target.lastPathComponent
        guard BundleLayout.isSafeComponent(name) else { throw .unsafePath(name) }
        let replacing = try Self.existingFolderMayBeReplaced(target, mayReplace: mayReplace)
        let fileManager = FileManager.default
        let staging = parent.appendingPathComponent(".\(name).partial-\(UUID().uuidString)")
        do {
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: parent.path, reason: error.localizedDescription)
        }
        do throws(BundleError) {
            try writeFiles(into: staging)
            if replacing {
                let old = parent.appendingPathComponent(".\(name).replaced-\(UUID().uuidString)")
                try rename(target, to: old)
                do throws(BundleError) {
                    try rename(staging, to: target)
                } catch {
                    try? rename(old, to: target)
                    throw error
                }
                try? fileManager.removeItem(at: old)
            } else {
                try rename(staging, to: target)
            }
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
    }

    /// Writes every file into the staging folder. Plain `open`/`write`: Foundation's `Data.write`
    /// costs milliseconds a file here. Files are not fsynced: the bag is derived from the ledger, so a
    /// bag damaged by a power cut is simply written again.
    private func writeFiles(into folder: URL) throws(BundleError) {
        var created: Set<String> = []
        for (path, bytes) in files {
            let url = folder.appendingPathComponent(path)
            let subfolder = url.deletingLastPathComponent()
            do {
                if created.insert(subfolder.path).inserted {
                    try FileManager.default.createDirectory(at: subfolder, withIntermediateDirectories: true)
                }
            } catch {
                throw .unwritable(path: subfolder.path, reason: error.localizedDescription)
            }
            let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard descriptor >= 0 else { throw .unwritable(path: url.path, reason: String(cString: strerror(errno))) }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes {
                    Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset)
                }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    let reason = String(cString: strerror(errno))
                    close(descriptor)
                    throw .unwritable(path: url.path, reason: reason)
                }
                offset += written
            }
            guard close(descriptor) == 0 else {
                throw .unwritable(path: url.path, reason: String(cString: strerror(errno)))
            }
        }
    }

    private func rename(_ source: URL, to destination: URL) throws(BundleError) {
        do {
            try FileManager.default.moveItem(at: source, to: destination)
        } catch {
            throw .unwritable(path: destination.path, reason: error.localizedDescription)
        }
    }

    /// Whether `folder` exists and may be replaced; throws when it exists and may not.
    private static func existingFolderMayBeReplaced(
        _ folder: URL,
        mayReplace: ([Field]) -> Bool
    ) throws(BundleError) -> Bool {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return false }
        guard isDirectory.boolValue else { throw .outputExists(path: folder.path, reason: "is not a folder") }
        let entries: [String]
        do {
            entries = try fileManager.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw .unreadable(path: folder.path, reason: error.localizedDescription)
        }
        if entries.isEmpty { return true }
        let bagInfo = folder.appendingPathComponent("bag-info.txt")
        guard entries.contains("bagit.txt"), let data = fileManager.contents(atPath: bagInfo.path) else {
            throw .outputExists(path: folder.path, reason: "is not an audit bundle")
        }
        let info = parseFields(Array(data))
        guard mayReplace(info) else {
            let identifier = info.first { $0.label.lowercased() == "external-identifier" }?.value ?? "none"
            throw .outputExists(
                path: folder.path,
                reason: "holds a bundle of another case (External-Identifier: \(identifier))"
            )
        }
        return true
    }
}
