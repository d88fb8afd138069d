import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign open PIPELINE CASE --as PARTY --key FILE [--doc NAME=FILE]...`
enum OpenCommand: CountersignCommand {
    static let spec = CommandSpec(
        "open",
        abstract: "Open a case under a pipeline, signed by a party the pipeline lets open cases.",
        discussion: """
            PIPELINE is a pipeline's `pipeline:` id or the path of its file. The pipeline's exact bytes \
            are stored with the case: later edits to the file do not change it. Documents given with \
            --doc are parsed, validated against their schema and attached by fingerprint.
            """,
        arguments: [
            .positional("PIPELINE", help: "the pipeline id or file"),
            .positional("CASE", help: "the case id: 1 to 128 of A-Z a-z 0-9 . _ -"),
        ] + SigningOptions.specs + [DocumentOptions.spec]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let name = arguments.value("PIPELINE")!
        let caseID = arguments.value("CASE")!
        guard let pipeline = try context.pipelines().pipeline(named: name, relativeTo: context.workspace) else {
            throw ConfigurationError.unknownPipeline(name)
        }
        let signer = try SigningOptions(arguments, context: context)
        let documents = try DocumentOptions.uploads(arguments, context: context)
        let orchestrator = try context.orchestrator(signer: signer)
        let entry = try orchestrator.openEntry(
            pipeline: pipeline,
            caseID: caseID,
            party: signer.party,
            key: signer.key,
            documents: documents,
            now: context.now
        )
        let appended = try orchestrator.submit(entry, now: context.now)
        context.say("opened case \(caseID) (\(pipeline.id)) at entry \(appended.index)")
        try CaseReporter(context: context).afterAppend(caseID: caseID, orchestrator: orchestrator)
    }
}
