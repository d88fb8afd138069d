import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign export [--since INDEX]`: entries as JSON lines, streamed.
enum ExportCommand: CountersignCommand {
    static let spec = CommandSpec(
        "export",
        abstract: "Stream the log's entries as JSON lines, for other systems.",
        discussion: """
            One line per entry, in log order, each the object log show prints (compact): from \
            --since INDEX (default 0) to the log's size when the command started, so a run reads one \
            fixed range while others append. Entries are read and written in chunks, never all held \
            at once. A system that keeps the last index it read runs export --since that + 1 next \
            time. The lines are the output with or without --json.
            """,
        arguments: [.option("since", value: "INDEX", help: "the first entry to export (default: 0)")]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let since = try arguments.integer("since") ?? 0
        guard since >= 0 else { throw UsageError("--since expects an index, 0 or more", command: spec) }
        let store = try context.ledger(create: false).store
        let size = try store.size()
        guard since <= size else {
            throw UsageError("--since \(since) is past the log's end (it holds \(size) entries)", command: spec)
        }
        let chunk = 1_000
        var start = since
        while start < size {
            let end = min(start + chunk, size)
            var text = ""
            try store.forEachEntry(in: start..<end) { entry in
                let data = try JSONSerialization.data(
                    withJSONObject: entry.json,
                    options: [.sortedKeys, .withoutEscapingSlashes]
                )
                text += String(decoding: data, as: UTF8.self) + "\n"
            }
            context.streamJSONLines(text)
            start = end
        }
    }
}
