import CountersignKit
import Testing

@Suite("Step validation")
struct StepValidationTests {
    /// Every case starts with the same four lines (pipeline, title, opened-by: [bank], orchestrator: bank).
    static let header = "pipeline: demo\ntitle: Demo\nopened-by: [bank]\norchestrator: bank\n"

    static let cases: [ValidationCase] = [
        ValidationCase(
            name: "a step with neither by nor auto",
            yaml: header + """
                documents: { application: {} }
                steps:
                  - id: review
                    needs: [application]
                """,
            line: 7,
            column: 5,
            message: "step 'review' needs 'by' (who signs it) or 'auto: true'"
        ),
        ValidationCase(
            name: "auto: true with a by",
            yaml: header + """
                steps:
                  - id: release
                    auto: true
                    by: bank
                """,
            line: 8,
            column: 5,
            message: "step 'release' has both 'auto: true' and 'by': an automatic step is signed by "
                + "the orchestrator; remove one"
        ),
        ValidationCase(
            name: "auto that is not a boolean",
            yaml: header + """
                steps:
                  - id: release
                    auto: yes
                """,
            line: 7,
            column: 11,
            message: "'auto' must be true or false, not text 'yes'"
        ),
        ValidationCase(
            name: "an automatic step that produces a document",
            yaml: header + """
                documents: { receipt: {} }
                steps:
                  - id: release
                    auto: true
                    produces: [receipt]
                """,
            line: 9,
            column: 5,
            message: "an automatic step cannot produce documents: nobody signs it to attach them"
        ),
        ValidationCase(
            name: "unknown step key with a suggestion",
            yaml: header + """
                steps:
                  - id: review
                    by: bank
                    requires: ["true()"]
                """,
            line: 8,
            column: 5,
            message: "unknown key 'requires' in step 'review'; did you mean 'require'?"
        ),
        ValidationCase(
            name: "a step without an id",
            yaml: header + """
                steps:
                  - by: bank
                """,
            line: 6,
            column: 5,
            message: "missing key 'id' in step 1"
        ),
        ValidationCase(
            name: "bad step id",
            yaml: header + """
                steps:
                  - id: Review_1
                    by: bank
                """,
            line: 6,
            column: 9,
            message: "invalid step id 'Review_1': use lowercase letters, digits and '-', starting "
                + "with a letter or digit, at most 63 characters"
        ),
        ValidationCase(
            name: "duplicate step id",
            yaml: header + """
                steps:
                  - id: review
                    by: bank
                  - id: review
                    by: lawyer
                """,
            line: 8,
            column: 9,
            message: "duplicate step id 'review' (first at line 6, column 9)"
        ),
        ValidationCase(
            name: "reserved step id open",
            yaml: header + """
                steps:
                  - id: open
                    by: bank
                """,
            line: 6,
            column: 9,
            message: "step id 'open' is reserved for the ledger's own entries; choose another"
        ),
        ValidationCase(
            name: "reserved step id expire",
            yaml: header + """
                steps:
                  - id: expire
                    by: bank
                """,
            line: 6,
            column: 9,
            message: "step id 'expire' is reserved for the ledger's own entries; choose another"
        ),
        ValidationCase(
            name: "undefined party in any",
            yaml: header + """
                steps:
                  - id: review
                    by: { any: [bank, lawyr] }
                """,
            line: 7,
            column: 23,
            message: "undefined party 'lawyr'; did you mean 'lawyer'?"
        ),
        ValidationCase(
            name: "undefined step in after",
            yaml: header + """
                steps:
                  - id: review
                    by: bank
                  - id: approve
                    by: bank
                    after: [reveiw]
                """,
            line: 10,
            column: 13,
            message: "undefined step 'reveiw'; did you mean 'review'?"
        ),
        ValidationCase(
            name: "undefined document in needs",
            yaml: header + """
                documents: { application: {} }
                steps:
                  - id: review
                    by: bank
                    needs: [aplication]
                """,
            line: 9,
            column: 13,
            message: "undefined document 'aplication'; did you mean 'application'?"
        ),
        ValidationCase(
            name: "undefined document in produces",
            yaml: header + """
                steps:
                  - id: review
                    by: bank
                    produces: [valuation]
                """,
            line: 8,
            column: 16,
            message: "undefined document 'valuation'"
        ),
        ValidationCase(
            name: "a step listed twice in after",
            yaml: header + """
                steps:
                  - id: a
                    by: bank
                  - id: b
                    by: bank
                    after: [a, a]
                """,
            line: 10,
            column: 16,
            message: "'a' is listed twice in 'after'"
        ),
        ValidationCase(
            name: "a cycle in after, named",
            yaml: header + """
                steps:
                  - id: a
                    by: bank
                    after: [c]
                  - id: b
                    by: bank
                    after: [a]
                  - id: c
                    by: bank
                    after: [b]
                """,
            line: 8,
            column: 13,
            message: "'after' forms a cycle: a -> c -> b -> a"
        ),
        ValidationCase(
            name: "a step after itself",
            yaml: header + """
                steps:
                  - id: a
                    by: bank
                    after: a
                """,
            line: 8,
            column: 12,
            message: "'after' forms a cycle: a -> a"
        ),
        ValidationCase(
            name: "quorum larger than its list",
            yaml: header + """
                steps:
                  - id: board
                    by: { quorum: 3, of: [bank, lawyer] }
                """,
            line: 7,
            column: 19,
            message: "quorum 3 is more than the 2 parties listed in 'of'"
        ),
        ValidationCase(
            name: "quorum of zero",
            yaml: header + """
                steps:
                  - id: board
                    by: { quorum: 0, of: [bank, lawyer] }
                """,
            line: 7,
            column: 19,
            message: "quorum 0 must be at least 1"
        ),
        ValidationCase(
            name: "quorum that is not a number",
            yaml: header + """
                steps:
                  - id: board
                    by: { quorum: two, of: [bank, lawyer] }
                """,
            line: 7,
            column: 19,
            message: "'quorum' must be a whole number, not text 'two'"
        ),
        ValidationCase(
            name: "a party twice in a quorum",
            yaml: header + """
                steps:
                  - id: board
                    by:
                      quorum: 2
                      of: [bank, lawyer, bank]
                """,
            line: 9,
            column: 26,
            message: "'bank' is listed twice in 'of'"
        ),
        ValidationCase(
            name: "quorum without of",
            yaml: header + """
                steps:
                  - id: board
                    by: { quorum: 1 }
                """,
            line: 7,
            column: 9,
            message: "missing key 'of' in 'by': the parties the quorum is counted among"
        ),
        ValidationCase(
            name: "any and all mixed",
            yaml: header + """
                steps:
                  - id: review
                    by: { any: [bank], all: [lawyer] }
                """,
            line: 7,
            column: 9,
            message: "'by' must be a party id, {any: [...]}, {all: [...]} or {quorum: k, of: [...]}"
        ),
        ValidationCase(
            name: "empty all",
            yaml: header + """
                steps:
                  - id: review
                    by: { all: [] }
                """,
            line: 7,
            column: 16,
            message: "'all' must list at least one party"
        ),
        ValidationCase(
            name: "on-reject misspelt",
            yaml: header + """
                steps:
                  - id: review
                    by: bank
                    on-reject: contine
                """,
            line: 8,
            column: 16,
            message: "'on-reject' must be 'end' or 'continue' or 'quorum', not 'contine'; did you mean 'continue'?"
        ),
        ValidationCase(
            name: "bad due duration",
            yaml: header + """
                steps:
                  - id: review
                    by: bank
                    due: 2 weeks
                """,
            line: 8,
            column: 10,
            message: "invalid duration '2 weeks' for 'due': write Nd, Nh, Nm (minutes) or ISO 8601 "
                + "such as P1Y, P6M, P30D, PT12H (whole numbers, longer than zero)"
        ),
        ValidationCase(
            name: "empty require expression",
            yaml: header + """
                steps:
                  - id: review
                    by: bank
                    require: [""]
                """,
            line: 8,
            column: 15,
            message: "'require' is empty: write an XPath expression"
        ),
        ValidationCase(
            name: "XPath naming a document that is not declared, at its $",
            yaml: header + """
                documents: { application: {} }
                steps:
                  - id: review
                    by: bank
                    require: ["number($aplication/application/loan/amount) > 0"]
                """,
            line: 9,
            column: 23,
            message: "XPath in 'require' refers to $aplication, but no document 'aplication' is declared; "
                + "did you mean 'application'?"
        ),
    ]

    @Test("each step mistake is reported once, at its line and column", arguments: cases)
    func mistake(_ validationCase: ValidationCase) {
        validationCase.check()
    }

    @Test("a $ inside an XPath string literal is not a variable")
    func dollarInLiteral() throws {
        let yaml =
            Self.header + """
                documents: { claim: {} }
                steps:
                  - id: pay
                    by: bank
                    if: "string($claim/claim/currency) != '$' and string($claim/claim/note) != \\"$x\\""
                """
        let pipeline = try Pipeline(bytes: Array(yaml.utf8), path: "p.yaml", parties: ValidationCase.parties)
        #expect(
            pipeline.step("pay")?.condition?.source
                == "string($claim/claim/currency) != '$' and string($claim/claim/note) != \"$x\""
        )
    }
}
