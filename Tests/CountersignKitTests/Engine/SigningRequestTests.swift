import CountersignKit
import Foundation
import Testing

@Suite("Signing requests: the statement signed away from the ledger is the one sign makes online")
struct SigningRequestTests {
    /// A large-loan case with its credit check signed, and the legal review and valuation too unless
    /// `through` stops earlier.
    static func largeLoan(through last: String) throws -> ExampleCase {
        let example = try ExampleCase("large loan")
        try example.sign("credit-check", by: "bank")
        guard last != "credit-check" else { return example }
        try example.sign("valuation", by: "bank", try example.document("valuation", "valuation.xml"))
        try example.sign("legal-review", by: "lawyer")
        return example
    }

    @Test(
        "a request read back and signed gives the very envelope the online path signs at the same time",
        arguments: [
            ("board-approval", "director-a", "legal-review", nil),
            ("valuation", "bank", "credit-check", "valuation.xml"),
        ] as [(String, String, String, String?)]
    )
    func sameEnvelope(step: String, party: String, after: String, attaching: String?) throws {
        let example = try Self.largeLoan(through: after)
        let documents = try attaching.map { [try example.document("valuation", $0)] } ?? []
        let now = example.now + 3_600
        let request = try example.orchestrator.signingRequest(
            caseID: example.caseID,
            step: step,
            party: party,
            documents: documents,
            now: now,
            judgedAt: now
        )
        let read = try SigningRequest(json: request.json)
        #expect(read == request)
        #expect(read.json == request.json)
        let key = example.workspace.keys[party]!
        let offline = try read.sign(key: key, signedAt: now, note: "ok", rejectReason: nil)
        let online = try example.orchestrator.stepEntry(
            caseID: example.caseID,
            step: step,
            party: party,
            key: key,
            documents: documents,
            note: "ok",
            rejectReason: nil,
            now: now
        )
        #expect(offline.envelope.bytes == online.envelope.bytes)
        #expect(offline.documents.map(\.bytes) == online.documents.map(\.bytes))
        #expect(read.head.leafHash == online.statement.predicate.previous)
        #expect(read.documents.map(\.name) == (attaching == nil ? ["application", "valuation"] : ["application"]))
        #expect(read.attaches.map(\.name) == (attaching == nil ? [] : ["valuation"]))
        try example.orchestrator.submit(offline, now: now)
        #expect(try example.repository.state(of: example.caseID)?.head == MerkleHash.leaf(offline.envelope.bytes))
    }

    @Test("a request whose members a reader could misread is refused, naming the member")
    func malformed() throws {
        let example = try Self.largeLoan(through: "legal-review")
        let now = example.now + 3_600
        let request = try example.orchestrator.signingRequest(
            caseID: example.caseID,
            step: "board-approval",
            party: "director-b",
            documents: [],
            now: now,
            judgedAt: now
        )
        let text = String(decoding: request.json, as: UTF8.self)
        func refusal(_ find: String, _ replacement: String) -> String {
            #expect(text.contains(find), "the request has no \(find)")
            do {
                _ = try SigningRequest(json: Array(text.replacingOccurrences(of: find, with: replacement).utf8))
                return "accepted"
            } catch {
                return error.description
            }
        }
        let valuation = try #require(request.documents.first { $0.name == "valuation" })
        let application = try #require(request.documents.first { $0.name == "application" })
        let cases: [(String, String, String)] = [
            (
                "\"format\":\"countersign-signing-request/1\"", "\"format\":\"countersign-signing-request/9\"",
                "\"format\""
            ),
            ("\"format\":\"countersign-signing-request/1\",", "", "no \"format\" member"),
            ("\"case\":\"case-1\"", "\"case\":\"case-1\",\"case\":\"case-2\"", "duplicate key \"case\""),
            ("\"case\":\"case-1\"", "\"case\":\"case 1\"", "member \"case\""),
            ("\"rule\":\"quorum\",\"required\":2", "\"rule\":\"quorum\",\"required\":4", "member \"step.by.required\""),
            ("\"rule\":\"quorum\"", "\"rule\":\"most\"", "member \"step.by.rule\""),
            ("\"approvedBy\":[]", "\"approvedBy\":[\"director-b\"]", "member \"step.approvedBy\""),
            ("\"approvedBy\":[]", "\"approvedBy\":[\"lawyer\"]", "member \"step.approvedBy\""),
            ("\"index\":", "\"position\":", "unknown member \"head.position\""),
            ("\"leafHash\":\"", "\"leafHash\":\"AB", "member \"head.leafHash\""),
            ("\"keys\":[\"", "\"keys\":[\"x\",\"", "member \"party.keys\""),
            (valuation.sha256.hex, application.sha256.hex, "member \"documents[valuation].bytes\""),
            (
                "\"name\":\"application\"", "\"name\":\"valuation\"",
                "member \"documents[valuation]\" is \"valuation\"; expected each name once",
            ),
            ("\"bytes\":\"", "\"bytes\":\" ", "member \"documents[0].bytes\" is not standard base64"),
            ("\"attaches\":[]", "\"attaches\":[],\"note\":\"\"", "unknown member \"note\""),
        ]
        for (find, replacement, expected) in cases {
            let refused = refusal(find, replacement)
            #expect(refused.contains(expected), "\(find) → \(replacement): \(refused)")
        }
        #expect(refusal("\"approvedBy\":[]", "\"approvedBy\": [ ]") == "accepted")
    }
}
