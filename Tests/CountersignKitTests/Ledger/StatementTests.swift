import CountersignKit
import Foundation
import Testing

@Suite("in-toto statement with the step predicate")
struct StatementTests {
    /// A revision-1 statement (still read in old ledgers), written by hand from FORMATS.md §4
    /// (member order, escaping), not produced by our encoder.
    static let expectedJSON =
        #"{"_type":"https://in-toto.io/Statement/v1","#
        + #""subject":[{"name":"application","digest":{"sha256":"1111111111111111111111111111111111111111111111111111111111111111"}},"#
        + #"{"name":"valuation","digest":{"sha256":"2222222222222222222222222222222222222222222222222222222222222222"}}],"#
        + #""predicateType":"https://countersign.dev/step/v1","#
        + #""predicate":{"pipeline":"mortgage-approval","#
        + #""pipelineDigest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","#
        + #""case":"M-2026-0042","step":"legal-review","party":"lawyer","decision":"approve","#
        + #""signedAt":"2026-11-23T10:00:00Z","#
        + #""previous":"4444444444444444444444444444444444444444444444444444444444444444","#
        + #""note":"checked \"title\" ✓\n\ttab\u0001"}}"#

    static func digest(_ byte: String) -> Digest { Digest(hex: String(repeating: byte, count: 32))! }

    static func example(note: String? = "checked \"title\" ✓\n\ttab\u{01}") throws -> Statement {
        let predicate = try StepPredicate(
            pipeline: "mortgage-approval",
            pipelineDigest: digest("33"),
            caseID: "M-2026-0042",
            step: "legal-review",
            party: "lawyer",
            decision: .approve,
            signedAt: Date(timeIntervalSince1970: 1_795_428_000),
            previous: digest("44"),
            attaches: nil,
            note: note
        )
        return Statement(
            subjects: [
                try Statement.Subject(name: "application", sha256: digest("11")),
                try Statement.Subject(name: "valuation", sha256: digest("22")),
            ],
            predicate: predicate
        )
    }

    /// `expectedJSON` with one substring replaced, for decoding errors.
    static func mutated(_ old: String, _ new: String) -> [UInt8] {
        Array(expectedJSON.replacingOccurrences(of: old, with: new).utf8)
    }

    @Test("encoding gives the hand-written JSON byte for byte")
    func encodesByteForByte() throws {
        #expect(String(decoding: try Self.example().json, as: UTF8.self) == Self.expectedJSON)
    }

    @Test("a statement survives a round trip through JSON")
    func roundTrip() throws {
        let statement = try Self.example()
        let decoded = try Statement(json: statement.json)
        #expect(decoded == statement)
        #expect(decoded.json == statement.json)
        #expect(decoded.predicate.note == "checked \"title\" ✓\n\ttab\u{01}")
    }

    /// A revision-2 statement as Countersign writes it (FORMATS.md §4 revision 2), by hand: the
    /// subjects are every document of the case after the entry, by name; `attaches` names the one
    /// this entry attaches with the SHA-256 of its exact bytes.
    static let expectedRevision2JSON =
        #"{"_type":"https://in-toto.io/Statement/v1","#
        + #""subject":[{"name":"application","digest":{"sha256":"1111111111111111111111111111111111111111111111111111111111111111"}},"#
        + #"{"name":"valuation","digest":{"sha256":"2222222222222222222222222222222222222222222222222222222222222222"}}],"#
        + #""predicateType":"https://countersign.dev/step/v2","#
        + #""predicate":{"pipeline":"mortgage-approval","#
        + #""pipelineDigest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","#
        + #""case":"M-2026-0042","step":"valuation","party":"bank","decision":"approve","#
        + #""signedAt":"2026-11-23T10:00:00Z","#
        + #""previous":"4444444444444444444444444444444444444444444444444444444444444444","#
        + #""attaches":[{"name":"valuation","sha256":"5555555555555555555555555555555555555555555555555555555555555555"}]}}"#

    @Test("a step/v2 statement endorsing the case's documents encodes as written by hand, and decodes back")
    func revision2() throws {
        let predicate = try StepPredicate(
            pipeline: "mortgage-approval",
            pipelineDigest: Self.digest("33"),
            caseID: "M-2026-0042",
            step: "valuation",
            party: "bank",
            decision: .approve,
            signedAt: Date(timeIntervalSince1970: 1_795_428_000),
            previous: Self.digest("44"),
            attaches: [.init(name: "valuation", sha256: Self.digest("55"))]
        )
        #expect(predicate.isRevision2, "revision 2 is the default")
        let statement = try Statement(
            endorsing: ["valuation": Self.digest("22"), "application": Self.digest("11")],
            predicate: predicate
        )
        #expect(String(decoding: statement.json, as: UTF8.self) == Self.expectedRevision2JSON)
        let decoded = try Statement(json: Array(Self.expectedRevision2JSON.utf8))
        #expect(decoded == statement)
        #expect(decoded.endorsedDocuments == ["application": Self.digest("11"), "valuation": Self.digest("22")])
        #expect(decoded.attachments.map(\.sha256) == [Self.digest("55")])
        // What it attaches is among what it endorses.
        #expect(throws: LedgerFormatError.self) {
            try Statement(endorsing: ["application": Self.digest("11")], predicate: predicate)
        }
    }

    @Test(
        "the note is omitted when there is none; an opening entry has an empty previous and, without documents, names its pipeline version"
    )
    func optionalMembers() throws {
        let open = try StepPredicate(
            pipeline: "p",
            pipelineDigest: Self.digest("ab"),
            caseID: "C-1",
            step: "open",
            party: "bank",
            decision: .open,
            signedAt: Date(timeIntervalSince1970: 0.75),
            previous: nil
        )
        let json = String(decoding: try Statement(endorsing: [:], predicate: open).json, as: UTF8.self)
        #expect(json.hasSuffix(#""signedAt":"1970-01-01T00:00:00Z","previous":"","attaches":[]}}"#))
        #expect(json.contains(#""subject":[{"name":"@pipeline/p","digest":{"sha256":"\#(Self.digest("ab").hex)"}}],"#))
        let decoded = try Statement(json: Array(json.utf8))
        #expect(decoded.predicate.previous == nil && decoded.predicate.note == nil)
        #expect(decoded.predicate.signedAt == Date(timeIntervalSince1970: 0))
        #expect(decoded.endorsedDocuments == [:])
        // A step/v2 statement with no subject at all is refused (in-toto wants at least one).
        #expect(throws: LedgerFormatError.self) {
            try Statement(json: Statement(subjects: [], predicate: open).json)
        }
    }

    @Test("decoding accepts any member order, whitespace and JSON escapes")
    func lenientLayout() throws {
        let json = """
            { "predicateType" : "https:\\/\\/countersign.dev\\/step\\/v1",
              "predicate": {"note":"caf\\u00e9 \\ud83d\\ude00","previous":"","signedAt":"2026-01-02T03:04:05Z",
                "decision":"reject","party":"lawyer","step":"legal-review","case":"C","pipelineDigest":
                "sha256:\(String(repeating: "0", count: 64))","pipeline":"p"},
              "subject": [],
              "_type": "https://in-toto.io/Statement/v1" }
            """
        let statement = try Statement(json: Array(json.utf8))
        #expect(statement.predicate.note == "café 😀")
        #expect(statement.predicate.decision == .reject)
        #expect(Timestamp.format(statement.predicate.signedAt) == "2026-01-02T03:04:05Z")
    }

    @Test(
        "decoding refuses wrong types, unknown decisions and bad times with the field named",
        arguments: [
            ("https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1", "_type"),
            ("https://countersign.dev/step/v1", "https://slsa.dev/provenance/v1", "predicateType"),
            (#""decision":"approve""#, #""decision":"approved""#, "predicate.decision"),
            ("2026-11-23T10:00:00Z", "2026-11-23T10:00:00+00:00", "predicate.signedAt"),
            ("2026-11-23T10:00:00Z", "2026-11-23T10:00:00.5Z", "predicate.signedAt"),
            ("2026-11-23T10:00:00Z", "2026-11-23t10:00:00z", "predicate.signedAt"),
            ("2026-11-23T10:00:00Z", "2026-02-29T10:00:00Z", "predicate.signedAt"),
            ("2026-11-23T10:00:00Z", "2026-11-23T24:00:00Z", "predicate.signedAt"),
            ("2026-11-23T10:00:00Z", "2026-11-23T10:00:60Z", "predicate.signedAt"),
            ("sha256:3333", "sha512:3333", "predicate.pipelineDigest"),
            ("\"4444", "\"AAAA", "predicate.previous"),
            ("\"1111", "\"ABCD", "subject.digest.sha256"),
            (#""step":"legal-review""#, #""step":"open""#, "predicate.step"),
            (#""party":"lawyer""#, #""party":"""#, "predicate.party"),
        ]
    )
    func refusesInvalidFields(old: String, new: String, field: String) {
        #expect {
            try Statement(json: Self.mutated(old, new))
        } throws: { error in
            guard case .invalidField(_, let reported, _, _) = error as? LedgerFormatError else { return false }
            return reported == field
        }
    }

    @Test("decoding refuses missing and duplicate members, unknown predicate members, trailing data; note is optional")
    func refusesShape() throws {
        let withoutNote = Self.expectedJSON.replacingOccurrences(
            of: #","note":"checked \"title\" ✓\n\ttab\u0001""#,
            with: ""
        )
        #expect(withoutNote != Self.expectedJSON)
        #expect(try Statement(json: Array(withoutNote.utf8)).predicate.note == nil)
        #expect(throws: LedgerFormatError.missingField(context: "statement", field: "predicate.party")) {
            try Statement(json: Self.mutated(#""party":"lawyer","#, ""))
        }
        #expect(throws: LedgerFormatError.unknownField(context: "statement", field: "predicate.extra")) {
            try Statement(json: Self.mutated(#""party":"lawyer","#, #""party":"lawyer","extra":"x","#))
        }
        #expect(throws: LedgerFormatError.missingField(context: "statement", field: "subject.digest.sha256")) {
            try Statement(json: Self.mutated(#"{"sha256":"2222"#, #"{"sha512":"2222"#))
        }
        #expect {
            try Statement(json: Self.mutated(#""party":"lawyer","#, #""party":"lawyer","party":"bank","#))
        } throws: { error in
            guard case .json(_, _, let reason) = error as? LedgerFormatError else { return false }
            return reason == "duplicate key \"party\""
        }
        #expect(throws: LedgerFormatError.self) { try Statement(json: Array((Self.expectedJSON + "x").utf8)) }
        #expect(throws: LedgerFormatError.self) { try Statement(json: Array(Self.expectedJSON.dropLast().utf8)) }
        #expect(throws: LedgerFormatError.self) { try Statement(json: Self.mutated("\"lawyer\"", "42")) }
    }

    @Test("in-toto's parsing rules: unknown statement and subject members, other digest algorithms ignored")
    func ignoresWhatInTotoSaysToIgnore() throws {
        let expected = try Statement(json: Array(Self.expectedJSON.utf8))
        let widened = [
            Self.mutated(#"{"_type":"#, #"{"future":{"nested":[1,{"x":null}]},"_type":"#),
            Self.mutated(#"{"name":"#, #"{"uri":"urn:example","annotations":{"a":"b"},"name":"#),
            Self.mutated(#"{"sha256":"2222"#, #"{"sha512":"abcd","sha256":"2222"#),
        ]
        for json in widened {
            #expect(json != Array(Self.expectedJSON.utf8))
            #expect(try Statement(json: json) == expected)
        }
        // A digest set's values are strings whatever the algorithm.
        #expect(throws: LedgerFormatError.self) {
            try Statement(json: Self.mutated(#"{"sha256":"2222"#, #"{"sha512":7,"sha256":"2222"#))
        }
    }

    @Test("the opening and expiring steps go with their decisions only")
    func reservedSteps() {
        func predicate(step: String, decision: StepPredicate.Decision) throws -> StepPredicate {
            try StepPredicate(
                pipeline: "p",
                pipelineDigest: Self.digest("00"),
                caseID: "C",
                step: step,
                party: "bank",
                decision: decision,
                signedAt: Date(),
                previous: Self.digest("01")
            )
        }
        #expect(throws: Never.self) { try predicate(step: "expire", decision: .expire) }
        #expect(throws: LedgerFormatError.self) { try predicate(step: "expire", decision: .auto) }
        #expect(throws: LedgerFormatError.self) { try predicate(step: "valuation", decision: .open) }
    }
}
