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
            Every file in the inbox (default out/inbox/) is a submission, decided on its own: a \
            *.json file (any case) is read as an envelope, with its documents in FILE.docs/, and \
            appended or refused; any other file is refused. Accepted files move to accepted/, refused \
            ones to refused/ with a .reason file, under a name made unique when taken; what cannot be \
            decided now (the ledger failing, a file unreadable) is deferred, left in the inbox for the \
            next run; nothing is deleted, and no file stops the night. Then the ledger is verified in \
            one snapshot: what is new since the tree this machine verified last (kept in --state, \
            outside the store), with a consistency proof from that tree, and the earlier entries of \
            the cases it touches proved in it; the whole ledger with --full or when no tree is \
            recorded. Then every open case \
            advanced at --now, a checkpoint signed with the log signer's key (the consortium's policy names \
            the party; this run must hold its key: --as/--key, --orchestrator-key or out/keys/PARTY.pem), \
            and the report written \
            to out/reports/reconcile-DATE-HHMMSS.json and .html (a counter added should two runs share \
            a second: no report is ever overwritten), with index.html and index.json listing every run. \
            Safe to kill and re-run: the re-run finishes the job without appending anything twice. Exit 1 \
            when problems were found: a file refused or deferred counts as one. \
            --dry-run writes nothing — no entry, no inbox file moved, no checkpoint, no report — \
            and prints the report instead: each inbox file as it would be filed (checked as submit \
            checks it), what would be fired and expired (the whole chain planned in memory, with \
            the envelopes that would be accepted), what is overdue and what expires within its \
            pipeline's notice period (expiry.notice, default 30 days); it takes --now on any ledger, since it only looks ahead.
            """,
        arguments: [
            .option("inbox", value: "DIR", help: "folder of offline-signed envelopes (default: out/inbox)"),
            .option("report-dir", value: "DIR", help: "where reports are written (default: out/reports)"),
            .option("workers", value: "N", help: "cases advanced in parallel (default: the number of cores)"),
            .option("run", value: "NAME", help: "share the cases with other machines' batches of this name"),
            .flag("no-checkpoint", help: "sign no checkpoint (every machine of a consortium but one)"),
            .flag("dry-run", help: "say what would happen and write nothing (--now allowed on any ledger)"),
            .flag("full", help: "verify the whole ledger and every case's summary, not what is new and a sample"),
            .option(
                "state",
                value: "DIR",
                help: "where this machine keeps the trees it verified (default: $XDG_STATE_HOME/countersign/verified)"
            ),
            .option(
                "notify",
                value: "CMD",
                help: "run CMD (by /bin/sh) once per party with notices, its notices as JSON on stdin"
            ),
        ] + SigningOptions.specs
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let signer = arguments.value("as") == nil ? nil : try SigningOptions(arguments, context: context)
        let dryRun = arguments.flag("dry-run")
        let orchestrator = try context.orchestrator(signer: signer, create: !dryRun, writesCaches: !dryRun)
        let clock = try orchestrator.repository.governance.settings?.clock
        if !dryRun { try context.refuseNowUnlessSimulated(clock, command: spec) }
        guard let settings = try orchestrator.repository.governance.settings else { throw GovernanceError.noConsortium }
        let progress = ProgressDisplay(console: context.console, quiet: context.quiet)
        let checkpointSigner = try context.checkpointSigner(orchestrator, signer: signer)
        let workers = CommandContext.workers(try arguments.integer("workers"))
        var reconciler = Reconciler(
            orchestrator: orchestrator,
            batch: dryRun
                ? try context.planningBatch(signer: signer, workers: workers)
                : try context.batch(signer: signer, workers: workers),
            origin: settings.origin,
            checkpointKey: arguments.flag("no-checkpoint") ? nil : checkpointSigner?.key
        )
        reconciler.run = arguments.value("run")
        reconciler.signsCheckpoint = !arguments.flag("no-checkpoint")
        reconciler.full = arguments.flag("full")
        let stateDirectory =
            arguments.value("state").map { URL(fileURLWithPath: context.resolve($0)) }
            ?? VerifiedTreeState.defaultDirectory(environment: context.environment)
        if let stateDirectory, let genesis = try orchestrator.repository.governance.genesis {
            reconciler.verifiedState = VerifiedTreeState(
                directory: stateDirectory,
                origin: settings.origin,
                genesis: genesis.envelopeHash
            )
        }
        reconciler.mode = dryRun ? .plan : .act
        reconciler.progress = { phase, done, total in progress.update(phase.rawValue, done: done, total: total) }
        let inbox = Inbox(folder: URL(fileURLWithPath: context.resolve(arguments.value("inbox") ?? "out/inbox")))
        let folder = URL(fileURLWithPath: context.resolve(arguments.value("report-dir") ?? "out/reports"))
        // A night whose report cannot be written stops before it acts (exit 3), not after.
        if !dryRun { try ReconcileReport.prepare(folder) }
        var report = try reconciler.run(inbox: inbox, now: context.now)
        progress.finish()
        if let command = arguments.value("notify"), !dryRun {
            let notices = Notices(try orchestrator.repository.views(at: context.now), now: context.now)
            report.notifications = NotifyHook(command: command, environment: context.environment).run(notices)
            for item in report.notifications {
                if let failure = item.failure { report.problems.append("--notify for \(item.party): \(failure)") }
            }
        }
        if dryRun {
            try show(dryRun: report, clock: clock, in: context)
            guard report.problems.isEmpty else {
                for problem in report.problems.prefix(20) { context.console.err("countersign: problem: \(problem)") }
                throw BatchProblems(command: "reconcile --dry-run", count: report.problems.count, report: nil)
            }
            return
        }
        let (json, html) = try report.write(to: folder)
        if context.json {
            try context.printJSON(report.json)
        } else {
            context.say(
                "inbox: \(report.accepted) accepted, \(report.refused) refused, \(report.deferred) deferred; "
                    + report.verification.description(entriesVerified: report.entriesVerified) + "; "
                    + "\(report.casesAdvanced.count) cases advanced, \(report.casesCompleted.count) completed, "
                    + "\(report.casesExpired.count) expired; \(report.overdue.count) overdue steps; "
                    + "\(report.expiringSoon.count) cases expire within their notice period"
            )
            for item in report.expiringSoon {
                context.say(
                    "  expiring: \(item.caseID) (\(item.pipeline)) on \(Timestamp.format(item.expiresAt)), \(item.daysLeft) days left"
                )
            }
            if !report.notifications.isEmpty {
                let failed = report.notifications.filter { $0.failure != nil }.count
                context.say("notified: \(report.notifications.count) parties, \(failed) failed")
            }
            for item in report.overdue {
                context.say(
                    "  overdue: \(item.caseID) \(item.step), waiting on \(item.waitingOn.joined(separator: " or "))"
                )
            }
            if clock == .simulated, let note = CaseViewText.clockNote(clock) { context.say(note) }
            context.say("report: \(json.path) and \(html.lastPathComponent)")
        }
        guard report.problems.isEmpty else {
            for problem in report.problems.prefix(20) { context.console.err("countersign: problem: \(problem)") }
            throw BatchProblems(command: "reconcile", count: report.problems.count, report: json.path)
        }
    }

    /// A dry run's report, on stdout instead of in a file.
    private static func show(
        dryRun report: ReconcileReport,
        clock: ConsortiumSettings.Clock?,
        in context: CommandContext
    )
        throws
    {
        if context.json {
            try context.printJSON(report.json)
            return
        }
        DryRun.heading(at: report.now, clock: clock).forEach(context.say)
        for item in report.submissions {
            let what = [item.caseID, item.step].compactMap { $0 }.joined(separator: " ")
            let named = what.isEmpty ? item.file : "\(item.file) (\(what))"
            switch item.outcome {
            case "accepted": context.say("inbox: would accept \(named)")
            case "already accepted": context.say("inbox: would file \(named) as accepted (already in the ledger)")
            case "refused": context.say("inbox: would refuse \(named): \(item.reason ?? "")")
            default: context.say("inbox: \(item.outcome) \(named): \(item.reason ?? "")")
            }
        }
        for (caseID, step) in report.automaticEntries where step != StepPredicate.expireStep {
            context.say("would fire: \(caseID) \(step)")
        }
        for (caseID, windowEnded) in report.expiries {
            context.say("would expire: \(caseID) (its window ended \(Timestamp.format(windowEnded)))")
        }
        for item in report.overdue {
            context.say(
                "overdue: \(item.caseID) step \(item.step) (due \(Timestamp.format(item.dueAt)), "
                    + "waiting on \(item.waitingOn.joined(separator: " or ")))"
            )
        }
        for item in report.expiringSoon {
            context.say(
                "expiring within notice (\(item.notice)): \(item.caseID) (\(item.pipeline)) on "
                    + "\(Timestamp.format(item.expiresAt)), \(item.daysLeft) days left"
            )
        }
        for (caseID, step, party) in report.waitingForKey {
            context.say("waiting for \(party)'s key: \(caseID) \(step)")
        }
        let wouldAppend = report.submissions.filter { $0.outcome == "accepted" }.count + report.automaticEntries.count
        context.say(
            "inbox: \(report.accepted) would be accepted, \(report.refused) refused"
                + (report.unchecked > 0 ? ", \(report.unchecked) unchecked" : "")
                + "; " + report.verification.description(entriesVerified: report.entriesVerified)
                + "; entries it would append: \(wouldAppend); "
                + "\(report.casesCompleted.count) cases would complete, "
                + "\(report.casesExpired.count) expire; \(report.overdue.count) overdue steps; "
                + "\(report.expiringSoon.count) cases expire within their notice period"
        )
        context.say("no checkpoint signed, no report written, no inbox file moved")
        context.say(DryRun.chainNote)
    }
}
