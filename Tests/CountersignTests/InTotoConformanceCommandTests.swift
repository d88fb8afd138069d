import CountersignKit
import Foundation
import TestSupport
import Testing

/// Issue 11's acceptance: every statement the demo writes is an in-toto Statement v1 as in-toto's
/// own rules say (at least one subject, each with a digest), checked by `InTotoStatementValidator`,
/// which is written from the in-toto specification and shares no code with Countersign's decoders.
@Suite("in-toto Statement v1 conformance of what the commands write")
struct InTotoConformanceCommandTests {
    /// Checks every entry of the ledger `store`.
    static func census(of store: any LedgerStore) throws -> InTotoCensus {
        var census = InTotoCensus()
        try store.forEachEntry(in: 0..<store.size()) { entry in
            census.check(envelope: entry.envelope, label: "ledger entry \(entry.index)")
        }
        return census
    }

    @Test(
        "every statement of the demo — ledger entries, bundle entries, the offline file — is a valid in-toto Statement v1"
    )
    func demo() throws {
        let w = try ExampleWorkspace(keysFor: [], founded: false)
        let demo = try w.cli.run("demo")
        #expect(demo.status == 0, "\(demo.stderr)")
        let store = try SQLiteLedgerStore(path: w.path("out/demo/out/ledger.sqlite"))
        let ledger = try Self.census(of: store)
        #expect(ledger.failures.isEmpty, "\(ledger.failures.joined(separator: "\n"))")
        #expect(ledger.envelopes == (try store.size()) && ledger.envelopes > 20, "\(ledger.envelopes) entries")
        // Case entries are step/v2 (never the empty-subject revision 1); governance entries are checked too.
        #expect(ledger.predicateTypes[Statement.predicateTypeRevision1] == nil)
        #expect(ledger.predicateTypes[Statement.predicateType, default: 0] > 10, "\(ledger.predicateTypes)")
        #expect(ledger.predicateTypes[GovernancePredicate.predicateType, default: 0] > 5, "\(ledger.predicateTypes)")
        for decision in ["open", "approve", "auto", "expire"] {
            #expect(ledger.decisions[decision, default: 0] > 0, "no '\(decision)' entry: \(ledger.decisions)")
        }

        var files = InTotoCensus()
        let bundles = try files.checkFiles(under: URL(fileURLWithPath: w.path("out/demo/out/bundles")))
        let inbox = try files.checkFiles(under: URL(fileURLWithPath: w.path("out/demo/out/inbox")))
        #expect(files.failures.isEmpty, "\(files.failures.joined(separator: "\n"))")
        #expect(bundles > 20, "\(bundles) envelopes in the bundles")
        #expect(inbox >= 1, "the offline-signed envelope the batch took from the inbox")
        #expect(files.predicateTypes[Statement.predicateTypeRevision1] == nil)
    }

    @Test(
        "attach and withdraw entries made by the commands, in the ledger and in bundles, are valid in-toto Statements v1",
        arguments: StoreKind.allCases
    )
    func attachAndWithdraw(store: StoreKind) throws {
        let w = try ExampleWorkspace(keysFor: CaseCommandTests.allMortgageParties, store: store)
        let samples = ExampleWorkspace.mortgageSamples
        for caseID in ["M-1", "M-2"] { #expect(try w.openMortgage(caseID).status == 0) }
        #expect(try w.sign("M-1", "credit-check", as: "bank", at: "2026-11-02T10:00:00Z").status == 0)
        let signing = ["--as", "bank", "--key", "out/keys/bank.pem"]
        let attached = try w.cli.run(
            ["attach", "M-1", "valuation=\(samples)/valuation.xml"] + signing + ["--now", "2026-11-02T11:00:00Z"]
        )
        #expect(attached.status == 0, "\(attached.stderr)")
        let withdrawn = try w.cli.run(
            ["withdraw", "M-2", "--reason", "the borrower went elsewhere"] + signing + [
                "--now", "2026-11-02T12:00:00Z",
            ]
        )
        #expect(withdrawn.status == 0, "\(withdrawn.stderr)")
        let ledger = try Self.census(of: try w.store())
        #expect(ledger.failures.isEmpty, "\(ledger.failures.joined(separator: "\n"))")
        #expect(ledger.decisions["attach"] == 1 && ledger.decisions["withdraw"] == 1, "\(ledger.decisions)")
        var files = InTotoCensus()
        for caseID in ["M-1", "M-2"] {
            let bundle = try w.cli.run(
                ["bundle", caseID, "--out", "out/b-\(caseID)"] + signing + ["--now", "2026-11-03T00:00:00Z"]
            )
            #expect(bundle.status == 0, "\(bundle.stderr)")
            try files.checkFiles(under: URL(fileURLWithPath: w.path("out/b-\(caseID)")))
        }
        #expect(files.failures.isEmpty, "\(files.failures.joined(separator: "\n"))")
        #expect(files.decisions["attach"] == 1 && files.decisions["withdraw"] == 1, "\(files.decisions)")
    }
}
