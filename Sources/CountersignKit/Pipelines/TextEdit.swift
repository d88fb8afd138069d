/// Edits YAML text in place, using node locations from the parser, so a file keeps its comments
/// and layout when a tool adds to it (`PartyFile`). The caller reads the result back to check it.
enum TextEdit {
    /// `bytes` with `item` added as the last item of the list under the top-level `key`, creating
    /// the list (at the end of the file) when the key is absent.
    static func addingListItem(_ item: String, under key: String, in root: YAMLNode, of bytes: [UInt8]) -> [UInt8] {
        guard let entry = root.mapping?.first(where: { $0.key == key }) else {
            var result = bytes
            if let last = result.last, last != UInt8(ascii: "\n") { result.append(UInt8(ascii: "\n")) }
            return result + Array("\(key):\n  - \(item)\n".utf8)
        }
        let value = entry.value
        if let items = value.sequence, let last = items.last {
            if bytes[offset(of: value.location, in: bytes)] == UInt8(ascii: "[") {
                let closing = offset(of: value.end, in: bytes) - 1
                return Array(bytes[..<closing]) + Array(", {\(item)}".utf8) + Array(bytes[closing...])
            }
            let line = "\(String(repeating: " ", count: value.location.column - 1))- \(item)\n"
            return inserting(line, afterLine: lastContentLine(last), in: bytes)
        }
        let line = "\(String(repeating: " ", count: entry.keyLocation.column + 1))- \(item)\n"
        var result = inserting(line, afterLine: entry.keyLocation.line, in: bytes)
        if value.location.line == entry.keyLocation.line, value.end.line == entry.keyLocation.line {
            var start = offset(of: value.location, in: result)
            let end = offset(of: value.end, in: result)
            while start > 0, result[start - 1] == UInt8(ascii: " ") || result[start - 1] == UInt8(ascii: "\t") {
                start -= 1
            }
            result.removeSubrange(start..<end)
        }
        return result
    }

    /// The line where a node's own text ends: for a block collection, where its last item ends
    /// (the parser's end mark for those is the start of whatever follows).
    private static func lastContentLine(_ node: YAMLNode) -> Int {
        switch node.content {
        case .scalar: node.end.line
        case .sequence(let items): items.last.map(lastContentLine) ?? node.end.line
        case .mapping(let entries): entries.last.map { lastContentLine($0.value) } ?? node.end.line
        }
    }

    private static func inserting(_ text: String, afterLine line: Int, in bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        var position = offset(of: SourceLocation(file: "", line: line + 1, column: 1), in: bytes)
        if position == bytes.count, let last = bytes.last, last != UInt8(ascii: "\n") {
            result.append(UInt8(ascii: "\n"))
            position += 1
        }
        result.insert(contentsOf: Array(text.utf8), at: position)
        return result
    }

    /// The byte offset of a 1-based line and column (columns count characters, as libyaml does);
    /// past the end of the text: its length.
    static func offset(of location: SourceLocation, in bytes: [UInt8]) -> Int {
        var index = 0
        var line = 1
        while line < location.line, index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }
        var column = 1
        while column < location.column, index < bytes.count {
            index += 1
            while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
            column += 1
        }
        return index
    }
}
