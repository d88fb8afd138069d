import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign reconcile`: the nightly batch.
enum ReconcileCommand: CountersignCommand {
    static let spec = CommandSpec(
        "reconcile",
        abstract:
            "The nightly batch: ingest the inbox, verify the ledger, advance every case, sign a checkpoint, report.",
        discussion: """
            Envelopes in the inbox (default out/inbox/, files *.dsse.json with documents in \
            FILE.docs/) are appended or refused one by one; accepted files move to accepted/, refused \
            ones to refused/ with a .reason file. Then the whole ledger is re-verified, every open case \
            advanced at --now, a checkpoint signed with the log signer's key (the consortium's policy names \
            the party; this run must hold its key: --as/--key, --orchestrator-key or out/keys/PARTY.pem), \
            and the report written \
            to out/reports/reconcile-DATE.json. Safe to kill and re-run: the re-run finishes the job \
            without appending anything twice. Exit 1 when problems were found.
            """,
        arguments: [
            .option("inbox", value: "DIR", help: "folder of offline-signed envelopes (default: out/inbox)"),
            .option("report-dir", value: "DIR", help: "where reports are written (default: out/reports)"),
            .option("workers", value: "N", help: "cases advanced in parallel (default: the number of cores)"),
            .option("run", value: "NAME", help: "share the cases with other machines' batches of this name"),
            .flag("no-checkpoint", help: "sign no checkpoint (every machine of a consortium but one)"),
        ] + SigningOptions.specs
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let signer = arguments.value("as") == nil ? nil : try SigningOptions(arguments, context: context)
        let orchestrator = try context.orchestrator(signer: signer)
        try context.refuseNowUnlessSimulated(try orchestrator.repository.governance.settings?.clock, command: spec)
        guard try orchestrator.repository.governance.isFounded() else { throw GovernanceError.noConsortium }
        let progress = ProgressDisplay(console: context.console, quiet: context.quiet)
        let checkpointSigner = try context.checkpointSigner(orchestrator, signer: signer)
        var reconciler = Reconciler(
            orchestrator: orchestrator,
            batch: try context.batch(signer: signer, workers: CommandContext.workers(try arguments.integer("workers"))),
            origin: try orchestrator.repository.governance.settings?.origin ?? context.origin,
            checkpointKey: arguments.flag("no-checkpoint") ? nil : checkpointSigner?.key
        )
        reconciler.run = arguments.value("run")
        reconciler.signsCheckpoint = !arguments.flag("no-checkpoint")
        reconciler.progress = { phase, done, total in progress.update(phase.rawValue, done: done, total: total) }
        let inbox = Inbox(folder: URL(fileURLWithPath: context.resolve(arguments.value("inbox") ?? "out/inbox")))
        let report = try reconciler.run(inbox: inbox, now: context.now)
        progress.finish()
        let folder = URL(fileURLWithPath: context.resolve(arguments.value("report-dir") ?? "out/reports"))
        let (json, html) = try report.write(to: folder)
        if context.json {
            try context.printJSON(report.json)
        } else {
            context.say(
                "inbox: \(report.accepted) accepted, \(report.refused) refused; verified \(report.entriesVerified) entries; "
                    + "\(report.casesAdvanced.count) cases advanced, \(report.casesCompleted.count) completed, "
                    + "\(report.casesExpired.count) expired; \(report.overdue.count) overdue steps; "
                    + "\(report.expiringSoon.count) cases expire within 30 days"
            )
            for item in report.expiringSoon {
                context.say(
                    "  expiring: \(item.caseID) (\(item.pipeline)) on \(Timestamp.format(item.expiresAt)), \(item.daysLeft) days left"
                )
            }
            for item in report.overdue {
                context.say(
                    "  overdue: \(item.caseID) \(item.step), waiting on \(item.waitingOn.joined(separator: " or "))"
                )
            }
            context.say("report: \(json.path) and \(html.lastPathComponent)")
        }
        guard report.problems.isEmpty else {
            for problem in report.problems.prefix(20) { context.console.err("countersign: problem: \(problem)") }
            throw ReconcileProblems(count: report.problems.count, report: json.path)
        }
    }
}

/// Reconcile finished its work but found problems; they are in the report.
struct ReconcileProblems: Error, CustomStringConvertible {
    let count: Int
    let report: String

    var description: String { "reconcile found \(count) problem\(count == 1 ? "" : "s"); see \(report)" }
}
