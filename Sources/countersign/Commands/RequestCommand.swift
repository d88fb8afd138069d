import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign request CASE STEP --as PARTY --out FILE [--doc NAME=FILE]... [--force]`
enum RequestCommand: CountersignCommand {
    static let spec = CommandSpec(
        "request",
        abstract: "Write a signing request: a step of a case for a party to sign on a machine with no ledger.",
        discussion: """
            Checks, as `sign` would, that PARTY may sign STEP of CASE now (refused, with every reason \
            listed, otherwise), then writes FILE: the case, the entry the signature will extend, the \
            pipeline version, what the step requires, the party's keys, and every document of the \
            case with its exact bytes, plus the documents the signature attaches (--doc, for a step \
            that produces them). Nothing is signed or appended. On the signing machine, \
            `countersign sign --request FILE --key KEY --offline OUT` checks the request, shows what \
            it signs and writes the envelope for `countersign submit` or the reconcile inbox, which \
            judge it on the case as it then stands (docs/SIGNING-REQUESTS.md). Refuses to replace \
            FILE unless --force.
            """,
        arguments: [
            .positional("CASE", completion: DynamicValues.caseID.completion, help: "the case id"),
            .positional("STEP", completion: DynamicValues.step.completion, help: "the step id"),
            .option("as", value: "PARTY", completion: DynamicValues.party.completion, help: "the party asked to sign"),
            .option("out", value: "FILE", help: "where to write the request"),
            DocumentOptions.spec,
            .flag("force", help: "replace FILE if it exists"),
        ]
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let caseID = arguments.value("CASE")!
        let step = arguments.value("STEP")!
        guard let party = arguments.value("as") else {
            throw UsageError("--as PARTY is required: the party asked to sign", command: spec)
        }
        guard let out = arguments.value("out") else {
            throw UsageError("--out FILE is required: where to write the request", command: spec)
        }
        let documents = try DocumentOptions.uploads(arguments, context: context)
        let orchestrator = try context.orchestrator(signer: nil, create: false, writesCaches: false)
        let clock = try orchestrator.repository.governance.settings?.clock
        // Nothing is appended: as for `sign --offline`, `--now` dates the request, and on a
        // system-clock ledger the checks are made at the log's time now.
        let request = try orchestrator.signingRequest(
            caseID: caseID,
            step: step,
            party: party,
            documents: documents,
            now: context.now,
            judgedAt: clock == .system ? Date() : context.now
        )
        try OutputFile.check(context.resolve(out), force: arguments.flag("force"), in: context)
        try request.write(to: context.resolve(out), overwrite: arguments.flag("force"))
        if context.json {
            try context.printJSON([
                "request": out, "case": caseID, "step": step, "party": party, "head": request.head.index,
                "documents": request.documents.map(\.name), "attaches": request.attaches.map(\.name),
            ])
            return
        }
        context.say(
            "wrote a request for \(party) to sign \(step) of \(caseID), extending entry \(request.head.index): \(out)"
        )
        context.say("sign it where the key is: countersign sign --request \(out) --key KEY --offline FILE")
    }
}
