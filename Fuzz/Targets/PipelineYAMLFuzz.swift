import CountersignKit

/// Pipeline files (`Pipeline(bytes:path:parties:schemas:)`, the libyaml reader and the loader):
/// loading is deterministic, problems included, and an accepted pipeline loads again from its
/// version files alone — what the ledger stores — as the same version with the same steps.
enum PipelineYAMLFuzz {
    static let path = "pipelines/fuzz.yaml"
    static let schemas = ["schemas/valuation.xsd": XMLFixtures.valuationSchema]

    static let target = FuzzTarget(name: "pipeline-yaml", dictionary: "yaml") { bytes throws(FuzzFailure) in
        let first = load(bytes)
        try FuzzFailure.expect(load(bytes).summary == first.summary, "loading the same file twice gives two outcomes")
        guard let pipeline = first.pipeline else { return }
        try FuzzFailure.expect(pipeline.bytes == bytes, "the pipeline does not keep its file's bytes")
        let reloaded: Pipeline
        do {
            reloaded = try Pipeline(files: pipeline.files, path: path)
        } catch {
            throw FuzzFailure("an accepted pipeline does not load from its version files: \(error)")
        }
        try FuzzFailure.expect(
            summary(of: reloaded) == summary(of: pipeline),
            "the pipeline reloaded from its version files differs"
        )
    }

    private static func load(_ bytes: [UInt8]) -> (pipeline: Pipeline?, summary: String) {
        do {
            let pipeline = try Pipeline(bytes: bytes, path: path, parties: nil, schemas: .files(schemas))
            return (pipeline, summary(of: pipeline))
        } catch {
            return (nil, "refused: \(error)")
        }
    }

    /// What two loads of one version must agree on.
    private static func summary(of pipeline: Pipeline) -> String {
        let steps = pipeline.dependencyOrder.map { step in
            "\(step.id) after \(step.after) needs \(step.needs) produces \(step.produces) "
                + "require \(step.requirements.map(\.xpath.source)) if \(step.condition?.xpath.source ?? "-")"
        }
        return "\(pipeline.versionName) \(pipeline.title) opened by \(pipeline.openedBy) "
            + "documents \(pipeline.documents.count) steps \(steps)"
    }
}
