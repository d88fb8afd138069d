import ArgumentParsing

/// `countersign __complete KIND -- WORDS...`: the values of KIND (`DynamicValues`) for the command
/// line WORDS typed so far, one a line. What the completion scripts run on TAB: it prints nothing
/// and exits 0 when it has nothing to offer, whatever the reason.
enum CompleteCommand: ToolCommand {
    static let spec = CommandSpec(
        "__complete",
        abstract: "Print the values a completion offers (for the completion scripts).",
        arguments: [
            .positional("KIND", help: "case, step, party, pipeline or proposal"),
            .positionals("WORDS", help: "the words typed after the program name, before the one completed"),
        ],
        isHidden: true
    )

    static func run(
        _ arguments: ParsedArguments,
        parser: ArgumentParser,
        environment: [String: String],
        console: Console
    ) throws {
        guard let kind = arguments.value("KIND").flatMap(DynamicValues.init(rawValue:)) else { return }
        let line = CommandLinePrefix(arguments.values("WORDS"), parser: parser)
        for value in kind.values(for: line, environment: environment) { console.out(value) }
    }
}
