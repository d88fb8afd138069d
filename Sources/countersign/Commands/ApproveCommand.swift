import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign approve ID... --as PARTY --key FILE`
enum ApproveCommand: CountersignCommand {
    static let spec = CommandSpec(
        "approve",
        abstract: "Approve pending proposals; says for each whether it is now in force.",
        discussion: """
            Only an admin under the policy in force may approve, once per proposal. A proposal comes \
            into force with the approval that completes its quorum (approvals of parties that are no \
            longer admins do not count). `countersign consortium show` lists the pending proposals.
            """,
        arguments: [
            .positionals(
                "ID",
                optional: false,
                completion: DynamicValues.proposal.completion,
                help: "proposal ids (the log index of each proposal)"
            )
        ]
            + SigningOptions.specs
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let signer = try SigningOptions(arguments, context: context)
        let consortium = Consortium(ledger: try context.ledger())
        try context.refuseNowUnlessSimulated(try consortium.state().settings?.clock, command: spec)
        var results: [[String: Any]] = []
        var refused = 0
        for text in arguments.values("ID") {
            guard let id = Int(text), id >= 0 else {
                throw UsageError("a proposal id is a log index (a number), not '\(text)'", command: spec)
            }
            do {
                let receipt = try consortium.approve(id, as: signer.party, key: signer.key, signedAt: context.now)
                results.append(GovernanceReport.json(receipt, file: nil))
                if !context.json {
                    let proposal = receipt.proposal?.summary ?? "proposal \(id)"
                    context.say(
                        "proposal \(id) (\(proposal)) approved by \(signer.party) at entry \(receipt.index): "
                            + (receipt.inForce ? "now in force" : "pending, \(receipt.needs)")
                    )
                }
            } catch let error as GovernanceError {
                refused += 1
                results.append(["id": id, "refused": "\(error)"])
                if !context.json { context.console.err("countersign: error: \(error)") }
            }
        }
        if context.json { try context.printJSON(["approvals": results]) }
        if refused > 0 { throw ProposalsRefused(count: refused) }
    }
}
