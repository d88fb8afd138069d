import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Where a command writes: standard output for results, standard error for errors and notes.
struct Console: Sendable {
    var out: @Sendable (String) -> Void
    var err: @Sendable (String) -> Void
    /// Whether standard error is a terminal (progress bars draw only there).
    var isTerminal: Bool

    static let standard = Console(
        out: { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        },
        err: { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        },
        isTerminal: isatty(2) == 1
    )
}
