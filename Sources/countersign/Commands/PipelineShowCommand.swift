import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign pipeline show FILE [--dot]`: a pipeline's steps, parties and documents.
enum PipelineShowCommand: CountersignCommand {
    static let spec = CommandSpec(
        "pipeline show",
        abstract: "Show a pipeline's steps, parties, documents and dependency graph.",
        arguments: [
            .positional(
                "PIPELINE",
                completion: DynamicValues.pipeline.completion,
                help: "a pipeline file, or the `pipeline:` id of one in pipelines/"
            ),
            .flag("dot", help: "print the step graph as Graphviz DOT"),
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let name = arguments.value("PIPELINE")!
        guard let pipeline = try context.pipelines(parties: nil).pipeline(named: name, relativeTo: context.workspace)
        else {
            throw ConfigurationError.unknownPipeline(name)
        }
        if context.json && !arguments.flag("dot") {
            try context.printJSON(pipeline.json.merging(["command": spec.name]) { _, new in new })
        } else {
            context.console.out(arguments.flag("dot") ? pipeline.dot : pipeline.summary, terminator: "")
        }
    }
}
