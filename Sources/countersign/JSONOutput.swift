import Foundation
import Synchronization

/// Standard output under `--json`: exactly one JSON document. A command with a result of its own
/// prints it (`CommandContext.printJSON`); for one without, the text lines it printed are
/// collected and printed as `{"command": NAME, "output": [LINES]}` when it ends (docs/DECISIONS.md, "The command line's contract"). An
/// error prints `{"error": ...}` instead (`ErrorJSON`), whatever was collected.
final class JSONOutput: Sendable {
    private let standardOutput: Console
    private let state = Mutex<(text: String, printed: Bool)>(("", false))

    init(standardOutput: Console) {
        self.standardOutput = standardOutput
    }

    /// The console a `--json` command prints its text on: collected, not printed.
    var console: Console {
        Console(
            write: { [self] text in state.withLock { $0.text += text } },
            writeError: standardOutput.writeError,
            isTerminal: standardOutput.isTerminal
        )
    }

    /// Whether the command printed its JSON document.
    var printed: Bool { state.withLock { $0.printed } }

    /// Prints `object` as the command's JSON document.
    func print(_ object: Any) throws {
        let text = try Self.text(object)
        state.withLock { $0.printed = true }
        standardOutput.out(text)
    }

    /// Prints lines that are JSON already (`export`'s JSON lines), as they come: that stream is the
    /// command's output, with or without `--json`.
    func stream(_ text: String) {
        state.withLock { $0.printed = true }
        standardOutput.out(text, terminator: "")
    }

    /// After a command that printed no document of its own: its text lines as one.
    func finish(command: String) throws {
        let (text, printed) = state.withLock { ($0.text, $0.printed) }
        guard !printed else { return }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        try print(["command": command, "output": lines])
    }

    static func text(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(
            withJSONObject: object,
            options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        )
        return String(decoding: data, as: UTF8.self)
    }
}
