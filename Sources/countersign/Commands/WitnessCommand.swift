import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign witness CHECKPOINT-FILE --as PARTY --key FILE [--state DIR]`: cosign a checkpoint
/// consistent with every one this party cosigned.
enum WitnessCommand: CountersignCommand {
    static let spec = CommandSpec(
        "witness",
        abstract:
            "Cosign a checkpoint of the log after checking it is consistent with every one this party cosigned.",
        discussion: """
            CHECKPOINT-FILE holds a signed checkpoint note (as `countersign checkpoint` prints it), signed \
            under the origin the consortium's genesis fixed by a key of the log signer its policy names; \
            the witness must be a member signing with a key in force. The party keeps every checkpoint it \
            cosigned in its own state folder, DIR/ORIGIN/PARTY/SIZE.checkpoint (mode 0700 folders, 0600 \
            files, never rewritten), outside the workspace the log's operator controls: by default \
            $XDG_STATE_HOME/countersign/witness, or ~/.local/state/countersign/witness. Every checkpoint \
            there, in the ledger or in an earlier version's out/witness/PARTY.checkpoint that carries this \
            party's valid cosignature is part of its history: the new checkpoint must be no smaller than \
            any of them, have the same root as one of its size, and the ledger's consistency proofs must \
            link each of their roots to its own. The cosignature (cosignature/v1, key name PARTY) is added \
            to the stored checkpoint and the cosigned note is printed. Nothing is written when a check fails.
            """,
        arguments: [
            .positional("CHECKPOINT-FILE", help: "the signed checkpoint note to cosign"),
            .option(
                "state",
                value: "DIR",
                environment: "COUNTERSIGN_WITNESS_STATE",
                help: "where this party keeps the checkpoints it cosigned (default: ~/.local/state/countersign/witness)"
            ),
        ] + SigningOptions.specs
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
        guard
            let stateDirectory = arguments.value("state").map({ URL(fileURLWithPath: context.resolve($0)) })
                ?? WitnessState.defaultDirectory(environment: context.environment)
        else {
            throw UsageError(
                "--state DIR is required: neither XDG_STATE_HOME nor HOME says where the witness keeps what it cosigned",
                command: spec
            )
        }
        let governance = try context.governance(create: false)
        try context.refuseNowUnlessSimulated(try governance.settings?.clock, command: spec)
        guard let policy = try governance.policy, let settings = try governance.settings else {
            throw GovernanceError.noConsortium
        }
        guard let held = try governance.key(signer.key.publicKey.keyID), held.party == signer.party,
            held.revocation == nil
        else {
            throw WitnessError.notAMember(party: signer.party, keyID: signer.key.publicKey.keyID)
        }
        var witness = Witness(
            name: signer.party,
            key: signer.key,
            origin: settings.origin,
            logKeys: try governance.keys(of: policy.logSigner).filter { $0.revocation == nil }.map(\.publicKey),
            ownKeys: try governance.keys(of: signer.party).map(\.publicKey),
            stateDirectory: stateDirectory
        )
        witness.otherNotes = [context.workspace.appendingPathComponent("out/witness/\(signer.party).checkpoint")]
        let note = try witness.cosign(
            Array(bytes),
            source: path,
            in: try context.ledger(create: false),
            at: context.now
        )
        try CheckpointCommand.printNote(note, command: spec, in: context)
    }
}
