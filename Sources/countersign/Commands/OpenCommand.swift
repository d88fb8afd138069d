import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign open PIPELINE CASE --as PARTY --key FILE [--doc NAME=FILE]...`
enum OpenCommand: CountersignCommand {
    static let spec = CommandSpec(
        "open",
        abstract: "Open a case under a pipeline, signed by a party the pipeline lets open cases.",
        discussion: """
            PIPELINE names a pipeline version in force in the consortium: a `pipeline:` id (its newest \
            version), ID@sha256:HEX (that version), or the path of a file whose bytes and schemas are \
            those of a version in force. Any other pipeline is refused, naming its digest and how to \
            propose it. The case stays on that version: later versions and edits to the workspace's \
            files do not change it. Documents given with --doc are parsed, validated against their \
            schema and attached by fingerprint.
            """,
        arguments: [
            .positional(
                "PIPELINE",
                completion: DynamicValues.pipeline.completion,
                help: "a pipeline id, ID@sha256:HEX, or a pipeline file"
            ),
            .positional(
                "CASE",
                completion: DynamicValues.caseID.completion,
                help: "the case id: 1 to 128 of A-Z a-z 0-9 . _ -"
            ),
        ] + SigningOptions.specs + [DocumentOptions.spec]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let name = arguments.value("PIPELINE")!
        let caseID = arguments.value("CASE")!
        let signer = try SigningOptions(arguments, context: context)
        let documents = try DocumentOptions.uploads(arguments, context: context)
        let orchestrator = try context.orchestrator(signer: signer)
        try context.refuseNowUnlessSimulated(try orchestrator.repository.governance.settings?.clock, command: spec)
        let pipeline = try version(named: name, orchestrator.repository, context)
        let entry = try orchestrator.openEntry(
            pipeline: pipeline,
            caseID: caseID,
            party: signer.party,
            key: signer.key,
            documents: documents,
            now: context.now
        )
        let appended = try orchestrator.submit(entry, now: context.now)
        context.say("opened case \(caseID) (\(pipeline.versionName)) at entry \(appended.index)")
        let reporter = CaseReporter(context: context)
        var result = try reporter.afterAppend(appended, caseID: caseID, orchestrator: orchestrator)
        result["case"] = caseID
        result["party"] = signer.party
        result["pipeline"] = pipeline.id
        result["pipelineDigest"] = pipeline.digest
        try reporter.printResult(spec, result)
    }

    /// The version in force that `name` names: `ID` (the newest), `ID@sha256:HEX`, or a file whose
    /// files are those of a version in force.
    static func version(named name: String, _ repository: CaseRepository, _ context: CommandContext) throws -> Pipeline
    {
        let governance = repository.governance
        guard try governance.isFounded() else { throw GovernanceError.noConsortium }
        if let at = name.range(of: "@sha256:") {
            let id = String(name[..<at.lowerBound])
            guard let digest = Digest(hex: name[at.upperBound...]), let version = try governance.version(digest),
                version.pipeline == id
            else { throw EngineError.pipelineNotInForce(name: name, version: nil, file: "pipelines/\(id).yaml") }
            return try repository.pipeline(version)
        }
        if name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let file = try Pipeline(contentsOf: URL(fileURLWithPath: context.resolve(name)), path: name, parties: nil)
            guard let version = try governance.version(file.files.digest) else {
                throw EngineError.pipelineNotInForce(name: "\(file.id) from \(name)", version: file.digest, file: name)
            }
            return try repository.pipeline(version)
        }
        guard let version = try governance.newestVersion(of: name) else {
            let file = "pipelines/\(name).yaml"
            guard FileManager.default.fileExists(atPath: context.resolve(file)) else {
                throw EngineError.unknownPipeline(name)
            }
            // Name the digest the workspace's file would be proposed under (when it loads at all).
            let digest = try? Pipeline(
                contentsOf: URL(fileURLWithPath: context.resolve(file)),
                path: file,
                parties: nil
            )
            .digest
            throw EngineError.pipelineNotInForce(name: name, version: digest, file: file)
        }
        return try repository.pipeline(version)
    }
}
