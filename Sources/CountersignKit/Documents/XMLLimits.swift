/// Bounds on what the XML parser accepts, so a hostile document costs a bounded amount of memory and time.
public struct XMLLimits: Hashable, Sendable {
    /// libxml2's own nesting ceiling without `XML_PARSE_HUGE`, which Countersign never sets.
    public static let depthCeiling = 256

    /// Largest document accepted, in bytes, checked before parsing.
    public let maxBytes: Int
    /// Deepest element nesting accepted (the root element is at depth 1).
    public let maxDepth: Int

    /// 64 MiB and 256 levels: room for a 50 MB business document, not for a memory bomb.
    public static let `default` = XMLLimits(maxBytes: 64 << 20, maxDepth: depthCeiling)

    /// `maxDepth` must be within `1...depthCeiling`; libxml2 refuses anything deeper on its own.
    public init(maxBytes: Int, maxDepth: Int) {
        precondition(maxBytes > 0, "maxBytes must be positive")
        precondition((1...Self.depthCeiling).contains(maxDepth), "maxDepth must be within 1...\(Self.depthCeiling)")
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }
}
