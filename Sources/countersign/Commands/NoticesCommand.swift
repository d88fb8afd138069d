import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign notices [--party P] [--json]`: what waits on each party, read-only.
enum NoticesCommand: CountersignCommand {
    static let spec = CommandSpec(
        "notices",
        abstract: "Show what waits on each party: steps ready for it, overdue ones, cases about to expire.",
        discussion: """
            Read-only: nothing is signed or written (advance and reconcile act; this only looks). For \
            each party: the ready steps it may sign, those past their due time with how late, and the \
            open cases it can still act on whose window ends within their pipeline's notice period \
            (expiry.notice, default 30 days) — the unclaimed-prize notice. --now looks at any \
            moment. reconcile --notify hands each party the same notices as JSON.
            """,
        arguments: [
            .option("party", value: "P", completion: DynamicValues.party.completion, help: "only this party's notices")
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let orchestrator = try context.orchestrator(signer: nil, writesCaches: false)
        let notices = Notices(try orchestrator.repository.views(at: context.now), now: context.now)
        var parties = notices.parties
        if let party = arguments.value("party") {
            guard try orchestrator.repository.governance.member(party) != nil else {
                throw UsageError("no party '\(party)' in the consortium (consortium show lists them)", command: spec)
            }
            parties = [notices.notices(for: party)]
        }
        if context.json {
            try context.printJSON([
                "now": Timestamp.format(context.now), "parties": parties.map { $0.json(now: context.now) },
            ])
            return
        }
        if parties.allSatisfy(\.isEmpty) {
            context.say(
                "nothing waits on \(arguments.value("party") ?? "any party") at \(Timestamp.format(context.now))"
            )
            return
        }
        for party in parties where !party.isEmpty {
            context.console.out(
                "\(party.party): \(party.waiting.count) waiting, \(party.overdue.count) overdue, "
                    + "\(party.expiring.count) expiring"
            )
            for item in party.waiting {
                var line =
                    "  \(item.caseID) \(item.step) (\(item.pipeline)): ready since \(Timestamp.format(item.readySince))"
                if let dueAt = item.dueAt { line += ", due \(Timestamp.format(dueAt))" }
                if let late = item.overdueBy { line += ", overdue by \(duration(late))" }
                if !item.signed.isEmpty { line += "; signed so far by \(item.signed.joined(separator: ", "))" }
                context.console.out(line)
            }
            for item in party.expiring where item.expiresAt <= context.now {
                context.console.out(
                    "  \(item.caseID) (\(item.pipeline)): its window ended \(Timestamp.format(item.expiresAt)); "
                        + "the next advance expires it"
                )
            }
            for item in party.expiring where item.expiresAt > context.now {
                context.console.out(
                    "  \(item.caseID) (\(item.pipeline)): expires \(Timestamp.format(item.expiresAt)), "
                        + "\(duration(item.expiresAt.timeIntervalSince(context.now))) left (notice \(item.notice))"
                )
            }
        }
    }

    /// `3 days`, `5 hours`, `12 minutes`: the largest whole unit.
    static func duration(_ seconds: TimeInterval) -> String {
        let whole = Int(max(0, seconds))
        for (size, unit) in [(86_400, "day"), (3_600, "hour"), (60, "minute")] where whole >= size {
            let count = whole / size
            return "\(count) \(unit)\(count == 1 ? "" : "s")"
        }
        return "\(whole) second\(whole == 1 ? "" : "s")"
    }
}
