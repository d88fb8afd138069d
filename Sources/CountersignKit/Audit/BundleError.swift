/// Why an audit bundle could not be written or read, in words a user can act on.
public enum BundleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A path component that could leave the bag or the output folder (`/`, `..`, NUL, empty).
    case unsafePath(String)
    /// Two parts of the bundle would be written to the same path.
    case duplicatePath(String)
    /// No stored checkpoint covers the case's newest entry, and no key was given to sign one.
    case noCheckpoint(caseID: String, newestIndex: Int, newestCheckpointSize: Int?)
    /// The ledger disagrees with itself (a checkpoint or leaf hash that does not match the entries).
    case damagedLedger(String)
    /// Something the case refers to is not in the ledger store.
    case missingFromStore(String)
    /// The case names a party that has no file in `parties/`.
    case unknownParty(String)
    /// A schema the pipeline names cannot be carried inside the bag.
    case unbundlableSchema(path: String, reason: String)
    /// The output folder exists and holds something that is not a bundle of this case.
    case outputExists(path: String, reason: String)
    /// A file or folder cannot be read.
    case unreadable(path: String, reason: String)
    /// A file or folder cannot be written.
    case unwritable(path: String, reason: String)
    /// The text is not a `c2sp.org/tlog-proof@v1` proof.
    case malformedProof(String)
    /// The folder is not a valid BagIt bag; every problem found is listed.
    case invalidBag([String])
    /// `data/log-times.txt` is not one `INDEX TIME` line per entry, in log order.
    case malformedLogTimes(String)
    /// `data/case-head.proof` is not as docs/CASE-MAP.md writes it.
    case malformedCaseHeadProof(String)
    /// A `data/checkpoints/SIZE.consistency` file is not a consistency proof.
    case malformedConsistencyProof(String)
    /// An entry the bundle needs was stored before the log kept log times, while the log records one
    /// for another entry or checkpoint of the bundle: a bundle carries every entry's log time or none.
    case missingLogTime(index: Int)

    public var description: String {
        switch self {
        case .unsafePath(let component):
            "refusing path component \"\(component)\": bundle paths may not be empty or contain '/', '..' or NUL"
        case .duplicatePath(let path): "two parts of the bundle would both be written to \(path)"
        case .noCheckpoint(let caseID, let newestIndex, let size):
            "no stored checkpoint covers entry \(newestIndex) of case '\(caseID)' "
                + (size.map { "(the newest covers \($0) entries)" } ?? "(none is stored)")
                + ": run `countersign checkpoint --as PARTY --key FILE` first, or give --as PARTY --key FILE to bundle"
        case .damagedLedger(let reason): "the ledger is damaged: \(reason); run `countersign log verify`"
        case .missingFromStore(let what): "\(what) is not in the ledger store: run `countersign log verify`"
        case .unknownParty(let party): "the case names party '\(party)', which has no file in parties/"
        case .unbundlableSchema(let path, let reason): "schema '\(path)' cannot be carried in a bundle: \(reason)"
        case .outputExists(let path, let reason): "\(path) already exists and \(reason); remove it or choose --out"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
        case .malformedProof(let reason): "not a c2sp.org/tlog-proof@v1 proof: \(reason)"
        case .malformedCaseHeadProof(let reason): "not a case-head proof (docs/CASE-MAP.md): \(reason)"
        case .invalidBag(let problems): "not a valid BagIt bag: " + problems.joined(separator: "; ")
        case .malformedLogTimes(let reason): "not a log-times file: \(reason)"
        case .malformedConsistencyProof(let reason): "not a consistency proof: \(reason)"
        case .missingLogTime(let index):
            "entry \(index) was stored before the log kept log times, but the log records them for the bundle's "
                + "other entries or checkpoints: a bundle carries every entry's log time or none"
        }
    }
}
