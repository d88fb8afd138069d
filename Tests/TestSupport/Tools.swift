import Foundation

/// Runs the `openssl` command line tool quietly and returns its exit status.
@discardableResult
public func openssl(_ arguments: String...) throws -> Int32 {
    try runTool("/usr/bin/openssl", arguments)
}

/// Runs a program with its output discarded and returns its exit status.
@discardableResult
public func runTool(_ path: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
