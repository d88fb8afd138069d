import Foundation

/// Timing and printing shared by every benchmark: each result is a ratio against a floor measured
/// in the same run, next to the target the issue names.
enum Bench {
    /// Seconds taken by `body`.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Runs `body` repeatedly for about `seconds` and returns operations per second
    /// (`body` returns how many operations it did).
    static func rate(seconds: Double = 1.0, _ body: () throws -> Int) rethrows -> Double {
        var operations = 0
        var elapsed = 0.0
        while elapsed < seconds {
            elapsed += try time { operations += try body() }
        }
        return Double(operations) / elapsed
    }

    /// The folder benchmark data is cached in between runs.
    static let dataFolder: URL = {
        let url = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent(".build/bench-data")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    static func section(_ title: String) {
        print("\n== \(title)")
        fflush(nil)
    }

    /// One result line: the measurement, the floor it is compared with, the ratio and the target.
    static func report(
        _ name: String,
        value: String,
        against floor: String,
        ratio: Double,
        target: String,
        met: Bool
    ) {
        let columns = [
            name.padding(toLength: 44, withPad: " ", startingAt: 0),
            value.padding(toLength: 18, withPad: " ", startingAt: 0),
            "vs " + floor.padding(toLength: 34, withPad: " ", startingAt: 0),
            String(format: "ratio %6.2f", ratio),
            "target \(target)",
            met ? "ok" : "MISSED",
        ]
        print(columns.joined(separator: "  "))
        // Flushed at once, so a log shows each result as it is measured.
        fflush(nil)
    }

    /// The middle of `values` (the mean of the two middle ones for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func perSecond(_ value: Double) -> String {
        value >= 1000 ? String(format: "%.0f/s", value) : String(format: "%.1f/s", value)
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 1e-3 ? String(format: "%.1f µs", seconds * 1e6) : String(format: "%.2f ms", seconds * 1e3)
    }
}
