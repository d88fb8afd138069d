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
            what), skipped or overdue; its documents with fingerprints; when it expires. Every time shown \
            is a log time, when the entry reached the ledger by the log's own clock; on a ledger whose \
            clock is simulated the output says those times prove nothing. --now looks at any moment \
            (what would be due, overdue or expired then) without changing anything.
            """,
        arguments: [.optionalPositional("CASE", help: "the case id (default: list every case)")]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let orchestrator = try context.orchestrator(signer: nil, writesCaches: false)
        let clock = try orchestrator.repository.governance.settings?.clock
        guard let caseID = arguments.value("CASE") else {
            let views = try orchestrator.caseIDs().map { try orchestrator.repository.view(of: $0, at: context.now) }
            if context.json {
                try context.printJSON(views.map { CaseViewText.json($0.summaryJSON, clock: clock) })
            } else {
                for view in views { context.console.out(CaseViewText.line(view)) }
                if views.isEmpty { context.say("no cases yet") }
                if !views.isEmpty, let note = CaseViewText.clockNote(clock) { context.console.out(note) }
            }
            return
        }
        let view = try orchestrator.repository.view(of: caseID, at: context.now)
        if context.json {
            try context.printJSON(CaseViewText.json(view.detailJSON, clock: clock))
        } else {
            context.console.out(CaseViewText.detail(view, clock: clock), terminator: "")
        }
    }
}
