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
    /// How long before its end a case is announced as expiring (`notice:`, default 30 days): in
    /// `notices`, to `reconcile --notify` hooks and in the nightly report (the unclaimed-prize
    /// notice).
    public let notice: PipelineDuration

    /// The notice period when a pipeline names none.
    public static let defaultNotice = PipelineDuration("30d")!

    public init(
        start: Start,
        defaultWindow: PipelineDuration,
        key: PipelineExpression?,
        windows: [String: PipelineDuration],
        notice: PipelineDuration = Self.defaultNotice
    ) {
        self.start = start
        self.defaultWindow = defaultWindow
        self.key = key
        self.windows = windows
        self.notice = notice
    }

    /// The window for a case whose `key` evaluated to `keyValue` (`nil`: no key or no value).
    public func window(for keyValue: String?) -> PipelineDuration {
        keyValue.flatMap { windows[$0] } ?? defaultWindow
    }
}
