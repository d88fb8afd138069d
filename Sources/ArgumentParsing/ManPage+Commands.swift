extension ManPage {
    /// The page of the program itself, `PROGRAM(1)`: its synopsis, `description`, every command
    /// that is not hidden (with its abstract and its own page), the global options, then `extra`
    /// sections (exit status, environment, files, see also: what only the product knows).
    public static func program(
        _ parser: ArgumentParser,
        summary: String,
        description: [Block],
        header: Header,
        extra: [Section]
    ) -> ManPage {
        let commands = parser.commands.filter { !$0.isHidden }.map { command in
            Block.item(
                term: [.bold("\(parser.programName) \(command.name)")],
                description: spans(command.abstract) + [.plain(" See "), .bold(name(of: command, in: parser))]
                    + [.plain("(1).")]
            )
        }
        let synopsis = Block.paragraph([
            .bold(parser.programName), .plain(" [global options] "), .italic("command"), .plain(" ["),
            .italic("arguments"), .plain("]"),
        ])
        return ManPage(
            name: parser.programName,
            section: 1,
            summary: plainSummary(summary),
            header: header,
            sections: [
                Section("SYNOPSIS", [synopsis]),
                Section("DESCRIPTION", description),
                Section("COMMANDS", commands),
                Section("GLOBAL OPTIONS", parser.globals.map(item)),
            ] + extra
        )
    }

    /// The page of one command, `PROGRAM-WORDS(1)` (`countersign-log-proof`): its synopsis, its
    /// abstract and discussion, its arguments and options as `--help` lists them, the global
    /// options, then `extra` sections.
    public static func command(
        _ command: CommandSpec,
        of parser: ArgumentParser,
        header: Header,
        extra: [Section]
    ) -> ManPage {
        var synopsis: [Span] = [.bold("\(parser.programName) \(command.name)")]
        for argument in command.arguments { synopsis += [.plain(" ")] + usage(argument) }
        var description = [Block.paragraph(spans(command.abstract))]
        if !command.discussion.isEmpty { description.append(.paragraph(spans(command.discussion))) }
        var sections = [Section("SYNOPSIS", [.paragraph(synopsis)]), Section("DESCRIPTION", description)]
        let positionals = command.arguments.filter(\.isPositional)
        let options = command.arguments.filter { !$0.isPositional }
        if !positionals.isEmpty { sections.append(Section("ARGUMENTS", positionals.map(item))) }
        if !options.isEmpty { sections.append(Section("OPTIONS", options.map(item))) }
        sections.append(Section("GLOBAL OPTIONS", parser.globals.map(item)))
        return ManPage(
            name: name(of: command, in: parser),
            section: 1,
            summary: plainSummary(command.abstract),
            header: header,
            sections: sections + extra
        )
    }

    /// The name of a command's page: the program and the command's words, joined by dashes.
    public static func name(of command: CommandSpec, in parser: ArgumentParser) -> String {
        ([parser.programName] + command.path).joined(separator: "-")
    }

    /// An ENVIRONMENT item for each of `arguments` an environment variable can supply.
    public static func environment(of arguments: [ArgumentSpec]) -> [Block] {
        arguments.compactMap { argument in
            argument.environment.map { variable in
                .item(
                    term: [.bold(variable)],
                    description: [
                        .plain("The value of "), .bold("--\(argument.name)"), .plain(" when it is not given."),
                    ]
                )
            }
        }
    }

    /// An argument as a term and its help: `--key FILE`, `-q, --quiet`, `CASE`.
    private static func item(_ argument: ArgumentSpec) -> Block {
        var term: [Span]
        switch argument.kind {
        case .positional: term = [.italic(argument.name)]
        case .option, .flag:
            term = argument.short.map { [.bold("-\($0)"), .plain(", ")] } ?? []
            term.append(.bold("--\(argument.name)"))
            if case .option = argument.kind { term += [.plain(" "), .italic(argument.valueName)] }
        }
        var description = spans(argument.help)
        if let variable = argument.environment {
            description += [.plain(" (environment: "), .bold(variable), .plain(")")]
        }
        if case .option(repeating: true) = argument.kind {
            description.append(.plain(" (may be given more than once)"))
        }
        return .item(term: term, description: description)
    }

    /// An argument as the synopsis shows it, as `--help`'s usage line does.
    private static func usage(_ argument: ArgumentSpec) -> [Span] {
        switch argument.kind {
        case .positional(let optional, let repeating):
            let word: [Span] = [.italic(argument.name)] + (repeating ? [.plain("...")] : [])
            return optional ? [.plain("[")] + word + [.plain("]")] : word
        case .option(let repeating):
            return [.plain("["), .bold("--\(argument.name)"), .plain(" "), .italic(argument.valueName), .plain("]")]
                + (repeating ? [.plain("...")] : [])
        case .flag:
            return [.plain("["), .bold("--\(argument.name)"), .plain("]")]
        }
    }

    /// An abstract as a NAME line: no trailing period, no code marks.
    private static func plainSummary(_ abstract: String) -> String {
        let text = abstract.replacing("`", with: "")
        return text.hasSuffix(".") ? String(text.dropLast()) : text
    }
}
