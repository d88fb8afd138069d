/// One problem libxml2 reported about a file, with as much of its place as libxml2 knows.
public struct XMLProblem: Hashable, Sendable, CustomStringConvertible {
    /// The file as the caller named it.
    public var file: String
    /// 1-based line, `nil` when libxml2 gave none.
    public var line: Int?
    /// 1-based column, `nil` when libxml2 gave none (schema validation reports lines only).
    public var column: Int?
    /// libxml2's message, trimmed.
    public var message: String

    /// A problem at `file`, `line` and `column` (either `nil` when unknown).
    public init(file: String, line: Int?, column: Int?, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE:COL`, leaving out what is unknown.
    public var place: String {
        [file, line.map(String.init), line == nil ? nil : column.map(String.init)].compactMap { $0 }
            .joined(separator: ":")
    }

    /// `FILE:LINE:COL: error: MESSAGE`, the format editors jump to.
    public var description: String { "\(place): error: \(message)" }
}
