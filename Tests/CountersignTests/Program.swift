import Foundation

/// Runs another program (`man`, `bash`, `make`, `ldd`) and captures what it prints, through files
/// so nothing blocks however much it prints.
func runProgram(
    _ path: String,
    _ arguments: [String],
    in folder: URL? = nil,
    environment: [String: String]? = nil
) throws -> CLI.Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = folder }
    if let environment { process.environment = environment }
    let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("prog-out-\(UUID().uuidString)")
    let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("prog-err-\(UUID().uuidString)")
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
    return CLI.Result(
        status: process.terminationStatus,
        stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
        stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
    )
}

/// The options `countersign COMMAND --help` lists (`--as`, `-q`, ...), global ones included.
func helpOptions(_ help: String) -> Set<String> {
    var options: Set<String> = []
    for line in help.split(separator: "\n") where line.hasPrefix("  -") {
        for word in line.split(separator: " ").prefix(3) where word.hasPrefix("-") {
            options.insert(String(word.trimmingCharacters(in: CharacterSet(charactersIn: ","))))
        }
    }
    return options
}

/// The commands `countersign --help` lists (`sign`, `log proof`, ...).
func helpCommands(_ help: String) -> [String] {
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
    guard let start = lines.firstIndex(of: "COMMANDS:") else { return [] }
    return lines[(start + 1)...].prefix { !$0.isEmpty }.map { line in
        line.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ")[0]
    }
}
