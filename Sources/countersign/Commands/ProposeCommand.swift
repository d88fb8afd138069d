import ArgumentParsing
import CountersignKit
import Foundation

/// `countersign propose FILE... --as PARTY --key FILE [--key FILE]...`
enum ProposeCommand: CountersignCommand {
    static let spec = CommandSpec(
        "propose",
        abstract: "Propose party files and pipeline files to the consortium; each is one proposal.",
        discussion: """
            A party file proposes a new member, a new key, a changed name or validity: by the party \
            itself or by an admin. A new key comes into force only through a proposal it signs (its \
            proof of possession: give it as a further --key). A party's own proposal signed with one of \
            its keys in force that only adds keys and narrows windows is a rotation, in force at once; \
            anything else needs the admins' approvals under the policy. A pipeline file (an admin's \
            proposal) proposes a version: its bytes and every schema it names, stored with the entry. \
            An admin's own proposal counts as its approval. Prints `proposal N: FILE ...` per file, N \
            being the proposal's id, with what it still needs. A refused file appends nothing; the \
            others go on; exit 1 if any was refused.
            """,
        arguments: [.positionals("FILE", optional: false, help: "party files and pipeline files")]
            + GovernanceSigning.specs
    )

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws {
        let signer = try GovernanceSigning(arguments, context: context)
        let consortium = Consortium(ledger: try context.ledger())
        try context.refuseNowUnlessSimulated(try consortium.state().settings?.clock, command: spec)
        var results: [[String: Any]] = []
        var refused = 0
        for path in arguments.values("FILE") {
            do {
                let receipt = try propose(path, signer: signer, consortium: consortium, context: context)
                results.append(GovernanceReport.json(receipt, file: path))
                if !context.json { context.say(GovernanceReport.line(receipt, file: path)) }
            } catch {
                if ExitCode.code(for: error) != ExitCode.rejected { throw error }
                refused += 1
                results.append(["file": path, "refused": "\(error)"])
                if !context.json {
                    switch error {
                    case is Diagnostics, ConfigurationError.invalid:
                        // A file that does not read: its problems, each as PATH:LINE:COLUMN (CLI.md).
                        _ = ExitCode.report(error, console: context.console, json: false)
                    default: context.console.err("countersign: error: \(path): \(error)")
                    }
                }
            }
        }
        if context.json { try context.printJSON(["proposals": results]) }
        if refused > 0 { throw ProposalsRefused(count: refused) }
    }

    private static func propose(
        _ path: String,
        signer: GovernanceSigning,
        consortium: Consortium,
        context: CommandContext
    ) throws -> Consortium.Receipt {
        let url = URL(fileURLWithPath: context.resolve(path))
        guard let bytes = FileManager.default.contents(atPath: url.path) else {
            throw ConfigurationError.unreadable(path: path, reason: "no such file or not readable")
        }
        switch ProposalFile.kind(of: Array(bytes), path: path) {
        case .party:
            let file = try context.partyFile(at: path)
            return try consortium.propose(
                member: file,
                as: signer.party,
                keys: signer.keys(for: file),
                signedAt: context.now
            )
        case .pipeline:
            let pipeline = try Pipeline(contentsOf: url, path: path, parties: nil)
            return try consortium.propose(
                pipeline: pipeline,
                as: signer.party,
                key: signer.keys[0],
                signedAt: context.now
            )
        case nil:
            throw ConfigurationError.unreadable(
                path: path,
                reason: "it is neither a party file (`party:`) nor a pipeline file (`pipeline:`)"
            )
        }
    }
}

/// Some of the proposals or approvals of one command were refused (each said why).
struct ProposalsRefused: Error, CustomStringConvertible {
    let count: Int

    var description: String {
        "\(count) \(count == 1 ? "change was" : "changes were") refused; nothing was appended for \(count == 1 ? "it" : "them")"
    }
}
