import CountersignKit
import Foundation
import Testing

@Suite("Example pipelines")
struct ExamplePipelineTests {
    /// The package root: this file is `Tests/CountersignKitTests/Pipelines/ExamplePipelineTests.swift`.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The example parties, by their file names.
    static func partyIDs() throws -> Set<String> {
        Set(
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("parties").path)
                .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        )
    }

    static func load(_ name: String) throws -> Pipeline {
        try Pipeline(
            contentsOf: root.appendingPathComponent("pipelines/\(name).yaml"),
            path: "pipelines/\(name).yaml",
            parties: partyIDs()
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
        let ids = try Self.partyIDs()
        #expect(
            ids == [
                "bank", "director-a", "director-b", "director-c", "lawyer", "lawyer-partner", "manufacturer",
                "operator", "registry", "regulator", "retailer", "shipper",
            ]
        )
        let parties = try ids.map { id in
            try Party(
                bytes: Array(try Data(contentsOf: Self.root.appendingPathComponent("parties/\(id).yaml"))),
                path: "parties/\(id).yaml"
            )
        }
        #expect(parties.allSatisfy { $0.keys.isEmpty && !$0.name.isEmpty })
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

    /// A sample document of an example, parsed.
    static func sample(_ pipeline: String, _ file: String) throws -> XMLDocument {
        try XMLDocument(contentsOf: root.appendingPathComponent("pipelines/samples/\(pipeline)/\(file).xml"))
    }

    /// Whether every `require` of `step` holds over `documents`.
    static func requirementsHold(_ step: Step?, _ documents: [String: XMLDocument]) throws -> Bool {
        let step = try #require(step)
        return try step.requirements.allSatisfy { try $0.xpath.evaluate(with: documents).booleanValue }
    }

    @Test(
        "every sample is valid against the schema of the document it is a sample of",
        arguments: ["mortgage-approval", "lotto-claim", "supply-chain"]
    )
    func samplesMatchSchemas(name: String) throws {
        let pipeline = try Self.load(name)
        let folder = Self.root.appendingPathComponent("pipelines/samples/\(name)")
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let base = String(file.dropLast(4))
            let document = try #require(
                pipeline.documents.filter { base.hasPrefix($0.name) }.max { $0.name.count < $1.name.count },
                "\(file) is a sample of no document of \(name)"
            )
            let parsed = try XMLDocument(contentsOf: folder.appendingPathComponent(file))
            try document.schema?.validate(parsed)
        }
    }

    @Test(
        "mortgage samples: both loans pass the rules, only the large one needs the board, the deed is the large one's"
    )
    func mortgageRules() throws {
        let pipeline = try Self.load("mortgage-approval")
        let valuation = try Self.sample("mortgage-approval", "valuation")
        let deed = try Self.sample("mortgage-approval", "title-deed")
        for (file, large) in [("application-small", false), ("application-large", true)] {
            let documents = [
                "application": try Self.sample("mortgage-approval", file), "valuation": valuation, "title-deed": deed,
            ]
            #expect(try Self.requirementsHold(pipeline.step("credit-check"), documents))
            #expect(try Self.requirementsHold(pipeline.step("valuation"), documents))
            let board = try #require(pipeline.step("board-approval")?.condition)
            #expect(try board.xpath.evaluate(with: documents).booleanValue == large)
            #expect(try Self.requirementsHold(pipeline.step("title-registration"), documents) == large)
        }
    }

    @Test("lottery samples: the prize is found by XPath, the regulator only sees the big one, claims match tickets")
    func lottoRules() throws {
        let pipeline = try Self.load("lotto-claim")
        let draw = try Self.sample("lotto-claim", "draw-result")
        let tickets = [
            ("ticket-winning", "claim-nsw", true, true), ("ticket-winning-qld", "claim-qld", true, false),
            ("ticket-losing", "claim-nsw", false, false),
        ]
        for (ticket, claim, wins, needsRegulator) in tickets {
            let documents = [
                "ticket": try Self.sample("lotto-claim", ticket), "draw-result": draw,
                "claim": try Self.sample("lotto-claim", claim),
            ]
            #expect(try Self.requirementsHold(pipeline.step("check-ticket"), documents))
            #expect(try Self.requirementsHold(pipeline.step("record-draw"), documents))
            #expect(try Self.requirementsHold(pipeline.step("determine-prize"), documents) == wins)
            #expect(try Self.requirementsHold(pipeline.step("lodge-claim"), documents) == wins)
            let regulator = try #require(pipeline.step("regulator-approval")?.condition)
            #expect(try regulator.xpath.evaluate(with: documents).booleanValue == needsRegulator)
            let key = try #require(pipeline.expiry?.key)
            let territory = try key.xpath.evaluate(with: documents).stringValue
            #expect(
                pipeline.expiry?.window(for: territory) == PipelineDuration(ticket.hasSuffix("qld") ? "P2Y" : "365d")
            )
        }
    }

    @Test("supply chain samples pass every rule of every step")
    func supplyChainRules() throws {
        let pipeline = try Self.load("supply-chain")
        var documents: [String: XMLDocument] = [:]
        for document in pipeline.documents {
            documents[document.name] = try Self.sample("supply-chain", document.name)
        }
        for step in pipeline.steps {
            #expect(try Self.requirementsHold(step, documents), "step \(step.id)")
        }
    }
}
