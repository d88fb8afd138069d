import ArgumentParsing

/// `countersign-pipeline(5)`: the pipeline file format, as FORMATS.md §2 and pipelines/README.md
/// define it, for the reader who has `man` but not the source.
struct PipelineFormatPage {
    let header: ManPage.Header

    var page: ManPage {
        ManPage(
            name: "countersign-pipeline",
            section: 5,
            summary: "Countersign pipeline file format",
            header: header,
            sections: [
                ManPage.Section("SYNOPSIS", [.paragraph([.bold("pipelines/"), .italic("NAME"), .bold(".yaml")])]),
                ManPage.Section("DESCRIPTION", Self.description),
                ManPage.Section("TOP-LEVEL KEYS", Self.topLevel),
                ManPage.Section("STEPS", Self.steps),
                ManPage.Section("EXPIRY", Self.expiry),
                ManPage.Section("DURATIONS", Self.durations),
                ManPage.Section("EXAMPLE", [.example(Self.example)]),
                ManPage.Section(
                    "SEE ALSO",
                    [
                        .paragraph([
                            .bold("countersign"), .plain("(1), "), .bold("countersign-pipeline-check"),
                            .plain("(1), "), .bold("countersign-pipeline-show"), .plain("(1), "),
                            .bold("countersign-propose"), .plain("(1), "), .bold("countersign-open"), .plain("(1)"),
                        ])
                    ]
                ),
            ]
        )
    }

    private static func key(_ name: String, _ text: String) -> ManPage.Block {
        .item(term: [.bold(name)], description: ManPage.spans(text))
    }

    private static let description: [ManPage.Block] = [
        .paragraph(
            ManPage.spans(
                "A pipeline file, YAML in a workspace's `pipelines/` folder, declares a process several parties "
                    + "carry out together: who may open a case, which documents a case carries, which steps must "
                    + "be signed, by whom, in which order, under which conditions and by when."
            )
        ),
        .paragraph(
            ManPage.spans(
                "A file is a proposal: a case can be opened only under a version the consortium approved "
                    + "(`countersign propose`, then `countersign approve`). A version is the file's bytes and "
                    + "every schema it names; cases stay on the version they were opened under. "
                    + "`countersign pipeline check` reports every problem at once, as "
                    + "FILE:LINE:COLUMN: error: MESSAGE."
            )
        ),
        .paragraph(
            ManPage.spans(
                "Ids of pipelines, steps and documents are lowercase letters, digits and `-`. A list of one "
                    + "item may be written as the item (`after: valuation`)."
            )
        ),
    ]

    private static let topLevel: [ManPage.Block] = [
        key("pipeline", "Required. The pipeline's id, which cases name it by."),
        key("title", "Required. Shown in reports."),
        key("version", "Free text, shown in reports."),
        key("opened-by", "Required. The parties that may open a case (at least one)."),
        key("orchestrator", "Required. The party whose key signs automatic steps and expiries."),
        key(
            "documents",
            "A mapping from document name to `{ schema: PATH, revised-by: [STEP...] }` or `{}`. The name becomes "
                + "the XPath variable `$name`; a document attached under it must be valid against the schema "
                + "(XML Schema 1.0, relative to the pipeline file); `revised-by` names steps whose signers may "
                + "attach a newer version."
        ),
        key("expiry", "When an unfinished case expires (see EXPIRY)."),
        key("steps", "Required. The steps, at least one (see STEPS)."),
    ]

    private static let steps: [ManPage.Block] = [
        key("id", "Required, unique; `open` and `expire` are reserved."),
        key(
            "by",
            "Who signs: `party`, `{ any: [p, q] }` (one of them), `{ all: [p, q] }` (each of them) or "
                + "`{ quorum: k, of: [p, q, r] }` (k distinct parties among them)."
        ),
        key("auto", "`true`: the orchestrator signs the step as soon as it is ready. A step has `by` or `auto`."),
        key("after", "Steps that must be done (or skipped) first; no cycles."),
        key("needs", "Documents the case must carry before the step can be signed."),
        key("produces", "Documents the signer attaches when signing (`--doc NAME=FILE`)."),
        key("require", "XPath 1.0 booleans, all true when the step is signed; every document is bound as `$name`."),
        key("if", "An XPath 1.0 boolean; when false once the `after` steps are done, the step is skipped."),
        key("due", "A duration: the step is overdue when not done this long after it became ready."),
        key(
            "on-reject",
            "`end` (the default): a signed rejection ends the case. `continue`: the case goes on. `quorum`: a "
                + "rejection is one vote against a `quorum` or `all` step."
        ),
    ]

    private static let expiry: [ManPage.Block] = [
        key("from", "`open` (the default) or a step id: when the window starts."),
        key("default", "Required. The window's length."),
        key("key", "An XPath expression whose string value picks a row of `windows`."),
        key("windows", "A mapping from key value to duration; other values get `default`."),
        key("notice", "How long before the end the case is announced as expiring (default `30d`)."),
    ]

    private static let durations: [ManPage.Block] = [
        .paragraph(
            ManPage.spans(
                "`Nd` (days), `Nh` (hours), `Nm` (minutes), or ISO 8601: `P1Y`, `P6M`, `P2W`, `P30D`, `PT12H`, and "
                    + "combinations such as `P1Y2M10DT2H30M`. Years and months move the calendar month in UTC; "
                    + "days are 24 hours."
            )
        )
    ]

    private static let example = """
        pipeline: mortgage-approval
        title: Residential mortgage approval
        opened-by: [bank]
        orchestrator: bank
        documents:
          application: { schema: schemas/mortgage-application.xsd }
          valuation:   { schema: schemas/valuation.xsd }
        expiry: { from: open, default: P6M }
        steps:
          - id: credit-check
            by: bank
            needs: [application]
            require: ["number($application/application/loan/amount) <= 2000000"]
          - id: valuation
            by: bank
            after: [credit-check]
            produces: [valuation]
          - id: board-approval
            if: "number($application/application/loan/amount) > 1000000"
            by: { quorum: 2, of: [director-a, director-b, director-c] }
            after: [valuation]
            due: 7d
          - id: funds-release
            auto: true
            after: [board-approval]
        """
}
