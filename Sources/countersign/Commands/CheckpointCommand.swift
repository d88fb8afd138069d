import ArgumentParsing
import CountersignKit

/// `countersign checkpoint --as PARTY --key FILE`: sign, store and print a checkpoint of the log.
enum CheckpointCommand: CountersignCommand {
    static let spec = CommandSpec(
        "checkpoint",
        abstract: "Sign a C2SP checkpoint of the log now, store it, and print the signed note.",
        discussion: """
            The note names the log by --origin and is signed under that name with the party's key, \
            which must be registered in parties/PARTY.yaml. Signing again at the same size adds the \
            signature to the stored note and keeps its cosignatures.
            """,
        arguments: SigningOptions.specs
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let signer = try SigningOptions(arguments, context: context)
        let note = try context.ledger().signCheckpoint(origin: context.origin, key: signer.key)
        context.console.out(note.serialized, terminator: "")
    }
}
