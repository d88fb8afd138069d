/// Renders `--help` text from the declarations alone.
struct HelpFormatter {
    let parser: ArgumentParser

    /// The list of commands (all of them, or those of one group such as `log`).
    func overview(group: [String]) -> String {
        let listed = parser.commands.filter { !$0.isHidden && $0.path.starts(with: group) }
        let prefix = ([parser.programName] + group).joined(separator: " ")
        var lines = ["USAGE: \(prefix) <command> [options]", "", "COMMANDS:"]
        let width = (listed.map { $0.name.count }.max() ?? 0) + 2
        for command in listed {
            lines.append("  " + command.name.padding(to: width) + command.abstract)
        }
        lines += ["", "GLOBAL OPTIONS:"] + rows(parser.globals)
        lines += ["", "Run '\(parser.programName) <command> --help' for a command's arguments."]
        return lines.joined(separator: "\n")
    }

    /// One command's usage, arguments and options.
    func help(for command: CommandSpec) -> String {
        var lines = ["OVERVIEW: \(command.abstract)", ""]
        let usage = command.arguments.map(\.usage).joined(separator: " ")
        lines.append("USAGE: \(parser.programName) \(command.name)\(usage.isEmpty ? "" : " " + usage)")
        if !command.discussion.isEmpty { lines += ["", command.discussion] }
        let positionals = command.arguments.filter(\.isPositional)
        let options = command.arguments.filter { !$0.isPositional }
        if !positionals.isEmpty { lines += ["", "ARGUMENTS:"] + rows(positionals) }
        if !options.isEmpty { lines += ["", "OPTIONS:"] + rows(options) }
        lines += ["", "GLOBAL OPTIONS:"] + rows(parser.globals)
        return lines.joined(separator: "\n")
    }

    private func rows(_ specs: [ArgumentSpec]) -> [String] {
        let width = (specs.map { $0.label.count }.max() ?? 0) + 2
        return specs.map { spec in
            let environment = spec.environment.map { " (env \($0))" } ?? ""
            return "  " + spec.label.padding(to: width) + spec.help + environment
        }
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
