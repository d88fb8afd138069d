extension YAMLNode {
    /// Lists nested deeper than this are refused: files in bundles come from others, and a
    /// recursive reader must not run out of stack on `[[[[...`.
    static let maximumDepth = 64

    /// Parses one YAML document into a node tree. Throws every problem found: the syntax error
    /// libyaml reports, or each duplicate key, anchor, alias and tag (Countersign files use none).
    /// An empty file is an error too: every Countersign file needs content.
    public static func parse(_ bytes: [UInt8], file: String) throws(Diagnostics) -> YAMLNode {
        var diagnostics: [Diagnostic] = []
        let root = parse(bytes, file: file, diagnostics: &diagnostics)
        guard let root, diagnostics.isEmpty else { throw Diagnostics(diagnostics) }
        return root
    }

    /// Parses like `parse(_:file:)` but adds problems to `diagnostics` and returns what it could
    /// read, so a caller can go on and report the file's other problems too. `nil` after a syntax
    /// error or for an empty file.
    static func parse(_ bytes: [UInt8], file: String, diagnostics: inout [Diagnostic]) -> YAMLNode? {
        var builder = TreeBuilder(reader: YAMLEventReader(bytes: bytes, file: file))
        do {
            let root = try builder.document()
            diagnostics += builder.diagnostics
            if root == nil {
                diagnostics.append(Diagnostic("the file is empty", at: SourceLocation(file: file, line: 1, column: 1)))
            }
            return root
        } catch {
            diagnostics += builder.diagnostics
            diagnostics.append(error)
            return nil
        }
    }
}

/// Turns libyaml's event stream into `YAMLNode`s, noting what Countersign refuses as it goes.
private struct TreeBuilder {
    let reader: YAMLEventReader
    var diagnostics: [Diagnostic] = []

    init(reader: YAMLEventReader) {
        self.reader = reader
    }

    /// The stream's only document, or `nil` for an empty stream.
    mutating func document() throws(Diagnostic) -> YAMLNode? {
        var root: YAMLNode?
        while true {
            let event = try reader.next()
            switch event.kind {
            case .streamStart, .documentEnd: continue
            case .streamEnd: return root
            case .documentStart:
                if root != nil {
                    diagnostics.append(Diagnostic("a file holds one YAML document; remove this '---'", at: event.start))
                }
                let node = try node(after: try reader.next(), depth: 0)
                root = root ?? node
            default:
                throw Diagnostic("invalid YAML: unexpected content", at: event.start)
            }
        }
    }

    private mutating func node(after event: YAMLEventReader.Event, depth: Int) throws(Diagnostic) -> YAMLNode {
        if depth > YAMLNode.maximumDepth {
            throw Diagnostic("YAML nested more than \(YAMLNode.maximumDepth) levels deep", at: event.start)
        }
        refuseExtras(event)
        switch event.kind {
        case .scalar(let text, let style):
            return YAMLNode(.scalar(text, style), at: event.start, end: event.end)
        case .alias:
            diagnostics.append(
                Diagnostic(
                    "YAML aliases (*\(event.anchor ?? "")) are not supported; write the value out",
                    at: event.start
                )
            )
            return YAMLNode(.scalar("", .plain), at: event.start, end: event.end)
        case .sequenceStart:
            var items: [YAMLNode] = []
            while true {
                let next = try reader.next()
                if case .sequenceEnd = next.kind {
                    return YAMLNode(.sequence(items), at: event.start, end: next.end)
                }
                items.append(try node(after: next, depth: depth + 1))
            }
        case .mappingStart:
            return try mapping(startingAt: event, depth: depth)
        default:
            throw Diagnostic("invalid YAML: unexpected content", at: event.start)
        }
    }

    private mutating func mapping(startingAt event: YAMLEventReader.Event, depth: Int) throws(Diagnostic) -> YAMLNode {
        var entries: [YAMLNode.Entry] = []
        var seen: [String: SourceLocation] = [:]
        while true {
            let keyEvent = try reader.next()
            if case .mappingEnd = keyEvent.kind {
                return YAMLNode(.mapping(entries), at: event.start, end: keyEvent.end)
            }
            let key = try node(after: keyEvent, depth: depth + 1)
            let value = try node(after: try reader.next(), depth: depth + 1)
            guard let text = key.scalar else {
                diagnostics.append(
                    Diagnostic("a mapping key must be text, not \(key.kindDescription)", at: key.location)
                )
                continue
            }
            if let first = seen[text] {
                diagnostics.append(
                    Diagnostic(
                        "duplicate key '\(text)' (first at line \(first.line), column \(first.column))",
                        at: key.location
                    )
                )
                continue
            }
            seen[text] = key.location
            entries.append(YAMLNode.Entry(key: text, keyLocation: key.location, value: value))
        }
    }

    /// Anchors and tags change what a node means in ways Countersign files never need; refusing
    /// them keeps every file readable as plain text (and rules out alias-expansion bombs).
    private mutating func refuseExtras(_ event: YAMLEventReader.Event) {
        if case .alias = event.kind { return }
        if let anchor = event.anchor {
            diagnostics.append(
                Diagnostic("YAML anchors (&\(anchor)) are not supported; write the value out", at: event.start)
            )
        }
        if let tag = event.tag {
            diagnostics.append(Diagnostic("YAML tags (\(tag)) are not supported; remove the tag", at: event.start))
        }
    }
}
