import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign log verify`: recompute the whole log and report the first bad index.
enum LogVerifyCommand: CountersignCommand {
    static let spec = CommandSpec(
        "log verify",
        abstract: "Recompute the Merkle tree and re-check every entry and checkpoint.",
        discussion: """
            Folds the consortium's governance entries as they come and judges every entry by the \
            consortium as it stood at that point of the log: each governance change's signatures and \
            rights; each case entry's signature by a key in force for its party, valid when it signed; \
            its place in its case's chain; its signer's authority for the step under the pipeline version \
            in force when the case opened; the documents it attaches (fingerprints recomputed); every \
            stored subtree hash; the root of every stored checkpoint and its signature by the log signer; \
            and the store's governance cache against the fold. Exit 1 naming the first bad index if \
            anything fails.
            """,
        arguments: [.option("workers", value: "N", help: "threads checking signatures (default: the number of cores)")]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let ledger = try context.ledger(create: false)
        var audit = LogAudit(store: ledger.store)
        audit.workers = CommandContext.workers(try arguments.integer("workers"))
        let outcome = try audit.run()
        let report = outcome.report
        if context.json {
            try context.printJSON([
                "size": report.size,
                "rootHash": report.root.base64,
                "ok": report.problems.isEmpty,
                "firstBadIndex": report.firstBadIndex as Any,
                "problems": report.problems.map(\.description),
            ])
        }
        guard report.problems.isEmpty else {
            for problem in report.problems.prefix(20) { context.console.err("countersign: \(problem)") }
            throw VerificationFailure(firstBadIndex: report.firstBadIndex, count: report.problems.count)
        }
        if !context.json {
            context.say("log verified: \(report.size) entries, root \(report.root.base64)")
        }
    }
}

/// `log verify` found problems: exit 1 naming the first bad index.
struct VerificationFailure: Error, CustomStringConvertible {
    let firstBadIndex: Int?
    let count: Int

    var description: String {
        let problems = count == 1 ? "1 problem" : "\(count) problems"
        return firstBadIndex.map { "log verification failed at entry \($0) (\(problems))" }
            ?? "log verification failed (\(problems))"
    }
}
