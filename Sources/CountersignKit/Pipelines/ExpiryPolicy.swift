/// When a case of a pipeline expires (`expiry:`): a window that starts when the case opens or when
/// a step is done, and whose length may depend on the case's documents.
public struct ExpiryPolicy: Hashable, Sendable {
    /// When the window starts.
    public enum Start: Hashable, Sendable, CustomStringConvertible {
        /// When the case is opened (`from: open`, the default).
        case open
        /// When this step is done (`from: STEP`).
        case step(String)

        public var description: String {
            switch self {
            case .open: "open"
            case .step(let id): id
            }
        }
    }

    public let start: Start
    /// The window used when there is no `key`, or when the key's value names no row of `windows`.
    public let defaultWindow: PipelineDuration
    /// An XPath expression whose string value picks a row of `windows`; present exactly when
    /// `windows` is not empty.
    public let key: PipelineExpression?
    /// Windows by key value (a territory, a product line...).
    public let windows: [String: PipelineDuration]

    /// The window for a case whose `key` evaluated to `keyValue` (`nil`: no key or no value).
    public func window(for keyValue: String?) -> PipelineDuration {
        keyValue.flatMap { windows[$0] } ?? defaultWindow
    }
}
