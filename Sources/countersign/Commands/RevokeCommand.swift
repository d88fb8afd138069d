import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign revoke PARTY KEYID [--reason TEXT] --as PARTY --key FILE`
enum RevokeCommand: CountersignCommand {
    static let spec = CommandSpec(
        "revoke",
        abstract: "Revoke a party's key, from this entry on (earlier signatures stay valid).",
        discussion: """
            The party itself revokes at once, signing with any of its keys in force (the key being \
            revoked too). An admin revoking another party's key makes a proposal the policy must \
            approve. KEYID is the key id (64 hex digits) or a prefix of at least 8 that names one key \
            of the party.
            """,
        arguments: [
            .positional("PARTY", completion: DynamicValues.party.completion, help: "the party whose key is revoked"),
            .positional("KEYID", help: "the key id, or a unique prefix of at least 8 hex digits"),
            .option("reason", value: "TEXT", help: "why, recorded in the entry"),
        ] + SigningOptions.specs
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let signer = try SigningOptions(arguments, context: context)
        let owner = arguments.value("PARTY")!
        let prefix = arguments.value("KEYID")!.lowercased()
        let consortium = Consortium(ledger: try context.ledger())
        try context.refuseNowUnlessSimulated(try consortium.state().settings?.clock, command: spec)
        let keys = try consortium.state().keys.values.filter { $0.party == owner }
        let matches = keys.filter { $0.keyID.hasPrefix(prefix) }
        guard prefix.count >= 8, matches.count == 1, let key = matches.first else {
            let known = keys.map { String($0.keyID.prefix(16)) + "…" }.sorted().joined(separator: ", ")
            throw GovernanceError.refused(
                what: "revocation of key \(prefix) of \(owner)",
                reason: matches.count > 1
                    ? "the prefix names \(matches.count) keys: give more digits"
                    : "'\(owner)' has no key \(prefix)… (its keys: \(known.isEmpty ? "none" : known))"
            )
        }
        let receipt = try consortium.revoke(
            key.keyID,
            of: owner,
            reason: arguments.value("reason"),
            as: signer.party,
            key: signer.key,
            signedAt: context.now
        )
        if context.json {
            try context.printJSON(GovernanceReport.json(receipt, file: nil).merging(["keyID": key.keyID]) { $1 })
        } else if receipt.inForce {
            context.say("revoked key \(key.keyID.prefix(16))… of \(owner) at entry \(receipt.index)")
        } else {
            context.say(GovernanceReport.line(receipt, file: nil))
        }
    }
}
