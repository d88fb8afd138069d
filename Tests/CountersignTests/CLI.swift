import CountersignKit
import Foundation
import Testing

/// Runs the built `countersign` executable in a workspace and captures what it prints.
struct CLI: Sendable {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let workspace: URL
    var environment: [String: String] = [:]
    /// A program and its arguments that run the executable (`setpriv ...`), or nothing to run it directly.
    var launcher: [String] = []

    /// The executable SwiftPM built next to this test bundle.
    static let executable: URL = {
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return bundle.deletingLastPathComponent().appendingPathComponent("countersign")
    }()

    init(workspace: URL) {
        self.workspace = workspace
    }

    @discardableResult
    func run(_ arguments: String..., stdin: String? = nil) throws -> Result {
        try run(arguments)
    }

    /// A process that runs the executable with `arguments` in the workspace, not yet started.
    func process(_ arguments: [String]) -> Process {
        let process = Process()
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = launcher.dropFirst() + [Self.executable.path] + arguments
        } else {
            process.executableURL = Self.executable
            process.arguments = arguments
        }
        process.currentDirectoryURL = workspace
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("COUNTERSIGN_") }
        environment.merge(self.environment) { $1 }
        process.environment = environment
        return process
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> Result {
        let process = process(arguments)
        // Files, not pipes: nothing can block however much the command prints.
        let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("cs-out-\(UUID().uuidString)")
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("cs-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        )
    }
}

/// A fresh workspace folder, and beside it the home of the parties' own state (where a witness keeps
/// what it cosigned, outside the workspace), both removed when released.
final class Workspace: Sendable {
    let url: URL
    /// `XDG_STATE_HOME` of every command run in the workspace.
    let stateHome: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("countersign-e2e-\(UUID().uuidString)")
        stateHome = url.appendingPathExtension("state")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.removeItem(at: stateHome)
    }

    var cli: CLI {
        var cli = CLI(workspace: url)
        cli.environment["XDG_STATE_HOME"] = stateHome.path
        return cli
    }

    /// The note in which `party`, witnessing the log `origin`, keeps the checkpoint of `size` entries it cosigned.
    func witnessNote(_ party: String, origin: String, size: Int) -> URL {
        WitnessState(
            directory: stateHome.appendingPathComponent("countersign/witness"),
            origin: origin,
            party: party
        ).folder.appendingPathComponent("\(size).checkpoint")
    }

    /// Every checkpoint `party` cosigned of the log `origin`, as its state keeps them, smallest first.
    func witnessNotes(_ party: String, origin: String) throws -> [String] {
        try WitnessState(
            directory: stateHome.appendingPathComponent("countersign/witness"),
            origin: origin,
            party: party
        )
        .notes().map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    /// Every file under the workspace, relative, sorted: to show that a refused command wrote nothing.
    func files() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: url.path)
        var files: [String] = []
        while let next = enumerator?.nextObject() as? String { files.append(next) }
        return files.sorted()
    }
}
