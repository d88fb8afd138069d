/// Where each part of a case bundle lives under the bag's `data/` folder (FORMATS.md §6), and the
/// one rule every path component obeys, so no name taken from a case can leave the bag.
public enum BundleLayout {
    static let pipeline = ["pipeline.yaml"]
    static let checkpoint = ["checkpoint.txt"]
    static let report = ["report.html"]
    static let guide = ["VERIFY.md"]
    /// The log time of every entry of the bag (`BundleLogTimes`).
    static let logTimes = ["log-times.txt"]
    /// The case's proof in the checkpoint's case-head map (docs/CASE-MAP.md).
    static let caseHeadProof = ["case-head.proof"]
    static let partiesFolder = "parties"
    static let entriesFolder = "entries"
    static let governanceFolder = "governance"
    static let proofsFolder = "proofs"
    static let documentsFolder = "documents"
    /// Earlier checkpoints that bracket the case's entries, with consistency proofs to `checkpoint.txt`.
    static let checkpointsFolder = "checkpoints"
    /// The names the layout itself uses at the top of `data/` (beyond the pipeline files).
    static let ownNames: Set<String> = [
        partiesFolder, entriesFolder, governanceFolder, proofsFolder, documentsFolder, checkpointsFolder,
        checkpoint[0], report[0], guide[0], logTimes[0], caseHeadProof[0],
    ]

    static let entrySuffix = ".dsse.json"
    static let proofSuffix = ".tlog-proof"
    static let partySuffix = ".yaml"
    static let documentSuffix = ".xml"
    static let checkpointSuffix = ".txt"
    static let consistencySuffix = ".consistency"
    /// The `bag-info.txt` field listing the sizes of the bracketing checkpoints in `checkpoints/`.
    static let bracketingCheckpointsField = "Countersign-Bracketing-Checkpoints"
    /// Log indexes are zero-padded to at least this many digits, so file names sort in log order.
    static let minimumIndexWidth = 8

    /// Whether `component` may name a file or folder: not empty, not `.`, and without `/`, `..` or
    /// NUL. Ids, names and case ids are restricted long before they get here; this is the last guard.
    public static func isSafeComponent(_ component: String) -> Bool {
        !component.isEmpty && component != "." && !component.contains("/") && !component.contains("..")
            && !component.utf8.contains(0)
    }

    /// The width every log index of a bag is padded to: enough for `largestIndex`.
    static func indexWidth(largestIndex: Int) -> Int {
        max(minimumIndexWidth, String(largestIndex).count)
    }

    static func padded(_ index: Int, width: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func party(_ id: String) -> [String] { [partiesFolder, id + partySuffix] }

    static func entry(_ index: Int, width: Int) -> [String] {
        [entriesFolder, padded(index, width: width) + entrySuffix]
    }

    static func governance(_ index: Int, width: Int) -> [String] {
        [governanceFolder, padded(index, width: width) + entrySuffix]
    }

    static func proof(_ index: Int, width: Int) -> [String] {
        [proofsFolder, padded(index, width: width) + proofSuffix]
    }

    /// `checkpoints/SIZE.txt`: a stored checkpoint of `size` entries that brackets an entry.
    static func bracketingCheckpoint(_ size: Int, width: Int) -> [String] {
        [checkpointsFolder, padded(size, width: width) + checkpointSuffix]
    }

    /// `checkpoints/SIZE.consistency`: the consistency proof from that checkpoint to `checkpoint.txt`.
    static func consistencyProof(_ size: Int, width: Int) -> [String] {
        [checkpointsFolder, padded(size, width: width) + consistencySuffix]
    }

    /// `documents/NAME.xml` for the version the case holds now; `documents/NAME@INDEX.xml` for an
    /// older version, `INDEX` being the log index of the entry that attached it.
    static func document(_ name: String, replacedVersionAt index: Int?, width: Int) -> [String] {
        [documentsFolder, name + (index.map { "@" + padded($0, width: width) } ?? "") + documentSuffix]
    }

    /// The log index a file name of the form `DIGITS` + `suffix` stands for.
    static func index(fromFileName name: String, suffix: String) -> Int? {
        guard name.hasSuffix(suffix) else { return nil }
        let digits = name.dropLast(suffix.count)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(digits)
    }

    /// A document file name split into its document name and, for an older version, the index of
    /// the entry that attached it.
    static func document(fromFileName fileName: String) -> (name: String, replacedVersionAt: Int?)? {
        guard fileName.hasSuffix(documentSuffix) else { return nil }
        let stem = fileName.dropLast(documentSuffix.count)
        guard let at = stem.lastIndex(of: "@") else { return stem.isEmpty ? nil : (String(stem), nil) }
        guard let index = Self.index(fromFileName: String(stem[stem.index(after: at)...]), suffix: "") else {
            return nil
        }
        return (String(stem[..<at]), index)
    }
}
