import Foundation
import Testing

/// The `sh` blocks of a bag's VERIFY.md, each with the heading of its section, run as the guide
/// says: in order, in one new bash, from the bag's top folder.
struct VerifyGuideScript {
    /// The heading that opens the case-head section (section 9).
    static let caseHeadSection = "## 9."

    let blocks: [(section: String, text: String)]

    init(markdown: String) {
        var blocks: [(String, String)] = []
        var section = ""
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "```sh" {
                current = []
            } else if line == "```", let block = current {
                blocks.append((section, block.joined(separator: "\n")))
                current = nil
            } else if current != nil {
                current?.append(line)
            } else if line.hasPrefix("## ") {
                section = String(line)
            }
        }
        self.blocks = blocks
    }

    /// The guide of a bag: its `data/VERIFY.md`.
    init(bag: URL) throws {
        self.init(markdown: try String(contentsOf: bag.appendingPathComponent("data/VERIFY.md"), encoding: .utf8))
    }

    /// Every block in order, but those of the sections whose heading starts with one of `skipping`.
    func script(skipping sections: [String] = []) -> String {
        blocks.filter { block in !sections.contains { block.section.hasPrefix($0) } }.map(\.text)
            .joined(separator: "\n")
    }

    /// The first block (the patterns and functions every block uses), then the blocks of the
    /// section whose heading starts with `section`.
    func script(section: String) -> String {
        ([blocks[0]] + blocks.dropFirst().filter { $0.section.hasPrefix(section) }).map(\.text).joined(separator: "\n")
    }

    /// What a run printed (stdout and stderr, interleaved) and its exit status.
    struct Run {
        let output: String
        let status: Int32

        var lines: [Substring] { output.split(separator: "\n") }

        /// The first `FAILED: ` line, if any.
        var firstFailure: Substring? { lines.first { $0.hasPrefix("FAILED: ") } }

        /// The `OK: ` lines printed after the first `FAILED: ` line.
        var oksAfterFirstFailure: [Substring] {
            guard let first = lines.firstIndex(where: { $0.hasPrefix("FAILED: ") }) else { return [] }
            return lines[first...].filter { $0.hasPrefix("OK: ") }
        }
    }

    /// Runs `script` with `/bin/bash -c` in `folder`.
    static func run(_ script: String, in folder: URL) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = folder
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bash-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        return Run(
            output: String(decoding: try Data(contentsOf: output), as: UTF8.self),
            status: process.terminationStatus
        )
    }
}
