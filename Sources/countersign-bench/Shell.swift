import Foundation

/// Runs other programs for the benchmarks: reference tools and the `countersign` binary itself.
enum Shell {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `executable` with `arguments` in `directory`, reading both pipes before waiting.
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read stderr on another thread so a chatty program never blocks on a full pipe.
        let errorData = ErrorBox()
        let reading = DispatchGroup()
        DispatchQueue.global().async(group: reading) {
            errorData.data = errors.fileHandleForReading.readDataToEndOfFile()
        }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        reading.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: errorData.data, as: UTF8.self)
        )
    }

    /// Seconds one run of `executable` takes from spawn to exit, stdout and stderr sent to
    /// /dev/null: `posix_spawn` and `waitpid`, with none of `Process`'s own start-up cost (tens of
    /// milliseconds here), so a short command is timed as a shell would run it. Fails loudly
    /// unless it exits 0.
    static func timed(_ executable: String, _ arguments: [String]) throws -> Double {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else {
            fatalError("cannot start \(executable)")
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard status == 0 else { fatalError("\(executable) \(arguments.joined(separator: " ")) exited \(status)") }
        return seconds
    }

    /// `/bin/sh -c COMMAND`.
    static func sh(_ command: String) throws -> Result {
        try run("/bin/sh", ["-c", command])
    }

    /// Runs and fails loudly unless the program exits 0.
    @discardableResult
    static func check(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> Result {
        let result = try run(executable, arguments, in: directory)
        guard result.status == 0 else {
            fatalError("\(executable) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result
    }

    private final class ErrorBox: @unchecked Sendable {
        // @unchecked: written by the reading task before it leaves the group, read only after `wait()`.
        var data = Data()
    }
}
