import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign bundle CASE [--out DIR] [--as PARTY --key FILE]`: write the case's audit bundle.
enum BundleCommand: CountersignCommand {
    static let spec = CommandSpec(
        "bundle",
        abstract: "Write a case's audit bundle: a BagIt bag anyone can check offline.",
        discussion: """
            The bag holds the case's entries, the governance entries its checks rest on, its documents \
            and its pipeline version's files as their exact stored bytes, an inclusion proof of every \
            entry in the newest stored checkpoint that covers them all (with its cosignatures), party \
            files for people to read, a report and VERIFY.md, a guide to checking it with standard \
            tools. When no stored checkpoint covers the case, --as/--key of the log signer signs one now. \
            The bag is written beside DIR and renamed into place; an existing DIR is replaced only \
            when it is a bundle of the same case.
            """,
        arguments: [
            .positional("CASE", completion: DynamicValues.caseID.completion, help: "the case id"),
            .option("out", value: "DIR", help: "the bundle folder (default: out/bundles/CASE)"),
        ] + SigningOptions.specs
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let caseID = arguments.value("CASE")!
        guard BundleLayout.isSafeComponent(caseID) else { throw BundleError.unsafePath(caseID) }
        let signer = try arguments.value("as").map { _ in try SigningOptions(arguments, context: context) }
        let orchestrator = try context.orchestrator(signer: signer, create: false, writesCaches: false)
        let bag = try BundleBuilder(repository: orchestrator.repository).bag(
            of: caseID,
            now: context.now,
            checkpointSigner: signer == nil ? nil : try context.checkpointSigner(orchestrator, signer: signer),
            softwareAgent: "countersign \(Countersign.version)"
        )
        let path =
            arguments.value("out").map(context.resolve)
            ?? context.workspace.appendingPathComponent("out/bundles/\(caseID)").path
        try bag.write(to: URL(fileURLWithPath: path)) { existing in
            Bag(info: existing).value(of: "External-Identifier") == caseID
        }
        let entries = bag.value(of: "Countersign-Entries") ?? "?"
        let size = bag.value(of: "Countersign-Checkpoint-Size") ?? "?"
        if context.json {
            try context.printJSON([
                "case": caseID, "path": path, "entries": Int(entries) as Any, "checkpointSize": Int(size) as Any,
                "files": bag.files.count,
            ])
        } else {
            context.say(
                "wrote the bundle of case \(caseID) to \(path): \(entries) entries, proved in the checkpoint of \(size)"
            )
        }
    }
}
