import CountersignKit
import Foundation

/// The shared third-party XML corpus and the reference tools the document tests compare against.
enum Corpus {
    /// `../shared/corpus` beside the package root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/corpus", isDirectory: true)

    /// Every `*.xml` directly in `folder` (e.g. `ubl`), sorted by name.
    static func documents(in folder: String) -> [URL] {
        let directory = root.appendingPathComponent(folder, isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".xml") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// `xmlstarlet c14n --exc-without-comments FILE | sha256sum`, as `sha256:HEX`; `nil` if either tool fails.
    static func referenceFingerprint(of file: URL) throws -> String? {
        let (status, output) = try run(
            "/bin/bash",
            ["-o", "pipefail", "-c", "xmlstarlet c14n --exc-without-comments \"$1\" | sha256sum", "-", file.path]
        )
        guard status == 0 else { return nil }
        return "sha256:" + String(decoding: output.prefix(64), as: UTF8.self)
    }

    /// Runs a program to completion and returns its exit status and standard output (read before waiting).
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
