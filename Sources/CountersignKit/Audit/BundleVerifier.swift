import Foundation

/// Checks an audit bundle offline, needing nothing but the bag (and, optionally, pinned log and
/// witness keys): the bag itself; the pipeline digest; every envelope's signature and its key's
/// validity window; the case chain; every document's fingerprint; every inclusion proof; the
/// checkpoint's signature and cosignatures; and, by replaying the entries through the engine, that
/// every entry was allowed by the pipeline when it was signed.
///
/// Checks run in that order and each is reported as it is made. The first kind of check that fails
/// ends the run: later checks rely on what earlier ones established.
public struct BundleVerifier {
    /// One reported check.
    public struct Check: Sendable, Equatable, CustomStringConvertible {
        public enum Outcome: String, Sendable {
            case ok
            case fail = "FAIL"
            /// Information the reader must know, such as which keys were trusted.
            case note
        }

        public let outcome: Outcome
        public let message: String

        public init(_ outcome: Outcome, _ message: String) {
            self.outcome = outcome
            self.message = message
        }

        /// `ok: MESSAGE`, `FAIL: MESSAGE` or `note: MESSAGE`.
        public var description: String { "\(outcome.rawValue): \(message)" }
    }

    /// The bag's folder.
    public let directory: URL
    /// Pinned log and witness keys; without them the bundle's own party files supply the keys.
    public let trust: TrustPolicy?

    public init(directory: URL, trust: TrustPolicy? = nil) {
        self.directory = directory.standardizedFileURL
        self.trust = trust
    }

    /// Runs the checks, calling `report` with each as it is made. Returns whether all passed.
    public func run(_ report: (Check) -> Void) -> Bool {
        withoutActuallyEscaping(report) { report in
            var log = CheckLog(report: report)
            guard let bag = checkBag(&log), let contents = checkContents(bag, &log),
                let (pipeline, parties) = checkPipeline(contents, &log)
            else { return false }
            let stages: [(BundleContents, inout CheckLog) -> Void] = [
                { checkSignatures($0, parties: parties, &$1) },
                { checkChain($0, caseID: bag.value(of: "External-Identifier"), &$1) },
                checkDocuments,
                checkProofs,
                { checkCheckpoint($0, parties: parties, &$1) },
                { checkRules($0, pipeline: pipeline, parties: parties, &$1) },
            ]
            for stage in stages {
                stage(contents, &log)
                guard !log.hasFailed else { return false }
            }
            return true
        }
    }

    /// The payload folder on disk, where the pipeline finds its schemas.
    var dataDirectory: URL { directory.appendingPathComponent(Bag.payloadFolder, isDirectory: true) }

    private func checkBag(_ log: inout CheckLog) -> Bag? {
        do {
            let bag = try Bag.read(from: directory)
            log.ok(
                "bag: a valid BagIt 1.0 bag; all \(bag.payload.count) payload files and the tag files match "
                    + "their manifests; Payload-Oxum \(bag.payloadOxum)"
            )
            return bag
        } catch .invalidBag(let problems) {
            for problem in problems { log.fail("bag: \(problem)") }
        } catch {
            log.fail("bag: \(error)")
        }
        return nil
    }

    private func checkContents(_ bag: Bag, _ log: inout CheckLog) -> BundleContents? {
        do {
            let contents = try BundleContents.parse(bag)
            log.ok(
                "contents: \(contents.entries.count) entries with their inclusion proofs, "
                    + "\(contents.partyFiles.count) party files, \(contents.documents.count) documents, "
                    + "\(contents.supportFiles.count) schema files, the pipeline and the checkpoint"
            )
            return contents
        } catch {
            for problem in error.all { log.fail("contents: \(problem)") }
            return nil
        }
    }

    /// The party files load, the pipeline loads with them and its schemas, and every entry names
    /// the pipeline by its id and by the SHA-256 of `data/pipeline.yaml`.
    private func checkPipeline(_ contents: BundleContents, _ log: inout CheckLog) -> (Pipeline, PartyRegistry)? {
        let parties: PartyRegistry
        do {
            parties = try PartyRegistry(files: contents.partyFiles)
        } catch {
            for diagnostic in error.all { log.fail("party files: \(diagnostic)") }
            return nil
        }
        let pipeline: Pipeline
        do {
            pipeline = try Pipeline(
                bytes: contents.pipelineBytes,
                path: "data/pipeline.yaml",
                parties: parties.partyIDs,
                schemaDirectory: dataDirectory
            )
        } catch {
            for diagnostic in error.all { log.fail("pipeline: \(diagnostic)") }
            return nil
        }
        for entry in contents.entries {
            let predicate = entry.predicate
            if "sha256:" + predicate.pipelineDigest.hex != pipeline.digest {
                log.fail(
                    "pipeline: \(entry.label) was signed under pipeline sha256:\(predicate.pipelineDigest.hex), "
                        + "but data/pipeline.yaml is \(pipeline.digest): the pipeline file was changed"
                )
            } else if predicate.pipeline != pipeline.id {
                log.fail("pipeline: \(entry.label) names pipeline '\(predicate.pipeline)', not '\(pipeline.id)'")
            }
        }
        guard !log.hasFailed else { return nil }
        log.ok(
            "pipeline: data/pipeline.yaml (\(pipeline.id), \(pipeline.digest)) is the pipeline every entry was "
                + "signed under; it loads with the bundle's party files and schemas"
        )
        return (pipeline, parties)
    }
}

/// Reports checks as they are made and remembers whether any failed.
struct CheckLog {
    let report: (BundleVerifier.Check) -> Void
    private(set) var hasFailed = false

    init(report: @escaping (BundleVerifier.Check) -> Void) {
        self.report = report
    }

    mutating func fail(_ message: String) {
        hasFailed = true
        report(BundleVerifier.Check(.fail, message))
    }

    func ok(_ message: String) { report(BundleVerifier.Check(.ok, message)) }

    func note(_ message: String) { report(BundleVerifier.Check(.note, message)) }
}
