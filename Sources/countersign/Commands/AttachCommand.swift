import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign attach CASE NAME=FILE... --as PARTY --key FILE [--note TEXT]`
enum AttachCommand: CountersignCommand {
    static let spec = CommandSpec(
        "attach",
        abstract: "Attach documents to a case in a signed entry that decides no step.",
        discussion: """
            The party must be one a document may come from (docs/ENTRIES.md "Who may attach a \
            document"): for a first version, a signer of a step that needs or produces it (or the \
            opener, for a document no step produces); for a newer version, a signer of a step that \
            produces it or that its `revised-by` names — and never once a decided step rests on it. \
            Refused, with every reason listed and nothing appended, otherwise.
            """,
        arguments: [
            .positional("CASE", completion: DynamicValues.caseID.completion, help: "the case id"),
            .positionals("DOCUMENT", optional: false, help: "NAME=FILE: a document of the pipeline and its XML file"),
        ] + SigningOptions.specs + [
            .option("note", value: "TEXT", help: "a note recorded in the signed statement")
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let caseID = arguments.value("CASE")!
        let signer = try SigningOptions(arguments, context: context)
        let documents = try DocumentOptions.uploads(
            arguments.values("DOCUMENT"),
            as: "DOCUMENT",
            context: context,
            command: spec
        )
        let orchestrator = try context.orchestrator(signer: signer)
        try context.refuseNowUnlessSimulated(try orchestrator.repository.governance.settings?.clock, command: spec)
        let entry = try orchestrator.attachEntry(
            caseID: caseID,
            party: signer.party,
            key: signer.key,
            documents: documents,
            note: arguments.value("note"),
            now: context.now
        )
        let appended = try orchestrator.submit(entry, now: context.now)
        let names = documents.map(\.name).joined(separator: ", ")
        context.say("attached \(names) to \(caseID) as \(signer.party) at entry \(appended.index)")
        let reporter = CaseReporter(context: context)
        var result = try reporter.afterAppend(appended, caseID: caseID, orchestrator: orchestrator)
        result.merge(["case": caseID, "party": signer.party, "documents": documents.map(\.name)]) { _, new in new }
        try reporter.printResult(spec, result)
    }
}
