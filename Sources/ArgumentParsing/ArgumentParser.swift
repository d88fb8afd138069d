/// Parses a command line against a set of command declarations plus options every command takes.
///
/// Rules: the first words select the command (the longest declared path that matches);
/// options and flags may come anywhere after the program name, before or after the command;
/// `--name=value` and `--name value` are both accepted; `--` ends options; an option absent from
/// the command line falls back to its environment variable.
public struct ArgumentParser: Sendable {
    public let programName: String
    public let commands: [CommandSpec]
    /// Options accepted by every command (`--workspace`, `--json`, ...).
    public let globals: [ArgumentSpec]

    public init(programName: String, commands: [CommandSpec], globals: [ArgumentSpec]) {
        self.programName = programName
        self.commands = commands
        self.globals = globals
    }

    /// What the user asked for.
    public enum Request: Sendable {
        case run(command: CommandSpec, arguments: ParsedArguments, globals: ParsedArguments)
        /// `--help` (or a bare command group): the text to print.
        case help(String)
        case version
    }

    public func parse(_ arguments: [String], environment: [String: String]) throws(UsageError) -> Request {
        let tokens = Self.tokenize(arguments)
        let wantsHelp = tokens.contains { $0 == .help }
        let commandWords = leadingWords(tokens)
        guard let command = match(commandWords) else {
            if tokens.contains(.version) && commandWords.isEmpty { return .version }
            if commandWords.isEmpty || wantsHelp {
                return .help(HelpFormatter(parser: self).overview(group: commandWords))
            }
            if commandWords.count == 1, commands.contains(where: { $0.path.count > 1 && $0.path[0] == commandWords[0] })
            {
                return .help(HelpFormatter(parser: self).overview(group: commandWords))
            }
            throw UsageError(
                "unknown command '\(commandWords.prefix(2).joined(separator: " "))'\(suggestion(for: commandWords))",
                command: nil
            )
        }
        if wantsHelp { return .help(HelpFormatter(parser: self).help(for: command)) }

        var parsed = ParsedArguments(spec: command)
        var global = ParsedArguments(spec: CommandSpec("", abstract: "", arguments: globals))
        var positionals: [String] = []
        var skipCommandWords = command.path.count
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            let name: String
            let inline: String?
            switch token {
            case .help, .version: continue
            case .word(let word):
                if skipCommandWords > 0 {
                    skipCommandWords -= 1
                } else {
                    positionals.append(word)
                }
                continue
            case .option(let long, let value): (name, inline) = (long, value)
            case .short(let letter):
                guard let spec = (command.arguments + globals).first(where: { $0.short == letter }) else {
                    throw UsageError(
                        "unknown option '-\(letter)' for '\(programName) \(command.name)'",
                        command: command
                    )
                }
                (name, inline) = (spec.name, nil)
            }
            let own = command.arguments.first { $0.name == name && !$0.isPositional }
            guard let spec = own ?? globals.first(where: { $0.name == name }) else {
                throw UsageError(
                    "unknown option '--\(name)' for '\(programName) \(command.name)'\(optionSuggestion(name, command))",
                    command: command
                )
            }
            switch spec.kind {
            case .flag:
                guard inline == nil else { throw UsageError("--\(name) takes no value", command: command) }
                if own != nil { parsed.flags.insert(name) } else { global.flags.insert(name) }
            case .option(let repeating):
                var value = inline
                if value == nil, index < tokens.count, case .word(let next) = tokens[index] {
                    value = next
                    index += 1
                }
                guard let value else {
                    throw UsageError("--\(name) needs a value (\(spec.valueName))", command: command)
                }
                if own != nil {
                    try Self.add(value, for: spec, repeating: repeating, to: &parsed, command: command)
                } else {
                    try Self.add(value, for: spec, repeating: repeating, to: &global, command: command)
                }
            case .positional: continue
            }
        }
        try assignPositionals(positionals, to: &parsed, command: command)
        applyEnvironment(environment, specs: command.arguments, to: &parsed)
        applyEnvironment(environment, specs: globals, to: &global)
        return .run(command: command, arguments: parsed, globals: global)
    }

    private enum Token: Equatable {
        case word(String)
        case option(String, inline: String?)
        case short(Character)
        case help
        case version
    }

    private static func tokenize(_ arguments: [String]) -> [Token] {
        var tokens: [Token] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            if argument == "--" {
                tokens += rest.map { .word($0) }
                break
            } else if argument == "--help" || argument == "-h" {
                tokens.append(.help)
            } else if argument == "--version" {
                tokens.append(.version)
            } else if argument.hasPrefix("--") && argument.count > 2 {
                let body = argument.dropFirst(2)
                if let equals = body.firstIndex(of: "=") {
                    tokens.append(.option(String(body[..<equals]), inline: String(body[body.index(after: equals)...])))
                } else {
                    tokens.append(.option(String(body), inline: nil))
                }
            } else if argument.hasPrefix("-") && argument.count == 2 && argument != "-" {
                tokens.append(.short(argument.last!))
            } else {
                tokens.append(.word(argument))
            }
        }
        return tokens
    }

    /// The words before the first option that is not global, skipping global options and their
    /// values: these select the command (global options may come before it).
    private func leadingWords(_ tokens: [Token]) -> [String] {
        var words: [String] = []
        var index = 0
        while index < tokens.count {
            switch tokens[index] {
            case .word(let word): words.append(word)
            case .help, .version: break
            case .option(let name, let inline):
                guard let spec = globals.first(where: { $0.name == name }) else { return words }
                if case .option = spec.kind, inline == nil { index += 1 }
            case .short(let letter):
                guard globals.contains(where: { $0.short == letter }) else { return words }
            }
            index += 1
        }
        return words
    }

    private static func add(
        _ value: String,
        for spec: ArgumentSpec,
        repeating: Bool,
        to parsed: inout ParsedArguments,
        command: CommandSpec
    ) throws(UsageError) {
        if !repeating && parsed.values[spec.name] != nil {
            throw UsageError("--\(spec.name) given twice", command: command)
        }
        parsed.values[spec.name, default: []].append(value)
    }

    private func assignPositionals(
        _ words: [String],
        to parsed: inout ParsedArguments,
        command: CommandSpec
    ) throws(UsageError) {
        var remaining = words[...]
        for spec in command.arguments {
            guard case .positional(let optional, let repeating) = spec.kind else { continue }
            if repeating {
                if remaining.isEmpty && !optional { throw UsageError("missing \(spec.name)", command: command) }
                parsed.values[spec.name] = Array(remaining)
                remaining = []
            } else if let word = remaining.popFirst() {
                parsed.values[spec.name] = [word]
            } else if !optional {
                throw UsageError("missing argument \(spec.name)", command: command)
            }
        }
        if let extra = remaining.first {
            throw UsageError("unexpected argument '\(extra)' for '\(programName) \(command.name)'", command: command)
        }
    }

    private func applyEnvironment(
        _ environment: [String: String],
        specs: [ArgumentSpec],
        to parsed: inout ParsedArguments
    ) {
        for spec in specs {
            guard let variable = spec.environment, parsed.values[spec.name] == nil,
                let value = environment[variable], !value.isEmpty
            else { continue }
            parsed.values[spec.name] = [value]
        }
    }

    /// The declared command whose path is the longest prefix of `words`.
    private func match(_ words: [String]) -> CommandSpec? {
        commands
            .filter { words.starts(with: $0.path) }
            .max { $0.path.count < $1.path.count }
    }

    private func suggestion(for words: [String]) -> String {
        let scored = commands.filter { !$0.isHidden }.map { command in
            let typed = words.prefix(command.path.count).joined(separator: " ")
            return (name: command.name, distance: editDistance(command.name, typed), length: typed.count)
        }
        guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= max(2, best.length / 3)
        else { return "; run '\(programName) --help' for the list" }
        return "; did you mean '\(best.name)'?"
    }

    private func optionSuggestion(_ name: String, _ command: CommandSpec) -> String {
        let names = (command.arguments + globals).filter { !$0.isPositional }.map(\.name)
        guard let best = names.min(by: { editDistance($0, name) < editDistance($1, name) }),
            editDistance(best, name) <= 2
        else { return "" }
        return "; did you mean '--\(best)'?"
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
