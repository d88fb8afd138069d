import CountersignKit
import Testing

@Suite("Pipeline file validation")
struct PipelineValidationTests {
    static let cases: [ValidationCase] = [
        ValidationCase(
            name: "YAML syntax error at libyaml's mark",
            yaml: """
                pipeline: demo
                title: Demo
                  opened-by: [bank]
                """,
            line: 3,
            column: 12,
            message: "invalid YAML: mapping values are not allowed in this context"
        ),
        ValidationCase(
            name: "unterminated quote names where the scalar started",
            yaml: """
                pipeline: demo
                title: "Demo
                opened-by: [bank]
                """,
            line: 3,
            column: 18,
            message: "invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 2, column 8)"
        ),
        ValidationCase(
            name: "empty file",
            yaml: "",
            line: 1,
            column: 1,
            message: "the file is empty"
        ),
        ValidationCase(
            name: "top level not a mapping",
            yaml: "- pipeline: demo\n",
            line: 1,
            column: 1,
            message: "the pipeline must be a mapping of keys, not a list"
        ),
        ValidationCase(
            name: "duplicate key",
            yaml: """
                pipeline: demo
                title: Demo
                title: Other
                opened-by: [bank]
                orchestrator: bank
                steps: [{id: review, by: bank}]
                """,
            line: 3,
            column: 1,
            message: "duplicate key 'title' (first at line 2, column 1)"
        ),
        ValidationCase(
            name: "missing required key",
            yaml: """
                pipeline: demo
                title: Demo
                opened-by: [bank]
                steps: [{id: review, by: bank}]
                """,
            line: 1,
            column: 1,
            message: "missing key 'orchestrator' in the pipeline"
        ),
        ValidationCase(
            name: "unknown key with a suggestion",
            yaml: """
                pipeline: demo
                titel: Demo
                title: Demo
                opened-by: [bank]
                orchestrator: bank
                steps: [{id: review, by: bank}]
                """,
            line: 2,
            column: 1,
            message: "unknown key 'titel' in the pipeline; did you mean 'title'?"
        ),
        ValidationCase(
            name: "wrong type: a list where text belongs",
            yaml: """
                pipeline: demo
                title: [Demo]
                opened-by: [bank]
                orchestrator: bank
                steps: [{id: review, by: bank}]
                """,
            line: 2,
            column: 8,
            message: "'title' must be text, not a list"
        ),
        ValidationCase(
            name: "wrong type: steps as text",
            yaml: """
                pipeline: demo
                title: Demo
                opened-by: [bank]
                orchestrator: bank
                steps: review
                """,
            line: 5,
            column: 8,
            message: "'steps' must be a list of steps, not text 'review'"
        ),
        ValidationCase(
            name: "no steps",
            yaml: """
                pipeline: demo
                title: Demo
                opened-by: [bank]
                orchestrator: bank
                steps: []
                """,
            line: 5,
            column: 8,
            message: "'steps' must list at least one step"
        ),
        ValidationCase(
            name: "bad pipeline id",
            yaml: """
                pipeline: Demo Process
                title: Demo
                opened-by: [bank]
                orchestrator: bank
                steps: [{id: review, by: bank}]
                """,
            line: 1,
            column: 11,
            message: "invalid pipeline id 'Demo Process': use lowercase letters, digits and '-'"
        ),
        ValidationCase(
            name: "bad document name",
            yaml: """
                pipeline: demo
                title: Demo
                opened-by: [bank]
                orchestrator: bank
                documents:
                  Title_Deed: {}
                steps: [{id: review, by: bank}]
                """,
            line: 6,
            column: 3,
            message:
                "invalid document name 'Title_Deed': use lowercase letters, digits and '-', starting with a letter, "
                + "at most 63 characters"
        ),
        ValidationCase(
            name: "unknown orchestrator",
            yaml: """
                pipeline: demo
                title: Demo
                opened-by: [bank]
                orchestrator: banc
                steps: [{id: review, by: bank}]
                """,
            line: 4,
            column: 15,
            message: "undefined party 'banc'; did you mean 'bank'?"
        ),
        ValidationCase(
            name: "unknown opener",
            yaml: """
                pipeline: demo
                title: Demo
                opened-by: [bank, registri]
                orchestrator: bank
                steps: [{id: review, by: bank}]
                """,
            line: 3,
            column: 19,
            message: "undefined party 'registri'; did you mean 'registry'?"
        ),
        ValidationCase(
            name: "no opener",
            yaml: """
                pipeline: demo
                title: Demo
                opened-by: []
                orchestrator: bank
                steps: [{id: review, by: bank}]
                """,
            line: 3,
            column: 12,
            message: "'opened-by' must name at least one party"
        ),
        ValidationCase(
            name: "expiry from an unknown step",
            yaml: """
                pipeline: demo
                title: Demo
                opened-by: [bank]
                orchestrator: bank
                expiry:
                  from: reviw
                  default: 30d
                steps: [{id: review, by: bank}]
                """,
            line: 6,
            column: 9,
            message: "undefined step 'reviw'; did you mean 'review'?"
        ),
        ValidationCase(
            name: "expiry windows without key",
            yaml: """
                pipeline: demo
                title: Demo
                opened-by: [bank]
                orchestrator: bank
                expiry:
                  default: 30d
                  windows: { NSW: P1Y }
                steps: [{id: review, by: bank}]
                """,
            line: 7,
            column: 3,
            message: "'windows' needs 'key', the expression that picks a window"
        ),
        ValidationCase(
            name: "expiry key without windows",
            yaml: """
                pipeline: demo
                title: Demo
                opened-by: [bank]
                orchestrator: bank
                documents: { claim: {} }
                expiry:
                  default: 30d
                  key: "string($claim/claim/territory)"
                steps: [{id: review, by: bank}]
                """,
            line: 8,
            column: 3,
            message: "'key' picks one of 'windows'; add 'windows' or remove 'key'"
        ),
        ValidationCase(
            name: "expiry without a default window",
            yaml: """
                pipeline: demo
                title: Demo
                opened-by: [bank]
                orchestrator: bank
                expiry: { from: open }
                steps: [{id: review, by: bank}]
                """,
            line: 5,
            column: 9,
            message: "missing key 'default' in 'expiry'"
        ),
        ValidationCase(
            name: "bad duration",
            yaml: """
                pipeline: demo
                title: Demo
                opened-by: [bank]
                orchestrator: bank
                expiry: { default: 1y }
                steps: [{id: review, by: bank}]
                """,
            line: 5,
            column: 20,
            message:
                "invalid duration '1y' for 'default': write Nd, Nh, Nm (minutes) or ISO 8601 such as P1Y, P6M, "
                + "P30D, PT12H (whole numbers, longer than zero)"
        ),
    ]

    @Test("each mistake is reported once, at its line and column", arguments: cases)
    func mistake(_ validationCase: ValidationCase) {
        validationCase.check()
    }

    @Test("every problem in a file is reported, in file order")
    func allProblems() {
        let yaml = """
            pipeline: demo
            title: Demo
            opened-by: [bank]
            orchestrator: banc
            steps:
              - id: review
                by: lawyr
                due: soon
            """
        let error = #expect(throws: Diagnostics.self) {
            try Pipeline(bytes: Array(yaml.utf8), path: "p.yaml", parties: ValidationCase.parties)
        }
        #expect(
            error?.all.map(\.description) == [
                "p.yaml:4:15: error: undefined party 'banc'; did you mean 'bank'?",
                "p.yaml:7:9: error: undefined party 'lawyr'; did you mean 'lawyer'?",
                "p.yaml:8:10: error: invalid duration 'soon' for 'due': write Nd, Nh, Nm (minutes) or ISO 8601 "
                    + "such as P1Y, P6M, P30D, PT12H (whole numbers, longer than zero)",
            ]
        )
    }
}
