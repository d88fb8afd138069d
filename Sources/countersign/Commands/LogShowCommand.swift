import ArgumentParsing
import CountersignKit

/// `countersign log show INDEX`: one entry decoded (JSON).
enum LogShowCommand: CountersignCommand {
    static let spec = CommandSpec(
        "log show",
        abstract: "Print one entry of the log, decoded (JSON).",
        discussion: """
            Its index, leaf hash, log time and case; the envelope's payload type and key ids; the \
            in-toto statement it signs, decoded; and the exact envelope bytes in base64. Nothing is \
            verified here (log verify does that).
            """,
        arguments: [.positional("INDEX", help: "the entry's log index (0-based)")]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let index = try arguments.integer("INDEX")!
        let store = try context.ledger(create: false).store
        guard index >= 0, let entry = try store.entry(at: index) else {
            throw UsageError(
                "INDEX \(index) is not in the log (it holds entries 0 to \(try store.size() - 1))",
                command: spec
            )
        }
        try context.printJSON(entry.json)
    }
}
