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
}
