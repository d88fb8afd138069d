import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign pipeline check [FILE...]`: validate pipeline files, reporting every problem.
enum PipelineCheckCommand: CountersignCommand {
    static let spec = CommandSpec(
        "pipeline check",
        abstract: "Validate pipeline files and report every problem as FILE:LINE:COL: error: ...",
        discussion: """
            Checks YAML syntax, the keys of the file, parties, steps and documents referred to, \
            dependency cycles, XPath syntax and that schemas load (with every file they include, all inside \
            the pipeline's folder). Parties are those in force in the consortium, or the workspace's party \
            files before there is one. Default: every pipelines/*.yaml.
            """,
        arguments: [.positionals("FILE", help: "pipeline files (default: all of pipelines/*.yaml)")]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let catalog = context.pipelines(parties: try context.knownParties())
        let files =
            arguments.values("FILE").isEmpty
            ? try catalog.files().map { ($0, catalog.displayPath(of: $0)) }
            : arguments.values("FILE").map { (URL(fileURLWithPath: context.resolve($0)), $0) }
        var problems: [Diagnostic] = []
        for (url, path) in files {
            do {
                let pipeline = try catalog.load(url, path: path)
                context.say("\(path): ok (\(pipeline.id), \(pipeline.steps.count) steps)")
            } catch {
                guard case .invalid(let diagnostics) = error else { throw error }
                problems += diagnostics.all
            }
        }
        guard problems.isEmpty else { throw Diagnostics(problems) }
    }
}
