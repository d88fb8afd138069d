import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Where a command writes: standard output for results, standard error for errors and notes.
struct Console: Sendable {
    var write: @Sendable (String) -> Void
    var writeError: @Sendable (String) -> Void
    /// Whether standard error is a terminal (progress bars draw only there).
    var isTerminal: Bool

    /// Prints `text` on standard output, followed by `terminator`.
    func out(_ text: String, terminator: String = "\n") {
        write(text + terminator)
    }

    /// Prints `text` on standard error, by default as a whole line.
    func err(_ text: String, newline: Bool = true) {
        writeError(newline ? text + "\n" : text)
    }

    static let standard = Console(
        write: { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        },
        writeError: { text in
            FileHandle.standardError.write(Data(text.utf8))
        },
        isTerminal: isatty(2) == 1
    )
}
