import Foundation
import Synchronization

/// Progress of a long batch on standard error: a redrawn bar on a terminal, a plain line every
/// ten percent otherwise (logs from cron stay readable). Safe to call from several workers.
final class ProgressDisplay: Sendable {
    private let console: Console
    private let quiet: Bool
    private let state = Mutex((phase: "", decile: -1, drawn: false))

    init(console: Console, quiet: Bool) {
        self.console = console
        self.quiet = quiet
    }

    func update(_ phase: String, done: Int, total: Int) {
        guard !quiet, total > 0 else { return }
        let fraction = Double(done) / Double(total)
        state.withLock { state in
            if console.isTerminal {
                let width = 30
                let filled = Int(fraction * Double(width))
                let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                let label = phase.padding(toLength: 18, withPad: " ", startingAt: 0)
                console.err("\r\(label) [\(bar)] \(Int(fraction * 100))% \(done)/\(total)\u{1B}[K", newline: false)
                state.drawn = true
            } else {
                let decile = Int(fraction * 10)
                guard phase != state.phase || decile != state.decile else { return }
                state.phase = phase
                state.decile = decile
                console.err("\(phase): \(done)/\(total) (\(decile * 10)%)")
            }
        }
    }

    /// Ends the bar's line on a terminal.
    func finish() {
        if state.withLock({ $0.drawn }) { console.err("") }
    }
}
