import CountersignKit
import Foundation
import Testing

@Suite("Example pipelines")
struct ExamplePipelineTests {
    /// The package root: this file is `Tests/CountersignKitTests/Pipelines/ExamplePipelineTests.swift`.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func registry() throws -> PartyRegistry {
        try PartyRegistry.load(directory: root.appendingPathComponent("parties"), displayPath: "parties")
    }

    static func load(_ name: String) throws -> Pipeline {
        try Pipeline(
            contentsOf: root.appendingPathComponent("pipelines/\(name).yaml"),
            path: "pipelines/\(name).yaml",
            parties: registry().partyIDs
        )
    }

    @Test(
        "every example pipeline loads without a problem",
        arguments: ["mortgage-approval", "lotto-claim", "supply-chain"]
    )
    func loadsClean(name: String) throws {
        let pipeline = try Self.load(name)
        #expect(pipeline.id == name)
        let folder = Self.root.appendingPathComponent("pipelines/samples/\(name)")
        #expect(try !FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("the example parties have display names and no keys yet: the demo makes them")
    func parties() throws {
        let registry = try Self.registry()
        #expect(
            registry.partyIDs == [
                "bank", "director-a", "director-b", "director-c", "lawyer", "lawyer-partner", "manufacturer",
                "operator", "registry", "regulator", "retailer", "shipper",
            ]
        )
        #expect(registry.parties.allSatisfy { $0.keys.isEmpty && !$0.name.isEmpty })
    }

    @Test("the mortgage example: a board quorum above a threshold, a legal review due in 14 days, automatic release")
    func mortgage() throws {
        let pipeline = try Self.load("mortgage-approval")
        #expect(
            pipeline.dependencyOrder.map(\.id) == [
                "credit-check", "valuation", "legal-review", "board-approval", "title-registration", "funds-release",
            ]
        )
        let board = try #require(pipeline.step("board-approval"))
        #expect(board.authority.signers?.parties == ["director-a", "director-b", "director-c"])
        #expect(board.authority.signers?.rule == .quorum(2))
        #expect(board.authority.signers?.isSatisfied(by: ["director-a", "director-a", "bank"]) == false)
        #expect(board.authority.signers?.isSatisfied(by: ["director-c", "director-a"]) == true)
        #expect(board.condition?.source == "number($application/application/loan/amount) > 1000000")
        #expect(pipeline.step("legal-review")?.due == PipelineDuration("14d"))
        #expect(pipeline.step("funds-release")?.isAutomatic == true)
        #expect(pipeline.step("title-registration")?.produces == ["title-deed"])
        #expect(pipeline.expiry?.defaultWindow == PipelineDuration("P6M"))
    }

    @Test("the lottery example: a claim window by the ticket's territory, from the draw")
    func lotto() throws {
        let expiry = try #require(try Self.load("lotto-claim").expiry)
        #expect(expiry.start == .step("record-draw"))
        #expect(expiry.key?.source == "string($ticket/ticket/territory)")
        #expect(expiry.window(for: "QLD") == PipelineDuration("P2Y"))
        #expect(expiry.window(for: "NSW") == PipelineDuration("365d"))
        #expect(expiry.window(for: "TAS") == PipelineDuration("365d"))
        #expect(expiry.window(for: nil) == PipelineDuration("365d"))
    }

    @Test("the supply chain example: a step all must sign and feedback whose rejection does not end the case")
    func supplyChain() throws {
        let pipeline = try Self.load("supply-chain")
        #expect(pipeline.step("handover")?.authority.signers?.rule == .all)
        #expect(pipeline.step("customer-feedback")?.onReject == .continue)
        #expect(pipeline.steps.filter { $0.onReject == .continue }.count == 1)
        #expect(pipeline.document("feedback")?.schemaPath == nil)
    }
}
