internal import CYAML

/// libyaml's event parser over one in-memory text, owning the C parser and a copy of the input.
///
/// `yaml_parser_t` keeps pointers into itself, so it lives on the heap at a fixed address for its
/// whole life and is freed in `deinit`. Events are copied into Swift values and freed at once, so no
/// C type leaves this file.
final class YAMLEventReader {
    /// One libyaml event, copied out of C.
    struct Event {
        enum Kind {
            case streamStart
            case streamEnd
            case documentStart
            case documentEnd
            case alias
            case scalar(String, YAMLNode.ScalarStyle)
            case sequenceStart
            case sequenceEnd
            case mappingStart
            case mappingEnd
        }

        var kind: Kind
        var start: SourceLocation
        var end: SourceLocation
        /// The anchor (`&name`) on a node, or the name an alias (`*name`) refers to.
        var anchor: String?
        /// An explicit tag (`!name`, `!!str`) on a node.
        var tag: String?
    }

    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let file: String

    /// Prepares to read `bytes` (UTF-8, or UTF-16 with a byte order mark); `file` names it in locations.
    init(bytes: [UInt8], file: String) {
        self.file = file
        parser = .allocate(capacity: 1)
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        guard yaml_parser_initialize(parser) == 1 else {
            preconditionFailure("libyaml could not allocate a parser: out of memory")
        }
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// The next event, or the syntax error libyaml found, at its 1-based line and column.
    func next() throws(Diagnostic) -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw syntaxError() }
        defer { yaml_event_delete(&event) }
        let start = location(event.start_mark)
        let end = location(event.end_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT: return Event(kind: .streamStart, start: start, end: end)
        case YAML_STREAM_END_EVENT: return Event(kind: .streamEnd, start: start, end: end)
        case YAML_DOCUMENT_START_EVENT: return Event(kind: .documentStart, start: start, end: end)
        case YAML_DOCUMENT_END_EVENT: return Event(kind: .documentEnd, start: start, end: end)
        case YAML_ALIAS_EVENT:
            return Event(kind: .alias, start: start, end: end, anchor: Self.string(event.data.alias.anchor))
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            return Event(
                kind: .scalar(text, Self.style(scalar.style)),
                start: start,
                end: end,
                anchor: Self.string(scalar.anchor),
                tag: Self.string(scalar.tag)
            )
        case YAML_SEQUENCE_START_EVENT:
            let sequence = event.data.sequence_start
            return Event(
                kind: .sequenceStart,
                start: start,
                end: end,
                anchor: Self.string(sequence.anchor),
                tag: Self.string(sequence.tag)
            )
        case YAML_SEQUENCE_END_EVENT: return Event(kind: .sequenceEnd, start: start, end: end)
        case YAML_MAPPING_START_EVENT:
            let mapping = event.data.mapping_start
            return Event(
                kind: .mappingStart,
                start: start,
                end: end,
                anchor: Self.string(mapping.anchor),
                tag: Self.string(mapping.tag)
            )
        case YAML_MAPPING_END_EVENT: return Event(kind: .mappingEnd, start: start, end: end)
        default:
            throw Diagnostic("invalid YAML: unexpected parser event", at: start)
        }
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// libyaml's problem and context as one message, at the problem's mark. A reader error (bad
    /// encoding) carries a byte offset instead of a mark; it is turned into a line and column here.
    private func syntaxError() -> Diagnostic {
        let error = parser.pointee
        let problem = error.problem.map { String(cString: $0) } ?? "unknown error"
        var message = "invalid YAML: \(problem)"
        if let context = error.context.map({ String(cString: $0) }) {
            let start = location(error.context_mark)
            message += " (\(context) at line \(start.line), column \(start.column))"
        }
        switch error.error {
        case YAML_MEMORY_ERROR:
            return Diagnostic("invalid YAML: out of memory", at: SourceLocation(file: file, line: 1, column: 1))
        case YAML_READER_ERROR:
            return Diagnostic(message, at: locationOfByte(error.problem_offset))
        default:
            return Diagnostic(message, at: location(error.problem_mark))
        }
    }

    private func locationOfByte(_ offset: Int) -> SourceLocation {
        var line = 1
        var column = 1
        for byte in input.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLNode.ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
