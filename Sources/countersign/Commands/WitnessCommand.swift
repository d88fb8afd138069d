import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign witness CHECKPOINT-FILE --as PARTY --key FILE`: cosign a checkpoint consistent with
/// the last one this party cosigned.
enum WitnessCommand: CountersignCommand {
    static let spec = CommandSpec(
        "witness",
        abstract:
            "Cosign a checkpoint of the log after checking it is consistent with the last one this party cosigned.",
        discussion: """
            CHECKPOINT-FILE holds a signed checkpoint note (as `countersign checkpoint` prints it), signed \
            under its origin by a key of the log signer the consortium's policy names; the witness must \
            be a member signing with a key in force. The party's last cosigned \
            checkpoint is kept in out/witness/PARTY.checkpoint; the new one must name the same log, be no \
            smaller, and the ledger's consistency proof must link the two roots. The cosignature \
            (cosignature/v1, key name PARTY) is added to the stored checkpoint and the cosigned note is \
            printed. Nothing is written when a check fails.
            """,
        arguments: [.positional("CHECKPOINT-FILE", help: "the signed checkpoint note to cosign")]
            + SigningOptions.specs
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let signer = try SigningOptions(arguments, context: context)
        let path = arguments.value("CHECKPOINT-FILE")!
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: context.resolve(path)))
        } catch {
            throw EnvironmentError("cannot read \(path): \(error.localizedDescription)")
        }
        let governance = try context.governance(create: false)
        try context.refuseNowUnlessSimulated(try governance.settings?.clock, command: spec)
        guard let policy = try governance.policy else { throw GovernanceError.noConsortium }
        guard let held = try governance.key(signer.key.publicKey.keyID), held.party == signer.party,
            held.revocation == nil
        else {
            throw WitnessError.notAMember(party: signer.party, keyID: signer.key.publicKey.keyID)
        }
        let witness = Witness(
            name: signer.party,
            key: signer.key,
            logKeys: try governance.keys(of: policy.logSigner).filter { $0.revocation == nil }.map(\.publicKey),
            ownKeys: try governance.keys(of: signer.party).map(\.publicKey),
            stateFile: context.workspace.appendingPathComponent("out/witness/\(signer.party).checkpoint")
        )
        let note = try witness.cosign(
            Array(bytes),
            source: path,
            in: try context.ledger(create: false),
            at: context.now
        )
        context.console.out(note.serialized, terminator: "")
    }
}
