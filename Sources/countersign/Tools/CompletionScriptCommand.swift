import ArgumentParsing

/// `countersign __completion bash|zsh`: the completion script for a shell, generated from the
/// command declarations (`make install` installs both).
enum CompletionScriptCommand: ToolCommand {
    static let spec = CommandSpec(
        "__completion",
        abstract: "Print the completion script for bash or zsh (for packaging).",
        arguments: [.positional("SHELL", completion: .list(["bash", "zsh"]), help: "bash or zsh")],
        isHidden: true
    )

    static func run(
        _ arguments: ParsedArguments,
        parser: ArgumentParser,
        environment: [String: String],
        console: Console
    ) throws {
        switch arguments.value("SHELL") {
        case "bash": console.out(BashCompletion(parser: parser).script, terminator: "")
        case "zsh": console.out(ZshCompletion(parser: parser).script, terminator: "")
        case let other: throw UsageError("SHELL is bash or zsh, not '\(other ?? "")'", command: spec)
        }
    }
}
