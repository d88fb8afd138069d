import ArgumentParsing
import Foundation

/// Countersign's manual pages: the pages `ManPage` generates from the command declarations, with
/// what only the product knows — exit codes, environment, files, see also — and the pipeline file
/// format, `countersign-pipeline(5)`.
struct CountersignManual {
    let parser: ArgumentParser
    /// When the pages are dated.
    let date: Date

    /// `countersign(1)`, one page per command, and `countersign-pipeline(5)`.
    var pages: [ManPage] {
        let commands = parser.visibleCommands
        let program = ManPage.program(
            parser,
            summary: "multi-party document processes on a tamper-evident ledger",
            description: Self.description,
            header: header,
            extra: [
                Self.exitStatus,
                ManPage.Section("ENVIRONMENT", environment(commands.flatMap(\.arguments))),
                Self.files,
                seeAlso(commands.map { ManPage.name(of: $0, in: parser) + "(1)" } + ["countersign-pipeline(5)"]),
            ]
        )
        let pages = commands.map { command in
            ManPage.command(
                command,
                of: parser,
                header: header,
                extra: [
                    Self.exitStatus,
                    ManPage.Section("ENVIRONMENT", environment(command.arguments)),
                    Self.files,
                    seeAlso(["countersign(1)", "countersign-pipeline(5)"]),
                ]
            )
        }
        return [program] + pages + [PipelineFormatPage(header: header).page]
    }

    var header: ManPage.Header {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let day = calendar.dateComponents([.year, .month, .day], from: date)
        return ManPage.Header(
            date: String(format: "%04d-%02d-%02d", day.year!, day.month!, day.day!),
            source: "Countersign \(Countersign.version)",
            manual: "Countersign Manual"
        )
    }

    /// The variables `arguments` and the global options read, and those the state folders follow.
    private func environment(_ arguments: [ArgumentSpec]) -> [ManPage.Block] {
        var seen: Set<String> = []
        let declared = (arguments + parser.globals).filter { argument in
            argument.environment.map { seen.insert($0).inserted } ?? false
        }
        return ManPage.environment(of: declared) + [
            .item(
                term: [.bold("XDG_STATE_HOME")],
                description: ManPage.spans(
                    "Where this machine's own state is kept, outside the workspace: the trees `reconcile` "
                        + "verified (`countersign/verified/`) and the checkpoints a witness cosigned "
                        + "(`countersign/witness/`). Default: `~/.local/state`."
                )
            ),
            .item(
                term: [.bold("COUNTERSIGN_PARTY")],
                description: ManPage.spans("Set for the `reconcile --notify` hook: the party its notices are for.")
            ),
        ]
    }

    private func seeAlso(_ pages: [String]) -> ManPage.Section {
        let spans = pages.enumerated().flatMap { index, page -> [ManPage.Span] in
            let name = page.prefix { $0 != "(" }
            return (index == 0 ? [] : [.plain(", ")]) + [
                .bold(String(name)), .plain(String(page.dropFirst(name.count))),
            ]
        }
        return ManPage.Section("SEE ALSO", [.paragraph(spans)])
    }

    private static let description: [ManPage.Block] = [
        .paragraph(
            ManPage.spans(
                "Countersign runs multi-party document processes (a mortgage approval between a bank, a lawyer "
                    + "and a land registry; a lottery prize claim between a retailer, the operator and the "
                    + "regulator) and keeps a record of them that nobody, including the operator, can quietly "
                    + "rewrite. Processes are declared as pipeline files (`pipelines/`, see "
                    + "`countersign-pipeline`(5)); each party (`parties/`) holds an Ed25519 key; every sign-off "
                    + "is a DSSE-signed in-toto statement appended to an RFC 6962 Merkle log, the ledger."
            )
        ),
        .paragraph(
            ManPage.spans(
                "Every command works in a workspace, the folder holding `pipelines/`, `parties/` and `out/` "
                    + "(`--workspace`, default the current folder). Global options may come before or after the "
                    + "command; every command answers `--help`, and `countersign --version` prints the version. "
                    + "With `--json` every command prints one JSON document on standard output, an error as "
                    + "`{\"error\": {\"code\", \"kind\", \"message\"}}` with the exit code unchanged."
            )
        ),
    ]

    private static let exitStatus = ManPage.Section(
        "EXIT STATUS",
        [
            .item(term: [.bold(String(ExitCode.success))], description: [.plain("Success.")]),
            .item(
                term: [.bold(String(ExitCode.rejected))],
                description: [
                    .plain(
                        "The thing checked or asked for is not acceptable: an invalid pipeline, a failed "
                            + "verification, a signature refused, criteria not met, an unknown case."
                    )
                ]
            ),
            .item(
                term: [.bold(String(ExitCode.usage))],
                description: [.plain("Usage error: an unknown command or option, a missing argument.")]
            ),
            .item(
                term: [.bold(String(ExitCode.environment))],
                description: [.plain("Environment error: a file unreadable, the ledger unreachable, the disk full.")]
            ),
        ]
    )

    private static let files = ManPage.Section(
        "FILES",
        [
            .paragraph(ManPage.spans("Paths are relative to the workspace unless absolute.")),
            file(
                "pipelines/NAME.yaml",
                "Pipeline files, proposals until the consortium approves them: `countersign-pipeline`(5)."
            ),
            file("parties/PARTY.yaml", "Party files: the party's id, display name and public keys."),
            file("out/ledger.sqlite", "The ledger, unless `--ledger` names another (a PostgreSQL database)."),
            file("out/keys/PARTY.pem", "Private keys `keygen` writes (PKCS#8 PEM, mode 0600)."),
            file("out/inbox/", "Offline-signed envelopes for `reconcile`; filed into `accepted/` and `refused/`."),
            file("out/reports/", "The nightly reports, `reconcile-DATE-HHMMSS.json` and `.html`, and `index.html`."),
            file("out/bundles/CASE/", "Audit bundles (BagIt) that `bundle` writes and `verify-bundle` checks."),
            file(
                "$XDG_STATE_HOME/countersign/",
                "This machine's state: `verified/` (the trees `reconcile` verified), `witness/` (what it cosigned)."
            ),
        ]
    )

    private static func file(_ path: String, _ text: String) -> ManPage.Block {
        .item(term: [.bold(path)], description: ManPage.spans(text))
    }
}
