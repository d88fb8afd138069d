import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign consortium policy --admins A,B,... --quorum K [--log-signer PARTY] --as PARTY --key FILE`
enum ConsortiumPolicyCommand: CountersignCommand {
    static let spec = CommandSpec(
        "consortium policy",
        abstract: "Propose a new policy: who approves changes, how many must, who signs the log's checkpoints.",
        discussion: """
            An admin proposes; the proposal is approved under the policy in force. Every admin must be \
            a member, at least K of them holding a key in force; the log signer (default: the one in \
            force) signs the log's checkpoints.
            """,
        arguments: [
            .option("admins", value: "A,B,...", help: "the admins, by party id"),
            .option("quorum", value: "K", help: "how many distinct admins must approve a change"),
            .option(
                "log-signer",
                value: "PARTY",
                completion: DynamicValues.party.completion,
                help: "the member whose key signs checkpoints (default: unchanged)"
            ),
        ] + SigningOptions.specs
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let signer = try SigningOptions(arguments, context: context)
        guard let admins = arguments.value("admins")?.split(separator: ",").map(String.init), !admins.isEmpty else {
            throw UsageError("--admins A,B,... is required", command: spec)
        }
        guard let quorum = try arguments.integer("quorum") else {
            throw UsageError("--quorum K is required", command: spec)
        }
        let consortium = Consortium(ledger: try context.ledger())
        try context.refuseNowUnlessSimulated(try consortium.state().settings?.clock, command: spec)
        guard let current = try consortium.state().policy else { throw GovernanceError.noConsortium }
        guard (1...admins.count).contains(quorum) else {
            throw UsageError("--quorum must be 1 to \(admins.count), the number of admins", command: spec)
        }
        let policy = ConsortiumPolicy(
            admins: admins,
            quorum: quorum,
            logSigner: arguments.value("log-signer") ?? current.logSigner
        )
        let receipt = try consortium.propose(policy: policy, as: signer.party, key: signer.key, signedAt: context.now)
        if context.json {
            try context.printJSON(GovernanceReport.json(receipt, file: nil))
        } else {
            context.say(GovernanceReport.line(receipt, file: nil))
        }
    }
}
