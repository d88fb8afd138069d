import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign log verify`: recompute the whole log and report the first bad index.
enum LogVerifyCommand: CountersignCommand {
    static let spec = CommandSpec(
        "log verify",
        abstract: "Recompute the Merkle tree and re-check every entry and checkpoint.",
        discussion: """
            Checks every entry's bytes against its leaf hash; its signature by a key of the party files, \
            valid when it signed; its place in its case's chain; its signer's authority for the step; \
            the documents it attaches (fingerprints recomputed); every stored subtree hash; and the root \
            and signatures of every stored checkpoint. Exit 1 naming the first bad index if anything fails.
            """,
        arguments: [.option("workers", value: "N", help: "threads checking signatures (default: the number of cores)")]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let ledger = try context.ledger(create: false)
        var audit = LogAudit(
            store: ledger.store,
            parties: try context.parties(),
            pipelineDirectory: context.workspace.appendingPathComponent("pipelines")
        )
        audit.workers = CommandContext.workers(try arguments.integer("workers"))
        let report = try audit.run()
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
