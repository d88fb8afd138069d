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

/// One problem found in an input file, printed `FILE:LINE:COL: error: MESSAGE`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): error: \(message)" }
}

/// Every problem found in one pass over some input: validation reports them all, not just the first.
public struct Diagnostics: Error, Sendable, CustomStringConvertible {
    public var all: [Diagnostic]

    public init(_ all: [Diagnostic]) {
        self.all = all
    }

    public var description: String { all.map(\.description).joined(separator: "\n") }
}
