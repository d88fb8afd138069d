extension ArgumentParser {
    /// The commands people type: every one that is not hidden.
    public var visibleCommands: [CommandSpec] { commands.filter { !$0.isHidden } }

    /// Every command path that has words after it: the program itself (`[]`), then each group
    /// (`log`, `consortium`) in the order its first command is declared.
    var groups: [[String]] {
        var groups: [[String]] = [[]]
        for command in visibleCommands {
            for length in 1..<max(command.path.count, 1) where !groups.contains(Array(command.path.prefix(length))) {
                groups.append(Array(command.path.prefix(length)))
            }
        }
        return groups
    }

    /// The words that may follow `group`, in declaration order, each once.
    func words(after group: [String]) -> [String] {
        var words: [String] = []
        for command in visibleCommands where command.path.count > group.count && command.path.starts(with: group) {
            let word = command.path[group.count]
            if !words.contains(word) { words.append(word) }
        }
        return words
    }
}

/// What the completion scripts share.
enum ShellText {
    /// `text` in single quotes, for bash and zsh alike.
    static func quoted(_ text: String) -> String {
        "'" + text.replacing("'", with: "'\\''") + "'"
    }

    /// `name` as part of a shell function name: letters and digits kept, anything else `_`.
    static func identifier(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}
