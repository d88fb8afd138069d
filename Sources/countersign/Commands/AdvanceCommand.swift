import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign advance`: evaluate every open case at `--now`.
enum AdvanceCommand: CountersignCommand {
    static let spec = CommandSpec(
        "advance",
        abstract: "Evaluate every open case now: fire automatic steps, expire cases, report overdue steps.",
        discussion: """
            Idempotent: running it twice at the same --now appends nothing the second time. \
            --dry-run says what it would fire and expire, and what is overdue and expiring, and \
            writes nothing; it plans the whole chain in memory (an automatic step that a planned one \
            makes ready is planned too), and takes --now on any ledger, since it only looks ahead.
            """,
        arguments: [
            .option(
                "as",
                value: "PARTY",
                completion: DynamicValues.party.completion,
                help: "an orchestrator party whose key this run holds"
            ),
            .option("key", value: "FILE", environment: "COUNTERSIGN_KEY", help: "that party's private key"),
            .option("workers", value: "N", help: "cases evaluated in parallel (default: the number of cores)"),
            .option("run", value: "NAME", help: "share the cases with other machines' batches of this name"),
            .flag("dry-run", help: "say what would happen and write nothing (--now allowed on any ledger)"),
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let signer = arguments.value("as") == nil ? nil : try SigningOptions(arguments, context: context)
        let dryRun = arguments.flag("dry-run")
        let clock = try context.governance(create: false).settings?.clock
        if !dryRun { try context.refuseNowUnlessSimulated(clock, command: spec) }
        let workers = CommandContext.workers(try arguments.integer("workers"))
        let batch =
            dryRun
            ? try context.planningBatch(signer: signer, workers: workers)
            : try context.batch(signer: signer, workers: workers)
        let report = try batch.run(now: context.now, run: arguments.value("run"), mode: dryRun ? .plan : .act)
        if context.json {
            var json = CaseViewText.json(report.json, clock: clock)
            if dryRun { json["now"] = Timestamp.format(context.now) }
            try context.printJSON(json)
            return try reportProblems(report, dryRun: dryRun, context: context)
        }
        if dryRun {
            DryRun.heading(at: context.now, clock: clock).forEach(context.say)
            for (caseID, step) in report.progress.appended where step != StepPredicate.expireStep {
                context.say("would fire: \(caseID) \(step)")
            }
            for (caseID, windowEnded) in report.progress.expired {
                context.say("would expire: \(caseID) (its window ended \(Timestamp.format(windowEnded)))")
            }
        } else {
            for (caseID, step) in report.progress.appended {
                context.say(
                    step == StepPredicate.expireStep ? "expired \(caseID)" : "automatic step \(step) of \(caseID) done"
                )
            }
        }
        for item in report.overdue {
            context.say(
                "overdue: \(item.caseID) step \(item.step) (due \(Timestamp.format(item.dueAt)), waiting on \(item.waitingOn.joined(separator: ", ")))"
            )
        }
        for item in report.expiringSoon {
            context.say(
                "expiring within notice (\(item.notice)): \(item.caseID) on \(Timestamp.format(item.expiresAt))"
            )
        }
        for (caseID, step, party) in report.progress.waitingForKey {
            context.say("waiting for \(party)'s key: \(caseID) \(step)")
        }
        context.say(
            "open cases: \(report.openCases); entries \(dryRun ? "it would append" : "appended"): "
                + "\(report.progress.appended.count); overdue steps: \(report.overdue.count)"
        )
        if dryRun { context.say(DryRun.chainNote) }
        try reportProblems(report, dryRun: dryRun, context: context)
    }

    /// Damaged cases and summaries that did not match their entries, on stderr; exit 1 if any.
    private static func reportProblems(_ report: BatchAdvance.Report, dryRun: Bool, context: CommandContext) throws {
        let problems =
            report.damaged.map { "\($0.caseID): damaged in the store, nothing was signed on it: \($0.reason)" }
            + report.summaryMismatches.map {
                "\($0.caseID): \($0.reason); the summary was\(dryRun ? " to be" : "") rebuilt from its entries"
            }
        guard problems.isEmpty else {
            for problem in problems { context.console.err("countersign: problem: \(problem)") }
            throw BatchProblems(command: dryRun ? "advance --dry-run" : "advance", count: problems.count, report: nil)
        }
    }
}
