/// One command's whole interface, declared once: parsing, usage errors and `--help` all come from it.
public struct CommandSpec: Sendable {
    /// The words that select the command, e.g. `["log", "proof"]`.
    public var path: [String]
    /// One line: what the command does.
    public var abstract: String
    /// Further paragraphs shown by `--help`.
    public var discussion: String
    public var arguments: [ArgumentSpec]
    /// A command for tools, not people (`__complete`): parsed like any other, but left out of
    /// `--help`, suggestions, manual pages and completions.
    public var isHidden: Bool

    public init(
        _ path: String,
        abstract: String,
        discussion: String = "",
        arguments: [ArgumentSpec] = [],
        isHidden: Bool = false
    ) {
        self.path = path.split(separator: " ").map(String.init)
        self.abstract = abstract
        self.discussion = discussion
        self.arguments = arguments
        self.isHidden = isHidden
    }

    /// The command as typed: `log proof`.
    public var name: String { path.joined(separator: " ") }
}

/// One positional argument, option or flag of a command.
public struct ArgumentSpec: Sendable {
    public enum Kind: Sendable, Equatable {
        /// A positional value; `optional` may be left out, `repeating` takes all remaining positionals.
        case positional(optional: Bool, repeating: Bool)
        /// `--name VALUE`; `repeating` may be given several times.
        case option(repeating: Bool)
        /// `--name` with no value.
        case flag
    }

    public var kind: Kind
    /// For options and flags the long name without dashes; for positionals the placeholder (`CASE`).
    public var name: String
    /// A one-letter alias (`-q`).
    public var short: Character?
    /// The placeholder of an option's value in help (`FILE`).
    public var valueName: String
    public var help: String
    /// An environment variable that supplies the value when the option is absent.
    public var environment: String?
    /// What a shell completes the value with (positionals and options; flags take none).
    public var completion: CompletionKind

    init(
        kind: Kind,
        name: String,
        short: Character? = nil,
        valueName: String,
        help: String,
        environment: String? = nil,
        completion: CompletionKind? = nil
    ) {
        self.kind = kind
        self.name = name
        self.short = short
        self.valueName = valueName
        self.help = help
        self.environment = environment
        self.completion = completion ?? (kind == .flag ? .none : CompletionKind.implied(by: valueName))
    }

    /// A required positional argument; `completion` defaults to what its name implies
    /// (`CompletionKind.implied(by:)`).
    public static func positional(_ name: String, completion: CompletionKind? = nil, help: String) -> ArgumentSpec {
        ArgumentSpec(
            kind: .positional(optional: false, repeating: false),
            name: name,
            valueName: name,
            help: help,
            completion: completion
        )
    }

    /// A positional argument that may be left out.
    public static func optionalPositional(
        _ name: String,
        completion: CompletionKind? = nil,
        help: String
    ) -> ArgumentSpec {
        ArgumentSpec(
            kind: .positional(optional: true, repeating: false),
            name: name,
            valueName: name,
            help: help,
            completion: completion
        )
    }

    /// Zero or more positional arguments (`optional: false` requires at least one).
    public static func positionals(
        _ name: String,
        optional: Bool = true,
        completion: CompletionKind? = nil,
        help: String
    ) -> ArgumentSpec {
        ArgumentSpec(
            kind: .positional(optional: optional, repeating: true),
            name: name,
            valueName: name,
            help: help,
            completion: completion
        )
    }

    /// `--name VALUE`.
    public static func option(
        _ name: String,
        value: String,
        short: Character? = nil,
        repeating: Bool = false,
        environment: String? = nil,
        completion: CompletionKind? = nil,
        help: String
    ) -> ArgumentSpec {
        ArgumentSpec(
            kind: .option(repeating: repeating),
            name: name,
            short: short,
            valueName: value,
            help: help,
            environment: environment,
            completion: completion
        )
    }

    /// `--name` with no value.
    public static func flag(_ name: String, short: Character? = nil, help: String) -> ArgumentSpec {
        ArgumentSpec(kind: .flag, name: name, short: short, valueName: "", help: help)
    }

    /// Whether the argument is a positional one (not an option or a flag).
    public var isPositional: Bool {
        if case .positional = kind { return true }
        return false
    }

    /// How the argument appears in a usage line.
    public var usage: String {
        switch kind {
        case .positional(let optional, let repeating):
            let word = repeating ? "\(name)..." : name
            return optional ? "[\(word)]" : word
        case .option(let repeating): return "[--\(name) \(valueName)]" + (repeating ? "..." : "")
        case .flag: return "[--\(name)]"
        }
    }

    /// How the argument is listed in help.
    public var label: String {
        switch kind {
        case .positional: return name
        case .option: return (short.map { "-\($0), " } ?? "") + "--\(name) \(valueName)"
        case .flag: return (short.map { "-\($0), " } ?? "") + "--\(name)"
        }
    }
}
