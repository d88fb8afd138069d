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

            It also warns, as FILE:LINE:COL: warning: ..., about what loads but silently misbehaves: an \
            XPath step naming an element or attribute its document's schema declares nowhere (or only in a \
            namespace, which a name without prefix never matches), a step that cannot become ready in turn \
            (it needs or reads a document only later steps produce, or comes after such a step), and a step \
            that both needs and produces a document. Warnings alone leave the exit code 0. With --json, \
            stdout has {"pipelines": [{"file", "pipeline", "steps", "warnings": [{"file", "line", "column", \
            "severity", "message"}]}]}.
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
        var warnings: [Diagnostic] = []
        var loaded: [[String: Any]] = []
        for (url, path) in files {
            do {
                let pipeline = try catalog.load(url, path: path)
                let found = pipeline.warnings()
                warnings += found
                loaded.append([
                    "file": path, "pipeline": pipeline.id, "steps": pipeline.steps.count,
                    "warnings": found.map(\.json),
                ])
                if !context.json {
                    found.forEach { context.console.err($0.description) }
                    let counted = found.isEmpty ? "" : ", \(found.count) warning\(found.count == 1 ? "" : "s")"
                    context.say("\(path): ok (\(pipeline.id), \(pipeline.steps.count) steps\(counted))")
                }
            } catch {
                guard case .invalid(let diagnostics) = error else { throw error }
                problems += diagnostics.all
            }
        }
        // Errors are reported with the warnings of the files that loaded, each in its severity.
        guard problems.isEmpty else { throw Diagnostics(context.json ? warnings + problems : problems) }
        if context.json { try context.printJSON(["pipelines": loaded]) }
    }
}
