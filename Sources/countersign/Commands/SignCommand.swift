import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign sign CASE STEP --as PARTY --key FILE [--doc NAME=FILE]... [--note TEXT]
/// [--reject --reason TEXT] [--offline FILE]`, or `countersign sign --request FILE --key KEY
/// --offline OUT [--as PARTY] [--note TEXT] [--reject --reason TEXT] [--force]` (signing a request
/// with no ledger: `SignCommand+Request.swift`).
enum SignCommand: CountersignCommand {
    static let spec = CommandSpec(
        "sign",
        abstract: "Sign (approve or reject) a step of a case.",
        discussion: """
            Refused, with every unmet criterion listed and nothing appended, when the party may not \
            sign the step, the step is not ready, is already done, or the case is closed. After an \
            append, automatic steps that became ready are signed at once when this command holds the \
            orchestrator's key. --offline FILE writes the signed envelope to FILE (and documents \
            beside it, in FILE.docs/) for `countersign submit` or the nightly inbox. \
            --request FILE (a request written by `countersign request`) signs on a machine with no \
            ledger: give no CASE, STEP or --doc (the request names them), --offline OUT and the \
            request's party's key; the request is checked by itself (every document's bytes against \
            its fingerprint and SHA-256), what is signed is shown, and the envelope is written as \
            --offline writes it. The --offline file is not replaced unless --force, and never when it \
            is a ledger, a private key or a party file.
            """,
        arguments: [
            .optionalPositional(
                "CASE",
                completion: DynamicValues.caseID.completion,
                help: "the case id (not with --request)"
            ),
            .optionalPositional(
                "STEP",
                completion: DynamicValues.step.completion,
                help: "the step id (not with --request)"
            ),
        ] + SigningOptions.specs + [
            DocumentOptions.spec,
            .option("note", value: "TEXT", help: "a note recorded in the signed statement"),
            .flag("reject", help: "record a signed refusal instead of an approval (needs --reason)"),
            .option("reason", value: "TEXT", help: "why the step is rejected"),
            .option("offline", value: "FILE", help: "write the signed envelope to FILE instead of appending it"),
            .option("request", value: "FILE", help: "sign a signing request, with no ledger (needs --offline)"),
            .flag("force", help: "replace the --offline file if it exists (never a ledger, key or party file)"),
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        if arguments.flag("reject") != (arguments.value("reason") != nil) {
            throw UsageError("--reject and --reason TEXT go together", command: spec)
        }
        if let request = arguments.value("request") {
            try signRequest(request, arguments, in: context)
            return
        }
        guard let caseID = arguments.value("CASE"), let step = arguments.value("STEP") else {
            throw UsageError("missing \(arguments.value("CASE") == nil ? "CASE" : "STEP")", command: spec)
        }
        if arguments.flag("force"), arguments.value("offline") == nil {
            throw UsageError("--force goes with --offline", command: spec)
        }
        if let offline = arguments.value("offline") {
            try OutputFile.check(context.resolve(offline), force: arguments.flag("force"), in: context)
        }
        let signer = try SigningOptions(arguments, context: context)
        let documents = try DocumentOptions.uploads(arguments, context: context)
        let orchestrator = try context.orchestrator(signer: signer)
        let clock = try orchestrator.repository.governance.settings?.clock
        if arguments.value("offline") == nil {
            try context.refuseNowUnlessSimulated(clock, command: spec)
        }
        let entry = try orchestrator.stepEntry(
            caseID: caseID,
            step: step,
            party: signer.party,
            key: signer.key,
            documents: documents,
            note: arguments.value("note"),
            rejectReason: arguments.value("reason"),
            now: context.now
        )
        if let offline = arguments.value("offline") {
            // `--now` dates an offline signature; on a system-clock ledger the log judges it by its
            // own clock when it arrives, so the check here is as if it were submitted now.
            try orchestrator.check(entry, now: clock == .system ? Date() : context.now)
            try OfflineSubmission(entry: entry, documents: documents).write(to: context.resolve(offline))
            context.say("signed \(step) of \(caseID) offline: \(offline) (submit it with `countersign submit`)")
            if context.json {
                try context.printJSON(
                    offlineJSON(entry, party: signer.party, out: offline, attached: Set(documents.map(\.name)))
                )
            }
            return
        }
        let appended = try orchestrator.submit(entry, now: context.now)
        let verb = arguments.flag("reject") ? "rejected" : "signed"
        context.say("\(verb) \(step) of \(caseID) as \(signer.party) at entry \(appended.index)")
        let reporter = CaseReporter(context: context)
        var result = try reporter.afterAppend(appended, caseID: caseID, orchestrator: orchestrator)
        result.merge([
            "case": caseID, "step": step, "party": signer.party,
            "decision": entry.statement.predicate.decision.rawValue,
        ]) { _, new in new }
        try reporter.printResult(spec, result)
    }
}
