import ArgumentParsing
import CountersignKit

/// `countersign log proof INDEX [--size N]`: an inclusion proof as JSON.
enum LogProofCommand: CountersignCommand {
    static let spec = CommandSpec(
        "log proof",
        abstract: "Print the inclusion proof of one entry (JSON).",
        discussion: """
            Hashes are base64, the audit path bottom up (RFC 9162 §2.1.3). Without --size the proof \
            is for the whole log as it is now.
            """,
        arguments: [
            .positional("INDEX", help: "the entry's log index (0-based)"),
            .option("size", value: "N", help: "tree size the proof is for (default: the log's size)"),
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let index = try arguments.integer("INDEX")!
        let proof = try context.ledger(create: false).inclusionProof(index: index, size: try arguments.integer("size"))
        try context.printJSON([
            "index": proof.index,
            "treeSize": proof.size,
            "leafHash": proof.leafHash.base64,
            "rootHash": proof.root.base64,
            "path": proof.hashes.map(\.base64),
        ])
    }
}
