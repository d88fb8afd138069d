import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign submit FILE...`: verify and append offline-signed envelopes, each on its own.
enum SubmitCommand: CountersignCommand {
    static let spec = CommandSpec(
        "submit",
        abstract: "Verify and append offline-signed envelopes; each is accepted or refused on its own.",
        discussion: """
            Each FILE is a DSSE envelope written by `countersign sign --offline` (or by any DSSE tool, in \
            any encoding the DSSE spec allows), with the documents it attaches in FILE.docs/NAME.xml; its \
            exact bytes are appended. A FILE over 1 MiB is refused unread. Exit 1 when any is refused.
            """,
        arguments: [.positionals("FILE", optional: false, help: "offline-signed envelope files")]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let orchestrator = try context.orchestrator(signer: nil)
        try context.refuseNowUnlessSimulated(try orchestrator.repository.governance.settings?.clock, command: spec)
        var refused = 0
        var missing = false
        var accepted: [[String: Any]] = []
        var refusals: [[String: Any]] = []
        let reporter = CaseReporter(context: context)
        for file in arguments.values("FILE") {
            do {
                let submission = try OfflineSubmission.read(from: context.resolve(file))
                let entry = try orchestrator.decodeSubmission(
                    envelope: submission.envelope,
                    documents: submission.documents
                )
                let appended = try orchestrator.submit(entry, now: context.now)
                context.say("\(file): accepted as entry \(appended.index) (\(entry.caseID) / \(entry.step))")
                var result = try reporter.afterAppend(appended, caseID: entry.caseID, orchestrator: orchestrator)
                result["file"] = file
                accepted.append(result)
            } catch {
                refused += 1
                missing = missing || ExitCode.code(for: error) == ExitCode.environment
                context.console.err("\(file): refused: \(error)")
                refusals.append([
                    "file": file, "error": ErrorJSON(error: error, status: ExitCode.code(for: error)).body,
                ])
            }
        }
        try reporter.printResult(spec, ["accepted": accepted, "refused": refusals])
        if refused > 0 {
            throw FileFailures(
                summary: "\(refused) of \(arguments.values("FILE").count) submissions refused",
                environment: missing
            )
        }
    }
}
