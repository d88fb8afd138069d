import CountersignKit
import Foundation
import TestSupport
import Testing

/// The independent in-toto validator the conformance tests rely on: it accepts what the in-toto
/// specification allows and refuses what it forbids, so a conformance test over it can fail.
@Suite("The independent in-toto Statement v1 validator")
struct InTotoStatementValidatorTests {
    static let sha256 = String(repeating: "ab", count: 32)

    /// A valid statement with members replaced by the JSON text given (`nil`: removed).
    static func statement(_ replacing: [String: String?] = [:]) -> [UInt8] {
        var members: [String: String] = [
            "_type": #""https://in-toto.io/Statement/v1""#,
            "subject": #"[{"name":"application","digest":{"sha256":"\#(sha256)"}}]"#,
            "predicateType": #""https://countersign.dev/step/v2""#,
            "predicate": #"{"case":"M-1"}"#,
        ]
        for (key, value) in replacing { members[key] = value }
        let text = members.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
        return Array("{\(text)}".utf8)
    }

    static func problems(_ replacing: [String: String?]) -> [String] {
        InTotoStatementValidator.problems(ofStatement: statement(replacing))
    }

    @Test("a statement as the specification shows it passes, with unknown members and other algorithms")
    func accepts() {
        #expect(InTotoStatementValidator.problems(ofStatement: Self.statement()).isEmpty)
        let extended = Self.problems([
            "x-extension": #"{"any":[1,true]}"#,
            "subject": #"""
            [{"name":"a.tar","uri":"pkg:generic/a@1","mediaType":"application/x-tar","annotations":{"k":1},
              "x-field":null,"digest":{"sha256":"\#(Self.sha256)","sha512":"\#(String(repeating: "0", count: 128))",
              "myhash":"XYZ"}},
             {"uri":"https://example.com/b","digest":{"gitCommit":"\#(String(repeating: "1", count: 40))"}}]
            """#,
        ])
        #expect(extended.isEmpty, "\(extended)")
        #expect(Self.problems(["predicate": nil]).isEmpty, "predicate is optional")
    }

    @Test(
        "each broken rule is refused, naming it",
        arguments: [
            (["subject": "[]"], "subject is empty"),
            (["subject": nil], "subject is missing"),
            (["subject": #"{"name":"application"}"#], "subject is not an array"),
            (["subject": #"[{"name":"application"}]"#], "subject[0].digest is missing"),
            (["subject": #"[{"name":"application","digest":{}}]"#], "subject[0].digest is empty"),
            (["subject": #"[{"digest":{"sha256":"\#(sha256.uppercased())"}}]"#], "is not lowercase hex"),
            (["subject": #"[{"name":"a","digest":{"sha256":"abcd"}}]"#], "has 4 hex digits, not 64"),
            (["subject": #"[{"name":"a","digest":{"sha1":12}}]"#], "subject[0].digest.sha1 is not a string"),
            (
                ["subject": #"[{"name":"a","digest":{"sha256":"\#(sha256)"}},{"name":"a","digest":{"x":""}}]"#],
                "subject[1].name \"a\" names another subject too"
            ),
            (["subject": #"[{"name":7,"digest":{"sha256":"\#(sha256)"}}]"#], "subject[0].name is not a string"),
            (["subject": #"["application"]"#], "subject[0] is not an object"),
            (["_type": #""https://in-toto.io/Statement/v0.1""#], "_type is \"https://in-toto.io/Statement/v0.1\""),
            (["_type": nil], "_type is missing"),
            (["predicateType": nil], "predicateType is missing"),
            (["predicateType": #""step-v2""#], "has no scheme"),
            (["predicateType": #""https://Countersign.dev/step/v2""#], "is not case-normalised"),
            (["predicateType": #""https://countersign.dev/step v2""#], "holds a character no URI may hold"),
            (["predicate": #"["a","b"]"#], "predicate is not an object"),
        ] as [([String: String?], String)]
    )
    func refuses(replacing: [String: String?], problem: String) {
        let problems = Self.problems(replacing)
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }

    @Test("what is not a JSON object is refused")
    func notAnObject() {
        for text in ["", "[]", "\"statement\"", "{\"_type\":"] {
            #expect(!InTotoStatementValidator.problems(ofStatement: Array(text.utf8)).isEmpty, "\(text)")
        }
    }

    @Test("a revision-1 entry attaching nothing, as Countersign wrote it before step/v2, is refused: it has no subject")
    func revision1WithoutDocuments() throws {
        let predicate = try StepPredicate(
            pipeline: "mortgage-approval",
            pipelineDigest: Digest(hex: Self.sha256)!,
            caseID: "M-1",
            step: "credit-check",
            party: "bank",
            decision: .approve,
            signedAt: Date(timeIntervalSince1970: 1_795_428_000),
            previous: Digest(hex: Self.sha256)!,
            attaches: nil
        )
        let problems = InTotoStatementValidator.problems(
            ofStatement: Statement(subjects: [], predicate: predicate).json
        )
        #expect(problems == ["subject is empty: a statement applies to at least one artifact"])
    }

    @Test("an envelope is checked too: payload type, base64 in either alphabet, signatures, then its statement")
    func envelopes() throws {
        let key = try Ed25519PrivateKey(seed: SHA256.hash(Array("validator".utf8)).bytes)
        let valid = try Envelope.sign(
            payload: Self.statement(),
            payloadType: InTotoStatementValidator.payloadType,
            key: key
        )
        #expect(InTotoStatementValidator.problems(ofEnvelope: valid.bytes).isEmpty)
        let urlSafe = DSSEWriter(alphabet: .urlSafe, padded: false, extraMembers: #""x":[]"#).envelope(
            payloadType: valid.payloadType,
            payload: valid.payload,
            signatures: [.init(bytes: valid.signature, keyID: .absent)]
        )
        #expect(InTotoStatementValidator.problems(ofEnvelope: urlSafe).isEmpty)
        let empty = try Envelope.sign(
            payload: Self.statement(["subject": "[]"]),
            payloadType: InTotoStatementValidator.payloadType,
            key: key
        )
        #expect(
            InTotoStatementValidator.problems(ofEnvelope: empty.bytes).contains { $0.hasPrefix("subject is empty") }
        )
        let otherType = try Envelope.sign(payload: Self.statement(), payloadType: "text/plain", key: key)
        #expect(
            InTotoStatementValidator.problems(ofEnvelope: otherType.bytes) == [
                "payloadType is not \"application/vnd.in-toto+json\""
            ]
        )
        let unsigned = DSSEWriter().envelope(payloadType: valid.payloadType, payload: valid.payload, signatures: [])
        #expect(InTotoStatementValidator.problems(ofEnvelope: unsigned) == ["signatures is not a non-empty array"])
    }
}
