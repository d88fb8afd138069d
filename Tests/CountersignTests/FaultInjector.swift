import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Injects faults into runs of the built binary and counts them: how many were injected, how many
/// the ledger and files survived (checked by the test), whether the re-run completed and `log
/// verify` passed. Each fault test prints its count as one line, `fault-injection: | ... |`, a row
/// of docs/RELIABILITY.md's table (`make faults` collects them).
struct FaultInjector {
    /// What the fault is, as the table names it.
    let fault: String
    private(set) var injected = 0
    private(set) var survived = 0
    private var generator = SystemRandomNumberGenerator()

    init(_ fault: String) {
        self.fault = fault
    }

    /// Whether the long variants run (`make faults` sets `COUNTERSIGN_FAULTS_LONG=1`).
    static var long: Bool { ProcessInfo.processInfo.environment["COUNTERSIGN_FAULTS_LONG"] == "1" }

    /// `short` in `make test`, `long` under `make faults`.
    static func scale(short: Int, long: Int) -> Int { self.long ? long : short }

    /// Records one injected fault and whether everything the test checks held after it.
    mutating func record(survived: Bool) {
        injected += 1
        if survived { self.survived += 1 }
    }

    /// Starts `countersign arguments` and SIGKILLs it at a random moment within `window` seconds;
    /// returns whether the kill landed while it ran (`false`: it had already finished).
    mutating func kill(_ cli: CLI, _ arguments: [String], within window: TimeInterval) throws -> Bool {
        let process = cli.process(arguments)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        usleep(UInt32(Double.random(in: 0...window, using: &generator) * 1_000_000))
        let landed = process.isRunning && Glibc.kill(process.processIdentifier, SIGKILL) == 0
        process.waitUntilExit()
        return landed && process.terminationReason == .uncaughtSignal
    }

    /// How long `countersign arguments` takes when nothing stops it, in seconds: the window kills
    /// are spread over.
    static func duration(_ cli: CLI, _ arguments: [String]) throws -> (seconds: TimeInterval, result: CLI.Result) {
        let start = Date()
        let result = try cli.run(arguments)
        return (Date().timeIntervalSince(start), result)
    }

    /// Prints the test's row: fault, injections, survived, re-run complete, log verify.
    func report(rerunComplete: Bool, logVerified: Bool) {
        print(
            "fault-injection: | \(fault) | \(injected) | \(survived) | \(rerunComplete ? "yes" : "no") | "
                + "\(logVerified ? "passes" : "FAILS") |"
        )
    }
}
