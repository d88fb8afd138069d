import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign doc fingerprint FILE... [--schema XSD]`: exclusive-C14N SHA-256 of XML files.
enum DocFingerprintCommand: CountersignCommand {
    static let spec = CommandSpec(
        "doc fingerprint",
        abstract: "Print sha256:HEX  FILE for each XML file (SHA-256 of its exclusive C14N form, no comments).",
        discussion: """
            Equal to `xmlstarlet c14n --exc-without-comments FILE | sha256sum`. Files are parsed with \
            no network access, no DTD loading and no entity expansion. With --schema, each file is \
            validated first; the schema may include or import only files under the workspace (or, for a \
            schema outside it, under the schema's own folder), never a URL, and no schema file may declare \
            an entity. Exit 1 if any file fails.
            """,
        arguments: [
            .positionals("FILE", optional: false, help: "XML files"),
            .option("schema", value: "XSD", help: "validate each file against this XML Schema first"),
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let schema = try arguments.value("schema").map { path in
            let file = URL(fileURLWithPath: context.resolve(path)).standardizedFileURL
            let inWorkspace = file.path.hasPrefix(context.workspace.standardizedFileURL.path + "/")
            return try XMLSchema(contentsOf: file, inside: inWorkspace ? context.workspace : nil)
        }
        var failures: [String] = []
        var unreadable = false
        var results: [[String: String]] = []
        for file in arguments.values("FILE") {
            do {
                let document = try CountersignKit.XMLDocument(contentsOf: URL(fileURLWithPath: context.resolve(file)))
                try schema?.validate(document)
                let fingerprint = try document.fingerprint()
                results.append(["file": file, "fingerprint": fingerprint.description])
                if !context.json { context.console.out("\(fingerprint)  \(file)") }
            } catch {
                failures.append(file)
                unreadable = unreadable || ExitCode.code(for: error) == ExitCode.environment
                context.console.err("\(error)")
            }
        }
        if context.json, failures.isEmpty { try context.printJSON(results) }
        guard failures.isEmpty else {
            throw FileFailures(
                summary: "\(failures.count) of the files failed: \(failures.joined(separator: ", "))",
                environment: unreadable
            )
        }
    }
}
