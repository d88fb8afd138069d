/// The words typed before the one being completed, read leniently: what is missing, unknown or
/// wrong is passed over, never an error, so a completion can ask what the line holds so far.
public struct CommandLinePrefix: Sendable {
    /// The command the words select, once they name a whole one.
    public private(set) var command: CommandSpec?
    /// The command words typed so far: a group (`log`) or a command's whole path.
    public private(set) var path: [String] = []
    /// The positional words after the command, in order.
    public private(set) var positionals: [String] = []
    /// The values given to options, the command's and the global ones, by long name.
    public private(set) var options: [String: [String]] = [:]

    /// Reads `words` (the command line after the program name) against `parser`'s declarations.
    public init(_ words: [String], parser: ArgumentParser) {
        var rest = words[...]
        var endOfOptions = false
        while let word = rest.popFirst() {
            if endOfOptions || word == "-" || !word.hasPrefix("-") {
                take(word, parser: parser)
            } else if word == "--" {
                endOfOptions = true
            } else if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
                options[String(word[word.index(word.startIndex, offsetBy: 2)..<equals]), default: []].append(
                    String(word[word.index(after: equals)...])
                )
            } else if let spec = option(named: word, parser: parser), case .option = spec.kind {
                if let value = rest.popFirst() { options[spec.name, default: []].append(value) }
            }
        }
    }

    /// The value given for the argument `name` of the command: a positional's word (by its place
    /// among the command's positionals) or an option's last value.
    public func value(_ name: String) -> String? {
        if let value = options[name]?.last { return value }
        let declared = command?.arguments.filter(\.isPositional) ?? []
        guard let place = declared.firstIndex(where: { $0.name == name }), place < positionals.count else { return nil }
        return positionals[place]
    }

    private mutating func take(_ word: String, parser: ArgumentParser) {
        let longer = path + [word]
        if positionals.isEmpty, parser.commands.contains(where: { !$0.isHidden && $0.path.starts(with: longer) }) {
            path = longer
            command = parser.commands.first { $0.path == longer } ?? command
        } else {
            positionals.append(word)
        }
    }

    /// The declared option or flag `word` names (`--as`, `-q`): the command's own, else a global one.
    private func option(named word: String, parser: ArgumentParser) -> ArgumentSpec? {
        let specs = (command?.arguments ?? []) + parser.globals
        if word.hasPrefix("--") {
            return specs.first { !$0.isPositional && "--" + $0.name == word }
        }
        return specs.first { $0.short.map { "-\($0)" } == word }
    }
}
