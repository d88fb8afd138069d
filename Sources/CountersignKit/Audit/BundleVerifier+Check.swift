extension BundleVerifier {
    /// One reported check: what kind of check, its outcome, the file it is about when there is one,
    /// and what it found. Printed as `ok: CHECK: DETAIL`, `FAIL: …` or `note: …`; `verify-bundle
    /// --json` gives each field (docs/BUNDLES.md).
    public struct Check: Sendable, Equatable, CustomStringConvertible {
        public enum Outcome: String, Sendable {
            case ok
            case fail = "FAIL"
            /// Information the reader must know, such as which keys were trusted.
            case note
        }

        public let outcome: Outcome
        /// The check's name, as its message begins: `bag`, `contents`, `governance`, `pipeline`,
        /// `time`, `signature`, `chain`, `documents`, `proofs`, `checkpoint`, `rules`.
        public let check: String
        /// The bag file the check is about (`data/entries/00000042.dsse.json`), when it is about one.
        public let subject: String?
        /// What the check found, after its name.
        public let detail: String

        /// A check reported as `message`, `CHECK: DETAIL`, about `subject`.
        public init(_ outcome: Outcome, _ message: String, subject: String? = nil) {
            self.outcome = outcome
            let name = message.prefix { $0 != ":" }
            if name.count < message.count, !name.isEmpty, name.allSatisfy({ $0.isLowercase || $0 == "-" }) {
                check = String(name)
                detail = String(message.dropFirst(name.count + 1).drop { $0 == " " })
            } else {
                check = ""
                detail = message
            }
            self.subject = subject
        }

        /// `CHECK: DETAIL`.
        public var message: String { check.isEmpty ? detail : "\(check): \(detail)" }

        /// `ok: MESSAGE`, `FAIL: MESSAGE` or `note: MESSAGE`.
        public var description: String { "\(outcome.rawValue): \(message)" }
    }
}

/// Reports checks as they are made and remembers whether any failed.
struct CheckLog {
    let report: (BundleVerifier.Check) -> Void
    private(set) var hasFailed = false

    init(report: @escaping (BundleVerifier.Check) -> Void) {
        self.report = report
    }

    mutating func fail(_ message: String, about subject: String? = nil) {
        hasFailed = true
        record(.fail, message, subject)
    }

    func ok(_ message: String, about subject: String? = nil) { record(.ok, message, subject) }

    func note(_ message: String, about subject: String? = nil) { record(.note, message, subject) }

    /// The file every message of a check is about, for checks of one file.
    static let fileOfCheck = ["checkpoint": "data/checkpoint.txt"]

    private func record(_ outcome: BundleVerifier.Check.Outcome, _ message: String, _ subject: String?) {
        var check = BundleVerifier.Check(outcome, message, subject: subject)
        if subject == nil, let file = Self.fileOfCheck[check.check] {
            check = BundleVerifier.Check(outcome, message, subject: file)
        }
        report(check)
    }

    /// The bag file a problem of the bag or contents check names first, when it begins with one.
    static func leadingFile(of problem: String) -> String? {
        let word = String(problem.prefix { $0 != " " && $0 != ":" && $0 != "," })
        let tagFiles = [
            "bagit.txt", "bag-info.txt", "manifest-sha512.txt", "manifest-sha256.txt", "tagmanifest-sha512.txt",
        ]
        return word.hasPrefix("data/") || tagFiles.contains(word) ? word : nil
    }
}
