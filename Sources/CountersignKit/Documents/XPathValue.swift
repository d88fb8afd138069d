internal import CLibXML2

/// The result of an XPath 1.0 expression: one of XPath's four types.
public enum XPathValue: Hashable, Sendable, CustomStringConvertible {
    /// An XPath number (a double: NaN and the infinities included).
    case number(Double)
    /// An XPath string.
    case string(String)
    /// An XPath boolean.
    case boolean(Bool)
    /// A node-set: how many nodes, and the string-value of the first in document order ("" when empty).
    case nodeSet(count: Int, stringValue: String)

    /// The value as XPath's `boolean()` sees it: a non-empty node-set, a non-empty string, a number not 0 or NaN.
    public var booleanValue: Bool {
        switch self {
        case .number(let number): !(number == 0 || number.isNaN)
        case .string(let string): !string.isEmpty
        case .boolean(let boolean): boolean
        case .nodeSet(let count, _): count > 0
        }
    }

    /// The value as XPath's `string()` sees it (numbers formatted by libxml2, as `string()` inside an expression).
    public var stringValue: String {
        switch self {
        case .number(let number):
            guard let text = xmlXPathCastNumberToString(number) else { return "NaN" }
            defer { cs_xml_free(text) }
            return String(cString: text)
        case .string(let string): return string
        case .boolean(let boolean): return boolean ? "true" : "false"
        case .nodeSet(_, let stringValue): return stringValue
        }
    }

    public var description: String {
        switch self {
        case .number: "number \(stringValue)"
        case .string(let string): "string \"\(string)\""
        case .boolean(let boolean): "boolean \(boolean)"
        case .nodeSet(let count, let stringValue): "node-set of \(count) (\"\(stringValue)\")"
        }
    }
}
