import CountersignKit
import Foundation

/// The demo's commands, each run in-process exactly as typed and echoed with its output.
struct DemoScript {
    let workspace: URL
    let console: Console
    private var step = 0

    init(workspace: URL, console: Console) {
        self.workspace = workspace
        self.console = console
    }

    private let mortgageSamples = "pipelines/samples/mortgage-approval"
    private let lottoSamples = "pipelines/samples/lotto-claim"

    mutating func keys(for parties: [String]) throws {
        section("Keys: one Ed25519 key per party (out/keys/PARTY.pem, mode 0600), added to its file in parties/")
        for party in parties { try run(["keygen", party, "--quiet"]) }
        console.out("  made keys for \(parties.joined(separator: ", "))")
    }

    /// The consortium is founded on the ledger: files declare, the ledger decides.
    mutating func founding(_ parties: [String]) throws {
        section("The founding: the bank founds the consortium; the parties join; the admins approve the pipelines")
        let at = "2026-11-01T08:00:00Z"
        note(
            "A demo ledger: its clock is simulated (every command sets its time with --now), so its times prove nothing."
        )
        try run([
            "consortium", "init", "--as", "bank", "--key", "out/keys/bank.pem", "--clock", "simulated", "--now", at,
        ])
        note("Each party proposes its own file, signed with its new key (proof of possession); the bank approves.")
        let joining = parties.filter { $0 != "bank" }
        for party in joining {
            try run(["propose", "parties/\(party).yaml", "--as", party, "--key", "out/keys/\(party).pem", "--now", at])
        }
        try run(
            ["approve"] + joining.indices.map { String($0 + 1) } + [
                "--as", "bank", "--key", "out/keys/bank.pem", "--now", at,
            ]
        )
        note("From now on a change needs two of the bank, the lottery operator and the regulator.")
        try run([
            "consortium", "policy", "--admins", "bank,operator,regulator", "--quorum", "2", "--as", "bank", "--key",
            "out/keys/bank.pem", "--now", at,
        ])
        let firstPipeline = 2 * joining.count + 2  // genesis, the proposals, the approvals, the policy
        let pipelines = ["lotto-claim", "mortgage-approval", "supply-chain"]
        try run(
            ["propose"] + pipelines.map { "pipelines/\($0).yaml" } + [
                "--as", "bank", "--key", "out/keys/bank.pem", "--now", at,
            ]
        )
        try run(
            ["approve"] + pipelines.indices.map { String(firstPipeline + $0) }
                + ["--as", "regulator", "--key", "out/keys/regulator.pem", "--now", at]
        )
        note(
            "A bank clerk edits a copy of the mortgage pipeline (no credit limit) and tries to open a case under it: refused."
        )
        try FileManager.default.createDirectory(
            at: workspace.appendingPathComponent("rogue"),
            withIntermediateDirectories: true
        )
        let original = try String(
            contentsOf: workspace.appendingPathComponent("pipelines/mortgage-approval.yaml"),
            encoding: .utf8
        )
        try original.replacingOccurrences(of: "<= 2000000", with: "<= 99000000")
            .write(
                to: workspace.appendingPathComponent("pipelines/rogue-mortgage.yaml"),
                atomically: true,
                encoding: .utf8
            )
        try run(
            [
                "open", "pipelines/rogue-mortgage.yaml", "R-0001", "--as", "bank", "--key", "out/keys/bank.pem",
                "--doc", "application=\(mortgageSamples)/application-large.xml", "--now", at,
            ],
            expecting: 1
        )
        try FileManager.default.removeItem(at: workspace.appendingPathComponent("pipelines/rogue-mortgage.yaml"))
        try FileManager.default.removeItem(at: workspace.appendingPathComponent("rogue"))
        try run(["consortium", "show", "--now", at])
    }

    mutating func mortgage() throws {
        section("Mortgage approval M-2026-0042: a 1,160,000 loan, so the board must approve (2 of 3 directors)")
        let at = "2026-11-02T09:00:00Z"
        try run([
            "open", "mortgage-approval", "M-2026-0042", "--as", "bank", "--key", "out/keys/bank.pem",
            "--doc", "application=\(mortgageSamples)/application-large.xml", "--now", at,
        ])
        try run(sign("M-2026-0042", "credit-check", "bank", "2026-11-02T11:00:00Z"))
        try run(
            sign(
                "M-2026-0042",
                "valuation",
                "bank",
                "2026-11-04T10:00:00Z",
                docs: ["valuation=\(mortgageSamples)/valuation.xml"]
            )
        )
        try run(
            sign("M-2026-0042", "legal-review", "lawyer", "2026-11-05T15:30:00Z") + ["--note", "title search clean"]
        )
        note("The registry tries to register the title before the board has approved: refused, with the reasons.")
        try run(
            sign(
                "M-2026-0042",
                "title-registration",
                "registry",
                "2026-11-06T09:00:00Z",
                docs: ["title-deed=\(mortgageSamples)/title-deed.xml"]
            ),
            expecting: 1
        )
        try run(sign("M-2026-0042", "board-approval", "director-a", "2026-11-06T10:00:00Z"))
        note("Director B is travelling: she signs on her own machine, offline; the file lands in the inbox.")
        try run(
            sign("M-2026-0042", "board-approval", "director-b", "2026-11-06T18:00:00Z")
                + ["--offline", "out/inbox/board-approval-director-b.dsse.json"]
        )
        note("That night the batch ingests the inbox, re-verifies the ledger, advances cases, signs a checkpoint.")
        try run(["reconcile", "--as", "bank", "--key", "out/keys/bank.pem", "--now", "2026-11-07T02:00:00Z"])
        try run(["status", "M-2026-0042", "--now", "2026-11-07T08:00:00Z"])
        note("The registry registers the title; the bank's system releases the funds automatically at once.")
        try run(
            sign(
                "M-2026-0042",
                "title-registration",
                "registry",
                "2026-11-09T09:00:00Z",
                docs: ["title-deed=\(mortgageSamples)/title-deed.xml"]
            )
        )
        try run(["status", "M-2026-0042", "--now", "2026-11-09T09:00:00Z"])
    }

    mutating func lottery() throws {
        section("Lottery claim L-4521-000817: a winning NSW ticket, claimed, approved by the regulator, paid")
        let ticket = "L-4521-000817"
        try run([
            "open", "lotto-claim", ticket, "--as", "retailer", "--key", "out/keys/retailer.pem",
            "--doc", "ticket=\(lottoSamples)/ticket-winning.xml", "--now", "2026-11-22T10:00:00Z",
        ])
        try run(sign(ticket, "check-ticket", "retailer", "2026-11-22T10:05:00Z"))
        note("The operator records the draw; the prize is then determined automatically from ticket and draw.")
        try run(
            sign(
                ticket,
                "record-draw",
                "operator",
                "2026-11-22T12:00:00Z",
                docs: ["draw-result=\(lottoSamples)/draw-result.xml"]
            )
        )
        try run(
            sign(
                ticket,
                "lodge-claim",
                "retailer",
                "2026-11-24T09:30:00Z",
                docs: ["claim=\(lottoSamples)/claim-nsw.xml"]
            )
        )
        try run(sign(ticket, "regulator-approval", "regulator", "2026-11-26T14:00:00Z"))
        try run(sign(ticket, "pay-prize", "operator", "2026-11-27T09:00:00Z"))

        section("Lottery claim L-4521-QLD-002214: a winning Queensland ticket nobody claims (window: two years)")
        let unclaimed = "L-4521-QLD-002214"
        try run([
            "open", "lotto-claim", unclaimed, "--as", "operator", "--key", "out/keys/operator.pem",
            "--doc", "ticket=\(lottoSamples)/ticket-winning-qld.xml", "--now", "2026-11-28T10:00:00Z",
        ])
        try run(sign(unclaimed, "check-ticket", "retailer", "2026-11-28T10:10:00Z"))
        try run(
            sign(
                unclaimed,
                "record-draw",
                "operator",
                "2026-11-28T12:00:00Z",
                docs: ["draw-result=\(lottoSamples)/draw-result.xml"]
            )
        )
        note("A month before the window closes, the nightly run lists the unclaimed prize as expiring soon.")
        try run(["advance", "--now", "2028-10-30T02:00:00Z"])
        note("After the window, the orchestrator closes the case as expired.")
        try run(["advance", "--now", "2028-11-29T02:00:00Z"])
        try run(["status", "--now", "2028-11-29T02:00:00Z"])
    }

    mutating func finish() throws {
        section("The nightly batch, a witness, and audit bundles for the regulator")
        try run(["reconcile", "--as", "bank", "--key", "out/keys/bank.pem", "--now", "2028-11-29T02:30:00Z"])
        note(
            "The regulator witnesses the log: it checks the checkpoint is consistent with every one it cosigned, "
                + "which it keeps in its own state folder (here regulator-home/, standing for its machine's "
                + "~/.local/state/countersign/witness)."
        )
        try writeLatestCheckpoint(to: "out/checkpoint.txt")
        try run([
            "witness", "out/checkpoint.txt", "--as", "regulator", "--key", "out/keys/regulator.pem",
            "--state", "regulator-home/witness", "--now", "2028-11-29T03:00:00Z",
        ])
        for caseID in ["M-2026-0042", "L-4521-000817", "L-4521-QLD-002214"] {
            try run(["bundle", caseID, "--now", "2028-11-29T04:00:00Z"])
            try run(["verify-bundle", "out/bundles/\(caseID)"])
        }
        section("The whole ledger, re-verified from its entries")
        try run(["log", "verify"])
        section("Where to look")
        let root = workspace.path
        console.out(
            """
              workspace      \(root)
              ledger         \(root)/out/ledger.sqlite   (countersign --workspace \(root) status)
              reports        \(root)/out/reports/index.html (every run; each run's report beside it)
              bundles        \(root)/out/bundles/CASE/  (open data/report.html; VERIFY.md checks it with standard tools)
              inbox          \(root)/out/inbox/accepted/board-approval-director-b.dsse.json
              witness        \(root)/regulator-home/witness/  (every checkpoint the regulator cosigned)
              keys, parties  \(root)/out/keys/, \(root)/parties/
            """
        )
    }

    /// The newest stored checkpoint note, written where `witness` reads it.
    private func writeLatestCheckpoint(to path: String) throws {
        let store = try SQLiteLedgerStore(path: workspace.appendingPathComponent("out/ledger.sqlite").path)
        guard let note = try store.latestCheckpoint()?.note else {
            throw DemoFailure(command: "checkpoint", status: 1, expected: 0)
        }
        try Data(note.utf8).write(to: workspace.appendingPathComponent(path))
        console.out("  $ countersign checkpoint … > \(path)   # the newest checkpoint, as a file")
    }

    private func sign(_ caseID: String, _ step: String, _ party: String, _ now: String, docs: [String] = []) -> [String]
    {
        ["sign", caseID, step, "--as", party, "--key", "out/keys/\(party).pem", "--now", now]
            + docs.flatMap { ["--doc", $0] }
    }

    private mutating func section(_ title: String) {
        step += 1
        console.out("\n\(step). \(title)")
    }

    private func note(_ text: String) {
        console.out("  # \(text)")
    }

    /// Runs one command line in the demo workspace, echoing it and its output; fails the demo when
    /// the exit code is not the expected one.
    private func run(_ arguments: [String], expecting expected: Int32 = 0) throws {
        console.out("  $ countersign " + arguments.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " "))
        let indented = Console(
            write: { text in
                console.write(
                    text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }
                        .joined(separator: "\n")
                )
            },
            writeError: { text in
                console.write(
                    text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }
                        .joined(separator: "\n")
                )
            },
            isTerminal: false
        )
        let status = Countersign.run(
            arguments,
            environment: ["COUNTERSIGN_WORKSPACE": workspace.path],
            console: indented
        )
        guard status == expected else {
            throw DemoFailure(command: arguments.joined(separator: " "), status: status, expected: expected)
        }
    }
}

/// A demo command ended with an unexpected exit code.
struct DemoFailure: Error, CustomStringConvertible {
    let command: String
    let status: Int32
    let expected: Int32

    var description: String { "demo step `countersign \(command)` exited \(status), expected \(expected)" }
}
