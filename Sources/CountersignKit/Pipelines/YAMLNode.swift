/// One node of a YAML document as Countersign reads it: text, a list or a mapping, each with where it
/// starts in the file, so every later error can point at the line and column a user has to fix.
///
/// Scalars stay text: what a value means (a number, a duration, a party id) is decided by the reader
/// of the node, which knows what it expects there. Mapping keys are text and keep their own location.
public struct YAMLNode: Hashable, Sendable {
    /// How a scalar was written; a plain `true` is a boolean, a quoted `"true"` is text.
    public enum ScalarStyle: Hashable, Sendable {
        case plain
        case singleQuoted
        case doubleQuoted
        case literal
        case folded
    }

    /// One `key: value` entry of a mapping, in file order.
    public struct Entry: Hashable, Sendable {
        public var key: String
        /// Where the key starts, so "unknown key" points at the key itself.
        public var keyLocation: SourceLocation
        public var value: YAMLNode

        public init(key: String, keyLocation: SourceLocation, value: YAMLNode) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    public enum Content: Hashable, Sendable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        case mapping([Entry])
    }

    public var content: Content
    /// Where the node starts (for a block mapping, its first key; for a block list, its first `-`).
    public var location: SourceLocation
    /// Where the node ends (just past its last character).
    public var end: SourceLocation

    public init(_ content: Content, at location: SourceLocation, end: SourceLocation) {
        self.content = content
        self.location = location
        self.end = end
    }

    /// The text of a scalar; `nil` for a list or a mapping.
    public var scalar: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// The items of a list; `nil` for anything else.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The entries of a mapping in file order; `nil` for anything else.
    public var mapping: [Entry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The value for `key` in a mapping; `nil` when absent or when this is not a mapping.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key == key }?.value
    }

    /// Whether this is YAML's null: an empty plain scalar, `~` or `null`.
    public var isNull: Bool {
        if case .scalar(let text, .plain) = content { return ["", "~", "null", "Null", "NULL"].contains(text) }
        return false
    }

    /// What a user would call this kind of node, for messages ("found a list").
    public var kindDescription: String {
        switch content {
        case .scalar: isNull ? "nothing" : "text '\(scalar ?? "")'"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    /// The location of the character (Unicode scalar) `offset` into a scalar's text, when the text sits
    /// verbatim on one line of the file (no escapes, no folding); otherwise the scalar's start.
    public func location(ofCharacter offset: Int) -> SourceLocation {
        guard case .scalar(let text, let style) = content, location.line == end.line else { return location }
        let quote = (style == .singleQuoted || style == .doubleQuoted) ? 1 : 0
        let length = text.unicodeScalars.count
        guard style != .literal, style != .folded, end.column - location.column - 2 * quote == length,
            offset >= 0, offset <= length
        else { return location }
        var shifted = location
        shifted.column += quote + offset
        return shifted
    }
}
