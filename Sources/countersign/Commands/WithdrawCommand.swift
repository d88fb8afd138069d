import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign withdraw CASE --reason TEXT --as PARTY --key FILE`
enum WithdrawCommand: CountersignCommand {
    static let spec = CommandSpec(
        "withdraw",
        abstract: "End an open case as withdrawn (its opener or the orchestrator).",
        discussion: """
            Appends a signed `withdraw` entry giving the reason; the case then takes no more entries \
            and its outcome is `withdrawn`. Refused, with nothing appended, for any other party or a \
            closed case.
            """,
        arguments: [
            .positional("CASE", completion: DynamicValues.caseID.completion, help: "the case id"),
            .option("reason", value: "TEXT", help: "why the case is withdrawn (required)"),
        ] + SigningOptions.specs
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let caseID = arguments.value("CASE")!
        guard let reason = arguments.value("reason"), !reason.isEmpty else {
            throw UsageError("withdraw needs --reason TEXT", command: spec)
        }
        let signer = try SigningOptions(arguments, context: context)
        let orchestrator = try context.orchestrator(signer: signer)
        try context.refuseNowUnlessSimulated(try orchestrator.repository.governance.settings?.clock, command: spec)
        let entry = try orchestrator.withdrawEntry(
            caseID: caseID,
            party: signer.party,
            key: signer.key,
            reason: reason,
            now: context.now
        )
        let appended = try orchestrator.submit(entry, now: context.now)
        context.say("withdrew \(caseID) as \(signer.party) at entry \(appended.index): \(reason)")
        let reporter = CaseReporter(context: context)
        var result = try reporter.afterAppend(appended, caseID: caseID, orchestrator: orchestrator, advance: false)
        result.merge(["case": caseID, "party": signer.party, "reason": reason]) { _, new in new }
        try reporter.printResult(spec, result)
    }
}
