import Foundation

/// Checks an audit bundle offline, needing nothing but the bag (and, optionally, pinned log and
/// witness keys or the genesis): the bag itself; the governance entries the case rests on, folded
/// from the genesis in log order; the pipeline version's files; every envelope's signature by a key
/// the consortium held in force for its party at that point of the log; the case chain; every
/// document's fingerprint; every inclusion proof; the checkpoint's signature by the log signer and
/// its cosignatures; every entry's log time, within the signed and cosigned times of the checkpoints
/// that bracket it; and, by replaying the entries through the engine at their log times, that every
/// entry was allowed by the pipeline when the log received it; and, by the case's proof in the
/// checkpoint's case-head map, that the bag holds the whole case up to the checkpoint. Keys and
/// the pipeline come from the governance entries; the bundle's `data/parties/` files are for
/// people to read.
///
/// Checks run in that order and each is reported as it is made. The first kind of check that fails
/// ends the run: later checks rely on what earlier ones established.
public struct BundleVerifier {
    /// The bag's folder.
    public let directory: URL
    /// The pinned genesis, log key and witness keys; without them every key rests on the bundle's
    /// own genesis entry (and the output says so).
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
                let governance = checkGovernance(contents, &log),
                let pipeline = checkPipeline(contents, bag: bag, governance: governance, &log)
            else { return false }
            var outcome: CaseOutcome?
            let stages: [(BundleContents, inout CheckLog) -> Void] = [
                checkLogTimes,
                { checkSignatures($0, governance: governance, &$1) },
                { checkChain($0, caseID: bag.value(of: "External-Identifier"), &$1) },
                checkDocuments,
                checkProofs,
                { checkCheckpoint($0, governance: governance, &$1) },
                { checkTimes($0, governance: governance, &$1) },
                { outcome = checkRules($0, pipeline: pipeline, governance: governance, &$1) },
                { checkCaseHead($0, bag: bag, outcome: outcome, &$1) },
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
            for problem in problems { log.fail("bag: \(problem)", about: CheckLog.leadingFile(of: problem)) }
        } catch {
            log.fail("bag: \(error)")
        }
        return nil
    }

    private func checkContents(_ bag: Bag, _ log: inout CheckLog) -> BundleContents? {
        do {
            let contents = try BundleContents.parse(bag)
            log.ok(
                "contents: \(contents.entries.count) case entries and \(contents.governance.count) governance entries "
                    + "with their inclusion proofs, \(contents.documents.count) documents, "
                    + "the pipeline and \(contents.supportFiles.count) files beside it (checked against its version "
                    + "below), the checkpoint, "
                    + "\(contents.checkpoints.count) earlier checkpoints with their consistency proofs, "
                    + "\(contents.logTimes.count) log times; "
                    + "\(contents.partyFiles.count) party files for people to read (not evidence: no check reads them)"
            )
            return contents
        } catch {
            for problem in error.all { log.fail("contents: \(problem)", about: CheckLog.leadingFile(of: problem)) }
            return nil
        }
    }

    /// The version the case was opened under is in force (per the governance entries) when it
    /// opens; the bag holds its files with the SHA-256 the version records, and no other file
    /// beside them; the pipeline loads from them alone; and every entry names it.
    private func checkPipeline(
        _ contents: BundleContents,
        bag: Bag,
        governance: BundleEvidence,
        _ log: inout CheckLog
    ) -> Pipeline? {
        let opening = contents.entries[0]
        let digest = opening.predicate.pipelineDigest
        guard let version = governance.before(opening.index).versions[digest] else {
            log.fail(
                "pipeline: \(opening.label) opens the case under \(opening.predicate.pipeline)@sha256:\(digest.hex), "
                    + "which no governance entry in the bundle brought into force before it",
                about: opening.path
            )
            return nil
        }
        var pipelineBytes: [UInt8]?
        var schemas: [String: [UInt8]] = [:]
        for file in version.files {
            let path = Bag.payloadFolder + "/" + file.path
            guard let bytes = bag.payload[path] else {
                log.fail("pipeline: \(path), a file of version \(version.name), is missing", about: path)
                continue
            }
            guard SHA256.hash(bytes) == file.sha256 else {
                log.fail(
                    "pipeline: \(path) is not the file version \(version.name) was approved with "
                        + "(its SHA-256 is \(SHA256.hash(bytes).hex), the version's \(file.sha256.hex))",
                    about: path
                )
                continue
            }
            if file.path == PipelineFiles.pipelineName { pipelineBytes = bytes } else { schemas[file.path] = bytes }
        }
        let versionPaths = Set(version.files.map { Bag.payloadFolder + "/" + $0.path })
        for path in contents.supportFiles where !versionPaths.contains(path) {
            log.fail(
                "pipeline: \(path) is no file of version \(version.name), and nothing else belongs beside it",
                about: path
            )
        }
        guard !log.hasFailed, let pipelineBytes else { return nil }
        let pipeline: Pipeline
        do {
            pipeline = try Pipeline(
                files: PipelineFiles(pipeline: pipelineBytes, schemas: schemas),
                path: "data/pipeline.yaml"
            )
        } catch {
            for diagnostic in error.all {
                log.fail("pipeline: \(diagnostic)", about: "data/" + PipelineFiles.pipelineName)
            }
            return nil
        }
        for entry in contents.entries {
            let predicate = entry.predicate
            if predicate.pipelineDigest != version.digest {
                log.fail(
                    "pipeline: \(entry.label) was signed under pipeline sha256:\(predicate.pipelineDigest.hex), "
                        + "not the version \(version.name) the case was opened under",
                    about: entry.path
                )
            } else if predicate.pipeline != pipeline.id {
                log.fail(
                    "pipeline: \(entry.label) names pipeline '\(predicate.pipeline)', not '\(pipeline.id)'",
                    about: entry.path
                )
            }
        }
        guard !log.hasFailed else { return nil }
        log.ok(
            "pipeline: version \(version.name), in force since governance entry \(version.inForceAt), governs every "
                + "entry; its \(version.files.count) files are in the bag with the SHA-256 it was approved with, and it "
                + "loads from them alone"
        )
        return pipeline
    }
}
