import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign ledger copy --from URL --to URL`: copy a ledger into an empty store and check the copy.
enum LedgerCopyCommand: CountersignCommand {
    static let spec = CommandSpec(
        "ledger copy",
        abstract: "Copy a ledger into an empty store (SQLite or PostgreSQL) and check the copy's root.",
        discussion: """
            Copies every entry in order with its case, every stored document and pipeline the entries \
            name, and every checkpoint note; the target recomputes every hash. Then checks that the \
            copy's root equals the source's and that every checkpoint's root is the copy's tree of \
            its size; exit 1 if not. Case summaries are not copied (the next advance or reconcile \
            rebuilds them). The target must be empty: a new SQLite file or a new database. A copy \
            that stops half-way leaves a partial target: remove it and copy again. URLs are \
            sqlite:PATH (relative to the workspace) or postgres://user@host:port/db.
            """,
        arguments: [
            .option("from", value: "URL", help: "the ledger to copy (default: the workspace's ledger, --ledger)"),
            .option("to", value: "URL", help: "where to copy it: an empty store, created if need be"),
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        guard let to = arguments.value("to") else {
            throw UsageError("--to URL is required: where to copy the ledger", command: spec)
        }
        let source =
            try arguments.value("from").map { try LedgerLocation($0, workspace: context.workspace) }
            ?? context.ledgerLocation
        let target = try LedgerLocation(to, workspace: context.workspace)
        if case .sqlite(let path) = target { try OutputFile.checkLedgerTarget(path) }
        var copy = LedgerCopy(from: try source.open(create: false), to: try target.open())
        let progress = ProgressDisplay(console: context.console, quiet: context.quiet)
        copy.progress = { copied, total in progress.update("copying entries", done: copied, total: total) }
        context.say("copying \(source) to \(target)")
        let report = try copy.run()
        progress.finish()
        for fingerprint in report.missingDocuments {
            context.console.err(
                "countersign: warning: the source holds no document \(fingerprint); the copy lacks it too"
            )
        }
        if context.json {
            try context.printJSON([
                "from": source.description,
                "to": target.description,
                "entries": report.entries,
                "documents": report.documents,
                "checkpoints": report.checkpoints,
                "sourceRootHash": report.sourceRoot.base64,
                "copyRootHash": report.copyRoot.base64,
                "rootsMatch": report.rootsMatch,
                "checkpointProblems": report.checkpointProblems,
                "missingDocuments": report.missingDocuments,
                "ok": report.isFaithful,
            ])
        } else {
            say(report, in: context)
        }
        guard report.isFaithful else {
            for problem in report.checkpointProblems { context.console.err("countersign: \(problem)") }
            throw CopyMismatch(rootsMatch: report.rootsMatch, checkpointProblems: report.checkpointProblems.count)
        }
    }

    private static func say(_ report: LedgerCopy.Report, in context: CommandContext) {
        context.say(
            "copied \(count(report.entries, "entry", "entries")), \(count(report.documents, "document", "documents")), "
                + count(report.checkpoints, "checkpoint", "checkpoints")
        )
        if report.laterCheckpoints > 0 {
            context.say(
                "left out \(count(report.laterCheckpoints, "checkpoint", "checkpoints")) of entries appended during the copy"
            )
        }
        if report.rootsMatch {
            context.say(
                "root \(report.copyRoot.base64) at \(report.entries) entries: the copy's root equals the source's"
            )
        } else {
            context.say("source root \(report.sourceRoot.base64), copy root \(report.copyRoot.base64): they differ")
        }
        if report.checkpoints == 0 {
            context.say("checkpoints: none stored")
        } else if report.checkpointProblems.isEmpty {
            context.say("checkpoints: all \(report.checkpoints) match the copy's tree")
        }
    }
}

/// `1 entry`, `2 entries`.
private func count(_ number: Int, _ singular: String, _ plural: String) -> String {
    "\(number) \(number == 1 ? singular : plural)"
}

/// The copy was made but does not reproduce the source: exit 1.
struct CopyMismatch: Error, CustomStringConvertible {
    let rootsMatch: Bool
    let checkpointProblems: Int

    var description: String {
        var reasons: [String] = []
        if !rootsMatch { reasons.append("its root differs from the source's") }
        if checkpointProblems > 0 {
            reasons.append("\(count(checkpointProblems, "checkpoint does", "checkpoints do")) not match it")
        }
        return
            "the copy is not faithful: \(reasons.joined(separator: "; ")); run `countersign log verify` on the source"
    }
}
