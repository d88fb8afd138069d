/// Bounds on what the XML parser accepts, so a hostile document costs a bounded amount of memory and time.
///
/// libxml2 2.9 does work that grows with the square of some counts: it checks each attribute of an element
/// against the ones before it (while parsing, building the tree, and sorting them for C14N), each namespace
/// declaration against those in scope, and looks a prefix up through every declaration in scope. Capping
/// those counts per element keeps the whole parse and canonicalization linear in the document's size
/// (docs/DECISIONS.md, "Documents"). Names, attribute values and text nodes are bounded by libxml2 itself
/// without `XML_PARSE_HUGE`, which Countersign never sets (`nameLengthCeiling`, `textLengthCeiling`).
public struct XMLLimits: Hashable, Sendable {
    /// libxml2's own nesting ceiling without `XML_PARSE_HUGE`.
    public static let depthCeiling = 256
    /// libxml2's own ceiling on a name (element, attribute, prefix), in bytes, without `XML_PARSE_HUGE`.
    public static let nameLengthCeiling = 50_000
    /// libxml2's own ceiling on one text node or attribute value, in bytes, without `XML_PARSE_HUGE`.
    public static let textLengthCeiling = 10_000_000
    /// Most attributes one element may carry by default (namespace declarations not counted): far above
    /// what business documents use, low enough that an element's quadratic work stays small.
    public static let defaultMaxAttributes = 256
    /// Most namespace declarations in scope at any element by default (on it and its ancestors).
    public static let defaultMaxNamespaces = 128

    /// Largest document accepted, in bytes, checked before parsing.
    public let maxBytes: Int
    /// Deepest element nesting accepted (the root element is at depth 1).
    public let maxDepth: Int
    /// Most attributes on one element, namespace declarations not counted.
    public let maxAttributes: Int
    /// Most namespace declarations in scope at one element: its own and its ancestors'.
    public let maxNamespaces: Int

    /// 64 MiB, 256 levels, 256 attributes per element, 128 namespace declarations in scope: room for a
    /// 50 MB business document, not for a memory or time bomb.
    public static let `default` = XMLLimits(maxBytes: 64 << 20, maxDepth: depthCeiling)

    /// `maxDepth` must be within `1...depthCeiling`; libxml2 refuses anything deeper on its own. The counts
    /// must be positive.
    public init(
        maxBytes: Int,
        maxDepth: Int,
        maxAttributes: Int = defaultMaxAttributes,
        maxNamespaces: Int = defaultMaxNamespaces
    ) {
        precondition(maxBytes > 0, "maxBytes must be positive")
        precondition((1...Self.depthCeiling).contains(maxDepth), "maxDepth must be within 1...\(Self.depthCeiling)")
        precondition(maxAttributes > 0 && maxNamespaces > 0, "maxAttributes and maxNamespaces must be positive")
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxAttributes = maxAttributes
        self.maxNamespaces = maxNamespaces
    }
}
