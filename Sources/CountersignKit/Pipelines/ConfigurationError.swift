/// What went wrong reading or writing party and pipeline files.
public enum ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The file or folder could not be read (missing, a directory, no permission): an environment problem.
    case unreadable(path: String, reason: String)
    /// The file could not be written.
    case unwritable(path: String, reason: String)
    /// The file was read but is not valid; every problem, each at its line and column.
    case invalid(Diagnostics)
    /// `keygen` would register a key the party file already holds.
    case keyAlreadyRegistered(path: String, keyID: String)
    /// A party id that does not follow the party id rule.
    case invalidPartyID(String)
    /// No pipeline with this id or path.
    case unknownPipeline(String)
    /// The party file is valid but laid out so the key cannot be added by editing its text.
    case notEditable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
        case .invalid(let diagnostics): diagnostics.description
        case .keyAlreadyRegistered(let path, let keyID): "\(path) already holds key \(keyID)"
        case .invalidPartyID(let problem): problem
        case .unknownPipeline(let name):
            "no pipeline '\(name)' (give its `pipeline:` id or the path of its file)"
        case .notEditable(let path, let reason):
            "cannot add the key to \(path) automatically (\(reason)); add it by hand"
        }
    }
}
