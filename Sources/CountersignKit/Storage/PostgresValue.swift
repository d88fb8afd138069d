/// A parameter of a PostgreSQL statement. Scalars travel in text format; bytes and arrays in
/// binary, so `bytea` is never escaped and a whole batch binds as one array per column.
enum PostgresValue {
    case integer(Int64)
    case text(String)
    case bytes([UInt8])
    case null
    /// An `int8[]`; the statement must cast the parameter (`$1::int8[]`).
    case integers([Int64])
    /// A `bytea[]`; the statement must cast the parameter (`$1::bytea[]`).
    case byteStrings([[UInt8]])
    /// A `text[]` whose elements may be NULL; the statement must cast the parameter (`$1::text[]`).
    case texts([String?])

    /// What libpq sends: the value's bytes (`nil` for SQL NULL) and their format (0 text, 1 binary).
    var encoded: (bytes: [UInt8]?, format: Int32) {
        switch self {
        case .integer(let number): (Array(String(number).utf8) + [0], 0)
        case .text(let text): (Array(text.utf8) + [0], 0)
        case .bytes(let bytes): (bytes, 1)
        case .null: (nil, 0)
        case .integers(let numbers):
            (Self.array(of: ObjectID.int8, numbers.map { Self.bigEndian($0) }), 1)
        case .byteStrings(let strings): (Self.array(of: ObjectID.bytea, strings), 1)
        case .texts(let texts): (Self.array(of: ObjectID.text, texts.map { $0.map { Array($0.utf8) } }), 1)
        }
    }

    /// The fixed type identifiers of PostgreSQL's built-in types (`pg_type.oid`).
    private enum ObjectID {
        static let bytea: Int32 = 17
        static let int8: Int32 = 20
        static let text: Int32 = 25
    }

    /// PostgreSQL's binary array format (`array_send`): dimension count, has-nulls flag, element
    /// type, then length and lower bound of the one dimension, then each element length-prefixed
    /// (-1 for NULL). An empty array has no dimension.
    private static func array(of elementType: Int32, _ elements: [[UInt8]?]) -> [UInt8] {
        let hasNulls = elements.contains { $0 == nil }
        var result: [UInt8] = []
        result.reserveCapacity(20 + elements.reduce(0) { $0 + 4 + ($1?.count ?? 0) })
        let header: [Int32] =
            elements.isEmpty
            ? [0, 0, elementType]
            : [1, hasNulls ? 1 : 0, elementType, Int32(elements.count), 1]
        for field in header { result += bigEndian(field) }
        for element in elements {
            result += bigEndian(Int32(element?.count ?? -1))
            if let element { result += element }
        }
        return result
    }

    private static func bigEndian(_ value: some FixedWidthInteger) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
