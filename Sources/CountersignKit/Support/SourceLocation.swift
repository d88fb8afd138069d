/// A place in a text file, 1-based, as compilers print it.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file as the user named it (relative paths stay relative).
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COL`, the prefix editors jump to.
    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in an input file, printed `FILE:LINE:COL: SEVERITY: MESSAGE` as compilers print it.
///
/// An error makes the input unusable; a warning names something that loads but very likely does not do
/// what its author meant (`Pipeline.warnings()`), and never changes an exit code on its own.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    /// How bad a diagnostic is.
    public enum Severity: String, Hashable, Sendable {
        case error
        case warning
    }

    public var location: SourceLocation
    public var message: String
    public var severity: Severity

    public init(_ message: String, at location: SourceLocation, severity: Severity = .error) {
        self.message = message
        self.location = location
        self.severity = severity
    }

    public var description: String { "\(location): \(severity.rawValue): \(message)" }

    /// The diagnostic as a JSON object: `file`, `line`, `column`, `severity` and `message`.
    public var json: [String: Any] {
        [
            "file": location.file, "line": location.line, "column": location.column,
            "severity": severity.rawValue, "message": message,
        ]
    }
}

/// Every problem found in one pass over some input: validation reports them all, not just the first.
public struct Diagnostics: Error, Sendable, CustomStringConvertible {
    public var all: [Diagnostic]

    public init(_ all: [Diagnostic]) {
        self.all = all
    }

    public var description: String { all.map(\.description).joined(separator: "\n") }
}
