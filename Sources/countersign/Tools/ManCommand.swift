import ArgumentParsing
import Foundation

/// `countersign __man DIR [--force]`: writes the manual pages, roff, into DIR (`countersign.1`, one
/// `countersign-COMMAND.1` per command, `countersign-pipeline.5`), dated by `SOURCE_DATE_EPOCH`
/// when it is set so a rebuild gives the same bytes.
enum ManCommand: ToolCommand {
    static let spec = CommandSpec(
        "__man",
        abstract: "Write the manual pages into a folder (for packaging).",
        arguments: [
            .positional("DIR", help: "the folder to write the pages into (created if missing)"),
            .flag("force", help: "replace pages already there"),
        ],
        isHidden: true
    )

    static func run(
        _ arguments: ParsedArguments,
        parser: ArgumentParser,
        environment: [String: String],
        console: Console
    ) throws {
        let folder = URL(fileURLWithPath: arguments.value("DIR")!)
        let date = environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:))
        let pages = CountersignManual(parser: parser, date: date ?? Date()).pages
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw EnvironmentError("cannot create \(folder.path): \(error.localizedDescription)")
        }
        for page in pages {
            let file = folder.appendingPathComponent(page.fileName)
            if !arguments.flag("force"), FileManager.default.fileExists(atPath: file.path) {
                throw EnvironmentError("\(file.path) exists (--force replaces it)")
            }
            do {
                try Data(page.roff.utf8).write(to: file)
            } catch {
                throw EnvironmentError("cannot write \(file.path): \(error.localizedDescription)")
            }
        }
    }
}
