import ArgumentParsing
import CountersignKit

/// `countersign log consistency OLD NEW`: a consistency proof as JSON.
enum LogConsistencyCommand: CountersignCommand {
    static let spec = CommandSpec(
        "log consistency",
        abstract: "Print the consistency proof between two tree sizes (JSON).",
        discussion:
            "Hashes are base64 (RFC 9162 §2.1.4). It proves the tree of OLD entries is a prefix of the tree of NEW.",
        arguments: [
            .positional("OLD", help: "the smaller tree size"),
            .positional("NEW", help: "the larger tree size (at most the log's size)"),
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let proof = try context.ledger(create: false).consistencyProof(
            from: try arguments.integer("OLD")!,
            to: try arguments.integer("NEW")!
        )
        try context.printJSON([
            "oldSize": proof.oldSize,
            "newSize": proof.newSize,
            "oldRootHash": proof.oldRoot.base64,
            "newRootHash": proof.newRoot.base64,
            "path": proof.hashes.map(\.base64),
        ])
    }
}
