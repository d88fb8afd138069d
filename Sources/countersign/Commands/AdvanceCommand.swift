import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign advance`: evaluate every open case at `--now`.
enum AdvanceCommand: CountersignCommand {
    static let spec = CommandSpec(
        "advance",
        abstract: "Evaluate every open case now: fire automatic steps, expire cases, report overdue steps.",
        discussion: "Idempotent: running it twice at the same --now appends nothing the second time.",
        arguments: [
            .option("as", value: "PARTY", help: "an orchestrator party whose key this run holds"),
            .option("key", value: "FILE", environment: "COUNTERSIGN_KEY", help: "that party's private key"),
            .option("workers", value: "N", help: "cases evaluated in parallel (default: the number of cores)"),
            .option("run", value: "NAME", help: "share the cases with other machines' batches of this name"),
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let signer = arguments.value("as") == nil ? nil : try SigningOptions(arguments, context: context)
        try context.refuseNowUnlessSimulated(try context.governance(create: false).settings?.clock, command: spec)
        let batch = try context.batch(signer: signer, workers: CommandContext.workers(try arguments.integer("workers")))
        let report = try batch.run(now: context.now, run: arguments.value("run"))
        if context.json {
            try context.printJSON(report.json)
            return
        }
        for (caseID, step) in report.progress.appended {
            context.say(
                step == StepPredicate.expireStep ? "expired \(caseID)" : "automatic step \(step) of \(caseID) done"
            )
        }
        for item in report.overdue {
            context.say(
                "overdue: \(item.caseID) step \(item.step) (due \(Timestamp.format(item.dueAt)), waiting on \(item.waitingOn.joined(separator: ", ")))"
            )
        }
        for (caseID, _, _, expiresAt) in report.expiringSoon {
            context.say("expiring within 30 days: \(caseID) on \(Timestamp.format(expiresAt))")
        }
        for (caseID, step, party) in report.progress.waitingForKey {
            context.say("waiting for \(party)'s key: \(caseID) \(step)")
        }
        context.say(
            "open cases: \(report.openCases); entries appended: \(report.progress.appended.count); "
                + "overdue steps: \(report.overdue.count)"
        )
    }
}
