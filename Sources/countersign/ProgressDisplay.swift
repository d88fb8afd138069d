import Foundation

/// Progress of a long batch on standard error: a redrawn bar on a terminal, a plain line every
/// ten percent otherwise (logs from cron stay readable).
final class ProgressDisplay {
    private let console: Console
    private let quiet: Bool
    private var lastPhase = ""
    private var lastDecile = -1
    private var drawn = false

    init(console: Console, quiet: Bool) {
        self.console = console
        self.quiet = quiet
    }

    func update(_ phase: String, done: Int, total: Int) {
        guard !quiet, total > 0 else { return }
        let fraction = Double(done) / Double(total)
        if console.isTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            console.err(
                "\r\(phase.padding(toLength: 18, withPad: " ", startingAt: 0)) [\(bar)] \(Int(fraction * 100))% \(done)/\(total)\u{1B}[K",
                newline: false
            )
            drawn = true
        } else {
            let decile = Int(fraction * 10)
            guard phase != lastPhase || decile != lastDecile else { return }
            lastPhase = phase
            lastDecile = decile
            console.err("\(phase): \(done)/\(total) (\(decile * 10)%)")
        }
    }

    /// Ends the bar's line on a terminal.
    func finish() {
        if drawn { console.err("") }
    }
}
