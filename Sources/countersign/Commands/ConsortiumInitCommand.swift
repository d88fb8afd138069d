import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign consortium init --as PARTY --key FILE [--clock system|simulated]`
enum ConsortiumInitCommand: CountersignCommand {
    static let spec = CommandSpec(
        "consortium init",
        abstract: "Found the consortium: the genesis entry of an empty ledger.",
        discussion: """
            PARTY's file parties/PARTY.yaml is brought into force as the consortium's only member and \
            admin (policy: quorum 1 of [PARTY]; PARTY signs the log's checkpoints). Every key the file \
            lists must sign the genesis (give each with --key). The log's origin (--origin) and its \
            clock are fixed here for the ledger's life: `system` for a real consortium, `simulated` for \
            demos and tests, whose times prove nothing. Refused on a ledger that has entries.
            """,
        arguments: GovernanceSigning.specs + [
            .option("clock", value: "system|simulated", help: "where the log's times come from (default: system)")
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        context.createsLedger = true
        let signer = try GovernanceSigning(arguments, context: context)
        let clockName = arguments.value("clock") ?? "system"
        guard let clock = ConsortiumSettings.Clock(rawValue: clockName) else {
            throw UsageError("--clock is system or simulated, not '\(clockName)'", command: spec)
        }
        try context.refuseNowUnlessSimulated(clock, command: spec)
        let file = try context.partyFile(signer.party)
        let receipt = try Consortium(ledger: try context.ledger()).found(
            founder: file,
            keys: signer.keys,
            origin: context.genesisOrigin,
            clock: clock,
            signedAt: context.now
        )
        let genesis = receipt.state.genesis.map { "sha256:" + $0.envelopeHash.hex } ?? ""
        if context.json {
            try context.printJSON([
                "index": receipt.index, "origin": context.genesisOrigin, "clock": clock.rawValue, "genesis": genesis,
                "founder": signer.party,
            ])
        } else {
            context.say(
                "founded the consortium of log \(context.genesisOrigin) (clock: \(clock.rawValue)) at entry \(receipt.index): "
                    + "\(signer.party) is its only member and admin; genesis \(genesis)"
            )
            context.say(
                "next: members propose their party files (`countersign propose parties/PARTY.yaml --as PARTY --key FILE`) "
                    + "and \(signer.party) approves them; admins propose pipelines the same way"
            )
        }
    }
}
