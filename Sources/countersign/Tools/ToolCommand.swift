import ArgumentParsing

/// A hidden command for tools rather than people (the completion scripts, the Makefile): declared
/// like any command, left out of `--help`, and run without a workspace or a ledger of its own.
protocol ToolCommand: Sendable {
    static var spec: CommandSpec { get }
    /// Runs the command; `parser` holds every declaration, for the commands that describe them.
    static func run(
        _ arguments: ParsedArguments,
        parser: ArgumentParser,
        environment: [String: String],
        console: Console
    ) throws
}
