/// The values given for one command, looked up by the names its `CommandSpec` declared.
public struct ParsedArguments: Sendable {
    public let spec: CommandSpec
    var values: [String: [String]] = [:]
    var flags: Set<String> = []

    init(spec: CommandSpec) {
        self.spec = spec
    }

    /// A positional or option value; `nil` when absent (required positionals are always present).
    public func value(_ name: String) -> String? {
        values[name]?.last
    }

    /// Every value of a repeating positional or option, in the order given.
    public func values(_ name: String) -> [String] {
        values[name] ?? []
    }

    /// Whether a flag was given.
    public func flag(_ name: String) -> Bool {
        flags.contains(name)
    }

    /// An integer value, or a usage error naming the argument.
    public func integer(_ name: String) throws(UsageError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text) else {
            throw UsageError("\(label(name)) expects a whole number, got '\(text)'", command: spec)
        }
        return number
    }

    private func label(_ name: String) -> String {
        spec.arguments.first { $0.name == name }.map { $0.isPositional ? $0.name : "--\($0.name)" } ?? name
    }
}

/// A command line that does not fit the declaration: exit code 2, with the command's usage.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// The command whose usage to show, if one was recognised.
    public let command: CommandSpec?

    public init(_ message: String, command: CommandSpec?) {
        self.message = message
        self.command = command
    }

    public var description: String { message }
}
