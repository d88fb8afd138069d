import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign checkpoint --as PARTY --key FILE`: sign, store and print a checkpoint of the log.
enum CheckpointCommand: CountersignCommand {
    static let spec = CommandSpec(
        "checkpoint",
        abstract: "Sign a C2SP checkpoint of the log now, store it, and print the signed note.",
        discussion: """
            The note names the log by the origin its genesis fixed and is signed under that name with \
            the key of the log signer the consortium's policy names (PARTY must be that member, the key \
            one of its keys in force). Signing again at the same size adds the signature to the stored \
            note and keeps its cosignatures.
            """,
        arguments: SigningOptions.specs
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let signer = try SigningOptions(arguments, context: context)
        let orchestrator = try context.orchestrator(signer: signer)
        try context.refuseNowUnlessSimulated(try orchestrator.repository.governance.settings?.clock, command: spec)
        guard let policy = try orchestrator.repository.governance.policy else { throw GovernanceError.noConsortium }
        guard signer.party == policy.logSigner,
            let checkpointSigner = try context.checkpointSigner(orchestrator, signer: signer),
            checkpointSigner.key.publicKey == signer.key.publicKey
        else {
            throw GovernanceError.refused(
                what: "checkpoint by \(signer.party)",
                reason: "the log's checkpoints are signed by '\(policy.logSigner)' with a key in force "
                    + "(the consortium's policy: \(policy))"
            )
        }
        let note = try orchestrator.repository.signCheckpoint(origin: checkpointSigner.origin, key: signer.key)
        try printNote(note, command: spec, in: context)
    }

    /// Prints a signed checkpoint note as is, or under `--json` as docs/JSON.md's "checkpoint":
    /// what it says (origin, size, root hash, log time), who signed it, and the note itself.
    static func printNote(_ note: SignedNote, command: CommandSpec, in context: CommandContext) throws {
        guard context.json else {
            context.console.out(note.serialized, terminator: "")
            return
        }
        let checkpoint = try Checkpoint(note: note)
        var json: [String: Any] = [
            "command": command.name,
            "origin": checkpoint.origin,
            "size": checkpoint.size,
            "rootHash": checkpoint.rootHash.base64,
            "signatures": note.signatures.map { ["name": $0.name, "keyID": String(format: "%08x", $0.keyID)] },
            "note": note.serialized,
        ]
        if let logTime = checkpoint.logTime { json["logTime"] = Timestamp.format(logTime) }
        try context.printJSON(json)
    }
}
