import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign status [CASE] [--json]`
enum StatusCommand: CountersignCommand {
    static let spec = CommandSpec(
        "status",
        abstract: "Show one case step by step, or list every case with its state.",
        discussion: """
            For a case: each step done (by whom, when), ready (waiting on whom, due when), blocked (on \
            what), skipped or overdue; its documents with fingerprints; when it expires.
            """,
        arguments: [.optionalPositional("CASE", help: "the case id (default: list every case)")]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let orchestrator = try context.orchestrator(signer: nil, writesCaches: false)
        guard let caseID = arguments.value("CASE") else {
            let views = try orchestrator.caseIDs().map { try orchestrator.repository.view(of: $0, at: context.now) }
            if context.json {
                try context.printJSON(views.map { $0.summaryJSON })
            } else {
                for view in views { context.console.out(CaseViewText.line(view)) }
                if views.isEmpty { context.say("no cases yet") }
            }
            return
        }
        let view = try orchestrator.repository.view(of: caseID, at: context.now)
        if context.json {
            try context.printJSON(view.detailJSON)
        } else {
            context.console.out(CaseViewText.detail(view), terminator: "")
        }
    }
}
