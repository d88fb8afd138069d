/// The tiny pipelines of the governance property test: no documents, no conditions, no windows,
/// so what decides a sign-off is the consortium (keys, revocations, membership, versions in force).
/// Each is written twice, as the YAML a person proposes and as the model's description of it.
struct GovernancePipelines {
    let path: String
    let text: String
    let openedBy: Set<String>
    let orchestrator: String
    let steps: [GovernanceModel.Step]

    func version(digest: String) -> GovernanceModel.Version {
        let id = text.split(separator: "\n")[0].dropFirst("pipeline: ".count)
        return GovernanceModel.Version(
            pipeline: String(id),
            digest: digest,
            openedBy: openedBy,
            orchestrator: orchestrator,
            steps: steps
        )
    }

    /// `tiny` twice (the second naming `echo`, who must have joined first) and `relay` (naming
    /// `foxtrot` and `echo`).
    static let all = [
        GovernancePipelines(
            path: "pipelines/tiny.yaml",
            text: """
                pipeline: tiny
                title: Tiny governance pipeline
                opened-by: [alpha, bravo]
                orchestrator: alpha
                steps:
                  - id: review
                    by: bravo
                  - id: decide
                    by: { any: [charlie, delta] }
                    after: [review]

                """,
            openedBy: ["alpha", "bravo"],
            orchestrator: "alpha",
            steps: [
                .init(id: "review", signers: ["bravo"], after: []),
                .init(id: "decide", signers: ["charlie", "delta"], after: ["review"]),
            ]
        ),
        GovernancePipelines(
            path: "pipelines/tiny.yaml",
            text: """
                pipeline: tiny
                title: Tiny governance pipeline, second version
                opened-by: [alpha, charlie]
                orchestrator: alpha
                steps:
                  - id: review
                    by: { any: [bravo, echo] }
                  - id: decide
                    by: delta
                    after: [review]

                """,
            openedBy: ["alpha", "charlie"],
            orchestrator: "alpha",
            steps: [
                .init(id: "review", signers: ["bravo", "echo"], after: []),
                .init(id: "decide", signers: ["delta"], after: ["review"]),
            ]
        ),
        GovernancePipelines(
            path: "pipelines/relay.yaml",
            text: """
                pipeline: relay
                title: Relay
                opened-by: [foxtrot, delta]
                orchestrator: delta
                steps:
                  - id: hand-over
                    by: foxtrot
                  - id: take-over
                    by: { any: [echo, bravo] }
                    after: [hand-over]

                """,
            openedBy: ["foxtrot", "delta"],
            orchestrator: "delta",
            steps: [
                .init(id: "hand-over", signers: ["foxtrot"], after: []),
                .init(id: "take-over", signers: ["echo", "bravo"], after: ["hand-over"]),
            ]
        ),
    ]
}
