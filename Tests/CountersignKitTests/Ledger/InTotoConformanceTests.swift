import CountersignKit
import Foundation
import TestSupport
import Testing

/// Issue 11's acceptance: every statement the engine appends — opening, approval, rejection,
/// automatic step, attachment, withdrawal, expiry, and the consortium's governance entries — is an
/// in-toto Statement v1 by the independent validator written from the in-toto specification.
@Suite("in-toto Statement v1 conformance of every entry the engine appends")
struct InTotoConformanceTests {
    /// Every entry of the example case's ledger, founding entries included.
    static func census(_ example: ExampleCase) throws -> InTotoCensus {
        var census = InTotoCensus()
        let store = example.repository.ledger.store
        try store.forEachEntry(in: 0..<store.size()) { entry in
            census.check(envelope: entry.envelope, label: "\(example.pipeline.id) entry \(entry.index)")
        }
        return census
    }

    /// The example cases, each run as far as it goes, with the entries they make.
    static func cases() throws -> [ExampleCase] {
        // A large loan, the valuation attached by the bank before it signs the step that produces it.
        let mortgage = try ExampleCase("large loan")
        try mortgage.sign("credit-check", by: "bank")
        try mortgage.attach(by: "bank", try mortgage.document("valuation", "valuation.xml"))
        try mortgage.sign("valuation", by: "bank")
        try mortgage.sign("legal-review", by: "lawyer")
        try mortgage.sign("board-approval", by: "director-a")
        try mortgage.sign("board-approval", by: "director-c")
        try mortgage.sign("title-registration", by: "registry", try mortgage.document("title-deed", "title-deed.xml"))

        // A winning ticket through the regulator's approval to the payment.
        let lottery = try ExampleCase("winning ticket")
        try lottery.sign("check-ticket", by: "retailer")
        try lottery.sign("record-draw", by: "operator", try lottery.document("draw-result", "draw-result.xml"))
        try lottery.sign("lodge-claim", by: "retailer", try lottery.document("claim", "claim-nsw.xml"))
        try lottery.sign("regulator-approval", by: "regulator")
        try lottery.sign("pay-prize", by: "operator")

        // A losing ticket, left until its claim window closes.
        let losing = try ExampleCase("losing ticket")
        try losing.sign("check-ticket", by: "retailer")
        try losing.sign("record-draw", by: "operator", try losing.document("draw-result", "draw-result.xml"))
        losing.now += 400 * 86_400
        _ = try losing.orchestrator.advance(caseID: losing.caseID, now: losing.now)

        // A loan the lawyer rejects, and one its opener withdraws.
        let rejected = try ExampleCase("small loan")
        try rejected.sign("credit-check", by: "bank")
        rejected.now += 3_600
        try rejected.orchestrator.submit(
            try rejected.orchestrator.stepEntry(
                caseID: rejected.caseID,
                step: "legal-review",
                party: "lawyer",
                key: rejected.workspace.keys["lawyer"]!,
                documents: [],
                note: nil,
                rejectReason: "easement not disclosed",
                now: rejected.now
            ),
            now: rejected.now
        )
        let withdrawn = try ExampleCase("small loan")
        try withdrawn.withdraw(by: "bank", reason: "the borrower went elsewhere")
        return [mortgage, lottery, losing, rejected, withdrawn]
    }

    @Test("every entry of the example cases, and the consortium's, passes the in-toto Statement v1 rules")
    func exampleCases() throws {
        let cases = try Self.cases()
        let outcomes = try cases.map { try $0.repository.view(of: $0.caseID, at: $0.now).outcome }
        #expect(outcomes == [.completed, .completed, .expired, .rejected, .withdrawn])
        var decisions: [String: Int] = [:]
        var types: [String: Int] = [:]
        for example in cases {
            let census = try Self.census(example)
            #expect(census.failures.isEmpty, "\(census.failures.joined(separator: "\n"))")
            #expect(census.envelopes == (try example.repository.ledger.store.size()))
            decisions.merge(census.decisions, uniquingKeysWith: +)
            types.merge(census.predicateTypes, uniquingKeysWith: +)
        }
        for decision in StepPredicate.Decision.allCases {
            #expect(decisions[decision.rawValue, default: 0] > 0, "no '\(decision.rawValue)' entry: \(decisions)")
        }
        #expect(types[GovernancePredicate.predicateType, default: 0] > 0, "\(types)")
        #expect(types[Statement.predicateTypeRevision1] == nil, "\(types)")
    }

    @Test("an entry of a case without documents names its pipeline version, so its subject is never empty")
    func caseWithoutDocuments() throws {
        // The supply chain's order is opened here without its purchase order.
        let example = try ExampleCase("order", opening: [])
        let entry = try #require(try example.repository.ledger.store.entries(ofCase: example.caseID).first)
        var census = InTotoCensus()
        census.check(envelope: entry.envelope, label: "opening")
        #expect(census.failures.isEmpty, "\(census.failures)")
        let statement = try Envelope(bytes: entry.envelope).statement()
        #expect(statement.subjects.map(\.name) == ["@pipeline/supply-chain"])
        #expect(statement.subjects[0].sha256 == statement.predicate.pipelineDigest)
    }
}
