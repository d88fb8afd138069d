/// A small strict JSON reader for the fixed shapes of the ledger (DSSE envelopes, in-toto statements).
///
/// It reads objects, arrays, strings and non-negative integers — all those formats contain — and
/// refuses anything else where a value is read (fractions, exponents, leading zeros, literals),
/// duplicate keys, invalid escapes and invalid UTF-8, each with the byte offset where reading stopped.
/// A value the format does not define (a member DSSE says to ignore) is skipped whatever its JSON
/// shape, to `maximumSkippedDepth` levels of nesting.
/// It is a cursor over the input, cheap enough for the envelope verification hot path.
struct CompactJSONReader {
    /// How deeply a skipped value may nest arrays and objects (RFC 8259 §9 lets a parser limit it);
    /// deeper input is refused rather than followed, so no input can exhaust a thread's stack.
    static let maximumSkippedDepth = 64

    private let bytes: [UInt8]
    private var index: Int
    /// What is being read ("envelope", "statement"), named in errors.
    private let context: String

    init(_ bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.index = 0
        self.context = context
    }

    /// Reads one object, calling `member` with each key; `member` must read that key's value.
    /// A key seen twice is refused.
    mutating func readObject(
        _ member: (inout CompactJSONReader, String) throws(LedgerFormatError) -> Void
    ) throws(LedgerFormatError) {
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        // The keys seen: a list for the few members the formats define (no hashing on the hot
        // path), a set once there are more, so an object of many ignored members costs linear time.
        var few: [String] = []
        var many: Set<String> = []
        while true {
            let keyOffset = index
            let key = try readString()
            let isNew: Bool
            if few.count < 16 {
                isNew = !few.contains(key)
                few.append(key)
            } else {
                if many.isEmpty { many = Set(few) }
                isNew = many.insert(key).inserted
            }
            guard isNew else { throw .json(context: context, offset: keyOffset, reason: "duplicate key \"\(key)\"") }
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
            if try next(closing: UInt8(ascii: "}")) { return }
        }
    }

    /// Reads one array, calling `element` once per element; `element` must read it.
    mutating func readArray(
        _ element: (inout CompactJSONReader) throws(LedgerFormatError) -> Void
    ) throws(LedgerFormatError) {
        try expect(UInt8(ascii: "["))
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try element(&self)
            if try next(closing: UInt8(ascii: "]")) { return }
        }
    }

    /// Reads a string value.
    mutating func readString() throws(LedgerFormatError) -> String {
        let start = index
        let raw = try readStringBytes()
        // Decoding repairs invalid UTF-8 with U+FFFD, so the bytes differ exactly when it was invalid.
        let string = String(decoding: raw, as: UTF8.self)
        guard raw.allSatisfy({ $0 < 0x80 }) || string.utf8.elementsEqual(raw) else {
            throw .json(context: context, offset: start, reason: "string is not valid UTF-8")
        }
        return string
    }

    /// Reads a string value as its unescaped UTF-8 bytes, without building a `String`
    /// (a slice of the input when the string has no escapes, the common case).
    mutating func readStringBytes() throws(LedgerFormatError) -> ArraySlice<UInt8> {
        try expect(UInt8(ascii: "\""))
        let start = index
        index = bytes.withUnsafeBytes { Self.endOfPlainRun(in: $0, from: start) }
        guard index < bytes.count else { throw failure("unterminated string") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            index += 1
            return bytes[start..<index - 1]
        case UInt8(ascii: "\\"):
            return try readEscapedString(from: start)
        default:
            throw failure("control character in a string")
        }
    }

    /// Reads a non-negative integer written in plain decimal digits with no leading zero, at most
    /// 15 digits (exact in every JSON implementation).
    mutating func readInteger() throws(LedgerFormatError) -> Int {
        let first = try peek()
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw failure("expected an integer") }
        var value = 0
        var digits = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
            guard digits <= 15 else { throw failure("integer of more than 15 digits") }
        }
        if first == UInt8(ascii: "0") && digits > 1 { throw failure("integer with a leading zero") }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw failure("expected an integer, not a fraction or exponent")
        }
        return value
    }

    /// Reads `null` when it comes next (and returns `true`); otherwise reads nothing.
    mutating func readNull() throws(LedgerFormatError) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try expectLiteral("null")
        return true
    }

    /// Reads and discards one JSON value of any shape (RFC 8259): object, array, string, number,
    /// `true`, `false` or `null`, nested at most `maximumSkippedDepth` levels. Keys of skipped
    /// objects are still checked (valid UTF-8, none twice).
    mutating func skipValue() throws(LedgerFormatError) {
        try skipValue(depth: 1)
    }

    private mutating func skipValue(depth: Int) throws(LedgerFormatError) {
        switch try peek() {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth <= Self.maximumSkippedDepth else {
                throw failure("a value nested deeper than \(Self.maximumSkippedDepth) levels")
            }
            if bytes[index] == UInt8(ascii: "{") {
                try readObject { reader, _ throws(LedgerFormatError) in try reader.skipValue(depth: depth + 1) }
            } else {
                try readArray { reader throws(LedgerFormatError) in try reader.skipValue(depth: depth + 1) }
            }
        case UInt8(ascii: "\""): _ = try readStringBytes()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        default: try skipNumber()
        }
    }

    /// Skips a number as RFC 8259 §6 writes it: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func skipNumber() throws(LedgerFormatError) {
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let first = index
        guard skipDigits() > 0 else { throw failure("expected a value") }
        if bytes[first] == UInt8(ascii: "0"), index - first > 1 {
            index = first
            throw failure("number with a leading zero")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { throw failure("expected a digit after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard skipDigits() > 0 else { throw failure("expected a digit in the exponent") }
        }
    }

    /// Skips decimal digits; returns how many.
    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }

    /// Reads the literal `word` (`true`, `false`, `null`); what follows is the caller's to check.
    private mutating func expectLiteral(_ word: StaticString) throws(LedgerFormatError) {
        let literal = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard index + literal.count <= bytes.count, bytes[index..<index + literal.count].elementsEqual(literal) else {
            throw failure("expected a value")
        }
        index += literal.count
    }

    /// Checks that nothing but whitespace follows the value just read.
    mutating func finish() throws(LedgerFormatError) {
        skipWhitespace()
        guard index == bytes.count else { throw failure("unexpected data after the end of the JSON value") }
    }

    /// An error about the current position.
    private func failure(_ reason: String) -> LedgerFormatError {
        .json(context: context, offset: index, reason: reason)
    }

    /// The offset of the first `"`, backslash or control character at or after `start` (or the end).
    /// Base64 payloads are long runs of plain bytes, so it tests eight bytes at a time.
    private static func endOfPlainRun(in buffer: UnsafeRawBufferPointer, from start: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        /// Whether some byte of `word` is below `limit` (at most 0x80).
        func hasByte(below limit: UInt64, in word: UInt64) -> Bool {
            (word &- ones &* limit) & ~word & highBits != 0
        }
        var position = start
        while position + 8 <= buffer.count {
            let word = buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            if hasByte(below: 0x20, in: word) || hasByte(below: 1, in: word ^ (ones &* 0x22))
                || hasByte(below: 1, in: word ^ (ones &* 0x5C))
            {
                break
            }
            position += 8
        }
        while position < buffer.count {
            let byte = buffer[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            position += 1
        }
        return position
    }

    private mutating func readEscapedString(from start: Int) throws(LedgerFormatError) -> ArraySlice<UInt8> {
        var output = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return output[...]
            case UInt8(ascii: "\\"):
                try appendEscape(to: &output)
            case 0..<0x20:
                index -= 1
                throw failure("control character in a string")
            default:
                output.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    private mutating func appendEscape(to output: inout [UInt8]) throws(LedgerFormatError) {
        guard index < bytes.count else { throw failure("unterminated string") }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHexQuad()
            if (0xD800..<0xDC00).contains(scalar) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw failure("unpaired surrogate in \\u escape") }
                index += 2
                let low = try readHexQuad()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate in \\u escape") }
                scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("unpaired surrogate in \\u escape") }
            output.append(contentsOf: UTF8.encode(unicode)!)
        default:
            index -= 1
            throw failure("invalid escape in a string")
        }
    }

    private mutating func readHexQuad() throws(LedgerFormatError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexValue(bytes[index]) else { throw failure("invalid \\u escape") }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// After a member or element: `true` at the closing bracket, `false` after a comma.
    private mutating func next(closing: UInt8) throws(LedgerFormatError) -> Bool {
        let byte = try peek()
        index += 1
        if byte == closing { return true }
        if byte == UInt8(ascii: ",") { return false }
        index -= 1
        throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
    }

    private mutating func expect(_ byte: UInt8) throws(LedgerFormatError) {
        guard try peek() == byte else {
            throw failure(
                byte == UInt8(ascii: "\"") ? "expected a string" : "expected '\(Character(Unicode.Scalar(byte)))'"
            )
        }
        index += 1
    }

    /// The next byte that is not whitespace, left unread.
    private mutating func peek() throws(LedgerFormatError) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end of input") }
        return bytes[index]
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }
}
