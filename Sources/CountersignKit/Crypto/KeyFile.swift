import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Private key files on disk: written 0600 and never read when group or others could read them.
public enum KeyFile {
    /// Loads a PKCS#8 Ed25519 key, refusing files readable by group or others (as ssh does).
    public static func load(_ path: String) throws(CryptoError) -> Ed25519PrivateKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .keyFileUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .keyFileUnreadable(path: path, reason: "not a regular file")
        }
        let mode = Int(info.st_mode & 0o777)
        guard mode & 0o077 == 0 else { throw .keyFileTooOpen(path: path, mode: mode) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .keyFileUnreadable(path: path, reason: "permission denied")
        }
        do {
            return try Ed25519PrivateKey(pem: String(decoding: data, as: UTF8.self))
        } catch .encryptedKey {
            throw .encryptedKey(path: path)
        }
    }

    /// Writes `key` as PKCS#8 PEM with mode 0600, creating parent folders.
    /// Refuses to replace an existing file unless `overwrite` is set.
    public static func write(_ key: Ed25519PrivateKey, to path: String, overwrite: Bool) throws(CryptoError) {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
        } catch {
            throw .keyFileUnreadable(path: path, reason: "cannot create its folder: \(error.localizedDescription)")
        }
        if !overwrite && FileManager.default.fileExists(atPath: path) { throw .keyFileExists(path: path) }
        // Write to a private temporary file, then rename: the key is never visible with a wider mode.
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw .keyFileUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let bytes = Array(key.pemRepresentation.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .keyFileUnreadable(path: path, reason: reason)
        }
    }
}
