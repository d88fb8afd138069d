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
            (what would be due, overdue or expired then) without changing anything. The filters \
            narrow the list and combine (every one given must hold): --state open, completed, \
            rejected, expired or withdrawn; --pipeline ID; --party P, cases with a ready step P may \
            sign; --overdue, cases with a step past its due time; --expiring DAYS, open cases whose \
            window ends within DAYS days.
            """,
        arguments: [
            .optionalPositional(
                "CASE",
                completion: DynamicValues.caseID.completion,
                help: "the case id (default: list every case)"
            ),
            .option(
                "state",
                value: "S",
                completion: .list(["open", "completed", "rejected", "expired", "withdrawn"]),
                help: "only cases in this state (open, completed, rejected, expired, withdrawn)"
            ),
            .option(
                "pipeline",
                value: "ID",
                completion: DynamicValues.pipeline.completion,
                help: "only cases of this pipeline"
            ),
            .option(
                "party",
                value: "P",
                completion: DynamicValues.party.completion,
                help: "only cases with a ready step this party may sign"
            ),
            .flag("overdue", help: "only cases with a step past its due time"),
            .option("expiring", value: "DAYS", help: "only open cases whose window ends within DAYS days"),
        ]
    )

    /// The list filters given, as one predicate over case views (`nil`: none given).
    static func filter(_ arguments: ParsedArguments, now: Date) throws -> ((CaseView) -> Bool)? {
        var tests: [(CaseView) -> Bool] = []
        if let text = arguments.value("state") {
            guard let state = CaseOutcome(rawValue: text) else {
                throw UsageError(
                    "--state expects open, completed, rejected, expired or withdrawn, got '\(text)'",
                    command: spec
                )
            }
            tests.append { $0.outcome == state }
        }
        if let pipeline = arguments.value("pipeline") { tests.append { $0.pipeline.id == pipeline } }
        if let party = arguments.value("party") { tests.append { $0.isWaiting(on: party) } }
        if arguments.flag("overdue") { tests.append { $0.outcome == .open && !$0.overdueSteps.isEmpty } }
        if let days = try arguments.integer("expiring") {
            guard days >= 0 else { throw UsageError("--expiring expects a number of days, 0 or more", command: spec) }
            let horizon = now.addingTimeInterval(TimeInterval(days) * 86_400)
            tests.append { view in view.outcome == .open && view.expiresAt.map { $0 <= horizon } == true }
        }
        guard !tests.isEmpty else { return nil }
        return { view in tests.allSatisfy { $0(view) } }
    }

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let orchestrator = try context.orchestrator(signer: nil, writesCaches: false)
        let clock = try orchestrator.repository.governance.settings?.clock
        let filter = try Self.filter(arguments, now: context.now)
        guard let caseID = arguments.value("CASE") else {
            var views = try orchestrator.repository.views(at: context.now)
            if let filter { views = views.filter(filter) }
            if context.json {
                try context.printJSON(views.map { CaseViewText.json($0.summaryJSON, clock: clock) })
            } else {
                for view in views { context.console.out(CaseViewText.line(view)) }
                if views.isEmpty { context.say(filter == nil ? "no cases yet" : "no case matches") }
                if !views.isEmpty, let note = CaseViewText.clockNote(clock) { context.console.out(note) }
            }
            return
        }
        guard filter == nil else {
            throw UsageError(
                "--state, --pipeline, --party, --overdue and --expiring filter the list of cases; give no CASE",
                command: spec
            )
        }
        let view = try orchestrator.repository.view(of: caseID, at: context.now)
        if context.json {
            try context.printJSON(CaseViewText.json(view.detailJSON, clock: clock))
        } else {
            context.console.out(CaseViewText.detail(view, clock: clock), terminator: "")
        }
    }
}
