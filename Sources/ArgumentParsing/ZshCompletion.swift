/// The zsh completion script of a program (`#compdef`, for a `_PROGRAM` file on `$fpath`),
/// generated from its declarations, so it completes exactly the commands and options `--help` lists.
///
/// One function per command and per group, each an `_arguments` call: command words with their
/// abstracts, options with their help, values as their `CompletionKind` says (`_files`, fixed
/// words, or the lines `PROGRAM __complete KIND -- WORDS...` prints for the words typed so far).
public struct ZshCompletion: Sendable {
    public let parser: ArgumentParser

    public init(parser: ArgumentParser) {
        self.parser = parser
    }

    /// The script.
    public var script: String {
        let root = "_" + ShellText.identifier(parser.programName)
        let commands = parser.visibleCommands
        var lines = [
            "#compdef \(parser.programName)",
            "# zsh completion for \(parser.programName): generated from its command declarations by",
            "# `\(parser.programName) __completion zsh`; do not edit.",
            "",
            "# \(root)_dynamic KIND: the values `\(parser.programName) __complete KIND` prints for the words typed so far.",
            "\(root)_dynamic() {",
            "    local -a values",
            "    values=(${(f)\"$(${(Q)\(root)_words[1]} __complete $1 -- "
                + "${(Q)\(root)_words[2,\(root)_current-1]} 2>/dev/null)\"})",
            "    compadd -a values",
            "}",
        ]
        for group in parser.groups {
            lines += [""] + groupFunction(group, root: root)
        }
        for command in commands {
            lines += [""] + commandFunction(command, root: root)
        }
        lines += ["", "\(root) \"$@\""]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A group's function (the root's too): the global options, then its words, then the
    /// function of the word typed.
    private func groupFunction(_ group: [String], root: String) -> [String] {
        var lines = ["\(functionName(group, root: root))() {"]
        if group.isEmpty {
            lines += [
                "    local -a \(root)_words",
                "    \(root)_words=(\"${words[@]}\")",
                "    local -i \(root)_current=$CURRENT",
            ]
        }
        lines += [
            "    local context state state_descr line",
            "    typeset -A opt_args",
            "    _arguments -C \\",
        ]
        lines += optionSpecs(parser.globals).map { "        \($0) \\" }
        lines += [
            "        '1:command:->command' \\",
            "        '*::argument:->argument'",
            "    case $state in",
            "        command)",
            "            local -a commands",
            "            commands=(",
        ]
        let words = parser.words(after: group)
        for word in words {
            let command = parser.visibleCommands.first { $0.path == group + [word] }
            let about =
                command?.abstract ?? "\(([parser.programName] + group + [word]).joined(separator: " ")) commands"
            lines.append(
                "                \(ShellText.quoted(word.replacing(":", with: "\\:") + ":" + about))"
            )
        }
        lines += [
            "            )",
            "            _describe -t commands command commands",
            "            ;;",
            "        argument)",
            "            case $words[1] in",
        ]
        for word in words {
            lines.append("                \(ShellText.quoted(word))) \(functionName(group + [word], root: root)) ;;")
        }
        lines += ["            esac", "            ;;", "    esac", "}"]
        return lines
    }

    /// A command's function: its options, the global ones and its positional arguments.
    private func commandFunction(_ command: CommandSpec, root: String) -> [String] {
        var specs = optionSpecs(command.arguments.filter { !$0.isPositional }) + optionSpecs(parser.globals)
        for positional in command.arguments where positional.isPositional {
            guard case .positional(let optional, let repeating) = positional.kind else { continue }
            let prefix = repeating ? "*:" : optional ? "::" : ":"
            specs.append(ShellText.quoted(prefix + escaped(positional.name) + ":" + action(positional.completion)))
        }
        return ["\(functionName(command.path, root: root))() {", "    _arguments \\"]
            + specs.enumerated().map { index, spec in "        " + spec + (index == specs.count - 1 ? "" : " \\") }
            + ["}"]
    }

    /// `_arguments` specs of options and flags: `'--key[help]:FILE:_files'`.
    private func optionSpecs(_ arguments: [ArgumentSpec]) -> [String] {
        arguments.map { argument in
            let help = "[" + escaped(argument.help) + "]"
            var value = ""
            var repeats = false
            if case .option(let repeating) = argument.kind {
                value = ":" + escaped(argument.valueName) + ":" + action(argument.completion)
                repeats = repeating
            }
            guard let short = argument.short else {
                return ShellText.quoted((repeats ? "*" : "") + "--\(argument.name)" + help + value)
            }
            return ShellText.quoted("(-\(short) --\(argument.name))") + "{-\(short),--\(argument.name)}"
                + ShellText.quoted(help + value)
        }
    }

    /// How a value completes: `_files`, `_files -/`, `(a b)`, a dynamic lookup, or nothing.
    private func action(_ kind: CompletionKind) -> String {
        let root = "_" + ShellText.identifier(parser.programName)
        switch kind {
        case .none: return " "
        case .file: return "_files"
        case .directory: return "_files -/"
        case .list(let words): return "(" + words.joined(separator: " ") + ")"
        case .dynamic(let name): return "\(root)_dynamic \(name)"
        }
    }

    private func functionName(_ path: [String], root: String) -> String {
        ([root] + path.map(ShellText.identifier)).joined(separator: "_")
    }

    /// Text inside an `_arguments` spec: `[`, `]`, `:` and backslashes escaped.
    private func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "[]:\\".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

}
