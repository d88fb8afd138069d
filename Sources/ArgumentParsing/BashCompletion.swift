/// The bash completion script of a program, generated from its declarations, so it completes
/// exactly the commands and options `--help` lists.
///
/// The script completes command words (a group's subcommands after it), every option of the
/// command being typed and the global ones, and each value as its `CompletionKind` says: file and
/// folder names, fixed words, and dynamic values from `PROGRAM __complete KIND -- WORDS...`, run
/// with the words typed so far (so `--workspace` and the case already typed are taken into
/// account). It needs bash alone, not the bash-completion package; `--name=value` words are left
/// to bash.
public struct BashCompletion: Sendable {
    public let parser: ArgumentParser

    public init(parser: ArgumentParser) {
        self.parser = parser
    }

    /// The script: functions prefixed `_PROGRAM`, and the `complete` command that registers them.
    public var script: String {
        let function = "_" + ShellText.identifier(parser.programName)
        let commands = parser.visibleCommands
        var lines = [
            "# bash completion for \(parser.programName): generated from its command declarations by",
            "# `\(parser.programName) __completion bash`; do not edit.",
            "",
            "# \(function)_subcommands PATH: the words that may follow the command words PATH, in",
            "# \(function)_words; status 1 when PATH is a whole command.",
            "\(function)_subcommands() {",
            "    case \"$1\" in",
        ]
        for group in parser.groups {
            let words = parser.words(after: group)
            lines.append(
                "        \(ShellText.quoted(group.joined(separator: " ")))) \(function)_words=\(ShellText.quoted(words.joined(separator: " "))) ;;"
            )
        }
        lines += [
            "        *) return 1 ;;",
            "    esac",
            "}",
            "",
            "# \(function)_options COMMAND: the options COMMAND takes and the global ones, in \(function)_words.",
            "\(function)_options() {",
            "    local globals=\(ShellText.quoted((optionWords(parser.globals) + ["--help"]).joined(separator: " ")))",
            "    case \"$1\" in",
        ]
        for command in commands {
            lines.append(
                "        \(ShellText.quoted(command.name))) \(function)_words=\(ShellText.quoted(optionWords(command.arguments).joined(separator: " ")))\" $globals\" ;;"
            )
        }
        lines += [
            "        *) \(function)_words=\"$globals --version\" ;;",
            "    esac",
            "}",
            "",
            "# \(function)_option_kind COMMAND OPTION: how OPTION's value completes, in \(function)_kind;",
            "# status 1 for a flag or an unknown option.",
            "\(function)_option_kind() {",
            "    case \"$1 $2\" in",
        ]
        for command in commands {
            for option in command.arguments where !option.isPositional && option.kind != .flag {
                lines.append(
                    "        \(optionPatterns(option, command: command.name))) \(function)_kind=\(ShellText.quoted(encoded(option.completion))) ;;"
                )
            }
        }
        lines += ["    esac", "    case \"$2\" in"]
        for option in parser.globals where option.kind != .flag {
            lines.append(
                "        \(optionPatterns(option, command: nil))) \(function)_kind=\(ShellText.quoted(encoded(option.completion))) ;;"
            )
        }
        lines += [
            "        *) [[ -n $\(function)_kind ]] ;;",
            "    esac",
            "}",
            "",
            "# \(function)_positional_kind COMMAND N: how COMMAND's positional argument N (from 0) completes,",
            "# in \(function)_kind; status 1 past the last one.",
            "\(function)_positional_kind() {",
            "    case \"$1 $2\" in",
        ]
        for command in commands {
            let positionals = command.arguments.filter(\.isPositional)
            for (place, positional) in positionals.enumerated() {
                let kind = ShellText.quoted(encoded(positional.completion))
                if case .positional(_, repeating: true) = positional.kind {
                    lines.append(
                        "        \(ShellText.quoted(command.name + " "))*) (( $2 >= \(place) )) && \(function)_kind=\(kind) ;;"
                    )
                } else {
                    lines.append("        \(ShellText.quoted("\(command.name) \(place)"))) \(function)_kind=\(kind) ;;")
                }
            }
        }
        lines += [
            "        *) return 1 ;;",
            "    esac",
            "}",
            "",
            "# \(function)_values KIND CURRENT: the values of KIND that start with CURRENT, in COMPREPLY.",
            "\(function)_values() {",
            "    case \"$1\" in",
            "        file) compopt -o filenames 2>/dev/null; local IFS=$'\\n'; COMPREPLY=($(compgen -f -- \"$2\")) ;;",
            "        directory) compopt -o filenames 2>/dev/null; local IFS=$'\\n'; COMPREPLY=($(compgen -d -- \"$2\")) ;;",
            "        list:*) COMPREPLY=($(compgen -W \"${1#list:}\" -- \"$2\")) ;;",
            "        dynamic:*)",
            "            local values",
            "            values=$(\"${COMP_WORDS[0]}\" __complete \"${1#dynamic:}\" -- \"${COMP_WORDS[@]:1:COMP_CWORD-1}\" 2>/dev/null)",
            "            COMPREPLY=($(compgen -W \"$values\" -- \"$2\")) ;;",
            "        *) COMPREPLY=() ;;",
            "    esac",
            "}",
            "",
            "\(function)() {",
            "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" command=\"\" word pending=\"\"",
            "    local \(function)_words \(function)_kind",
            "    local -i i=1 place=0 ended=0",
            "    while (( i < COMP_CWORD )); do",
            "        word=\"${COMP_WORDS[i]}\"",
            "        \(function)_kind=\"\"",
            "        if (( ended == 0 )) && [[ $word == -?* ]]; then",
            "            if [[ $word == -- ]]; then",
            "                ended=1",
            "            elif [[ $word != *=* ]] && \(function)_option_kind \"$command\" \"$word\"; then",
            "                (( i + 1 == COMP_CWORD )) && pending=$\(function)_kind",
            "                (( i++ ))",
            "            fi",
            "        elif (( place == 0 )) && \(function)_subcommands \"$command\" && [[ \" $\(function)_words \" == *\" $word \"* ]]; then",
            "            command=\"${command:+$command }$word\"",
            "        else",
            "            (( place++ ))",
            "        fi",
            "        (( i++ ))",
            "    done",
            "    if [[ -n $pending ]]; then",
            "        \(function)_values \"$pending\" \"$cur\"",
            "    elif (( ended == 0 )) && [[ $cur == -* ]]; then",
            "        \(function)_options \"$command\"",
            "        COMPREPLY=($(compgen -W \"$\(function)_words\" -- \"$cur\"))",
            "    elif (( place == 0 )) && \(function)_subcommands \"$command\"; then",
            "        COMPREPLY=($(compgen -W \"$\(function)_words\" -- \"$cur\"))",
            "    elif \(function)_kind=\"\"; \(function)_positional_kind \"$command\" \"$place\"; then",
            "        \(function)_values \"$\(function)_kind\" \"$cur\"",
            "    else",
            "        COMPREPLY=()",
            "    fi",
            "}",
            "",
            "complete -F \(function) \(parser.programName)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private func optionWords(_ arguments: [ArgumentSpec]) -> [String] {
        arguments.filter { !$0.isPositional }.flatMap { ["--\($0.name)"] + ($0.short.map { ["-\($0)"] } ?? []) }
    }

    /// The `case` patterns of an option's names, quoted: `'sign --as'`, or `'--as'` for a global one.
    private func optionPatterns(_ option: ArgumentSpec, command: String?) -> String {
        let names = ["--\(option.name)"] + (option.short.map { ["-\($0)"] } ?? [])
        let prefix = command.map { $0 + " " } ?? ""
        return names.map { ShellText.quoted(prefix + $0) }.joined(separator: "|")
    }

    /// A kind as the script's functions pass it: `file`, `directory`, `list:a b`, `dynamic:NAME`.
    private func encoded(_ kind: CompletionKind) -> String {
        switch kind {
        case .none: "none"
        case .file: "file"
        case .directory: "directory"
        case .list(let words): "list:" + words.joined(separator: " ")
        case .dynamic(let name): "dynamic:" + name
        }
    }

}
