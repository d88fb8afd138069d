import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Audit bundles: what the builder carries")
struct BundleBuilderTests {
    static let pipeline = """
        pipeline: forms
        title: Forms
        opened-by: [clerk]
        orchestrator: clerk
        documents:
          form: { schema: schemas/form.xsd }
        steps:
          - id: check
            by: clerk
            needs: [form]

        """
    static let form = DocumentUpload(name: "form", bytes: Array("<form><n>1</n></form>".utf8), source: "form.xml")

    static func schema(including location: String) -> String {
        """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:include schemaLocation="\(location)"/>
          <xs:element name="form"><xs:complexType><xs:sequence>
            <xs:element name="n" type="count"/>
          </xs:sequence></xs:complexType></xs:element>
        </xs:schema>
        """
    }

    static let types = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:simpleType name="count"><xs:restriction base="xs:positiveInteger"/></xs:simpleType>
        </xs:schema>
        """

    @Test("the schemas a pipeline names, and the files they include, travel beside pipeline.yaml; the bag verifies")
    func schemasTravel() throws {
        let workspace = try BundleTestWorkspace(
            pipeline: Self.pipeline,
            files: ["schemas/form.xsd": Self.schema(including: "../common/types.xsd"), "common/types.xsd": Self.types]
        )
        try workspace.run("F-1", documents: [Self.form], steps: ["check"])
        let bag = try workspace.bag(of: "F-1")
        #expect(bag.file(["schemas", "form.xsd"]) == Array(Self.schema(including: "../common/types.xsd").utf8))
        #expect(bag.file(["common", "types.xsd"]) == Array(Self.types.utf8))
        let target = workspace.folder.url.appendingPathComponent("bundle")
        try bag.write(to: target) { _ in false }
        var checks: [BundleVerifier.Check] = []
        #expect(BundleVerifier(directory: target).run { checks.append($0) }, "\(checks)")
        #expect(checks.contains { $0.message.contains("the pipeline and 2 files beside it") })
    }

    static let steps = """
        pipeline: steps
        title: Steps
        opened-by: [clerk]
        orchestrator: clerk
        steps:
          - id: first
            by: clerk
          - id: second
            by: clerk
            after: [first]
          - id: third
            by: clerk
            after: [second]

        """

    @Test(
        "of many stored checkpoints the bag carries, for each entry, the newest signed before it and the oldest after it, and every entry's log time"
    )
    func bracketingCheckpoints() throws {
        let workspace = try BundleTestWorkspace(pipeline: Self.steps)
        let ledger = workspace.ledger
        // A checkpoint of the founding alone, before the case.
        _ = try workspace.repository().signCheckpoint(origin: BundleTestWorkspace.origin, key: workspace.key)
        let founded = try ledger.size()
        try workspace.run("S-1", documents: [], steps: ["first", "second", "third"], checkpointEach: true)
        // Another case, and the checkpoint the bag's proofs lead to.
        try workspace.run("S-2", documents: [], steps: ["first"])
        let bag = try workspace.bag(of: "S-1")
        let entries = try ledger.store.entries(ofCase: "S-1")
        let main = try ledger.size()
        // Before the first entry, the founding's checkpoint; after each entry, the one signed right after it.
        let carried = [founded] + entries.map { $0.index + 1 }
        #expect(bag.value(of: "Countersign-Bracketing-Checkpoints") == carried.map(String.init).joined(separator: " "))
        for size in carried {
            let name = String(format: "%08d", size)
            #expect(bag.file(["checkpoints", name + ".txt"]) != nil, "checkpoint \(size)")
            #expect(bag.file(["checkpoints", name + ".consistency"]) != nil, "consistency proof \(size)")
        }
        #expect(bag.file(["checkpoints", String(format: "%08d", main) + ".txt"]) == nil)
        let times = String(decoding: try #require(bag.file(["log-times.txt"])), as: UTF8.self)
        for entry in entries {
            let line = String(format: "%08d ", entry.index) + Timestamp.format(try #require(entry.logTime)) + "\n"
            #expect(times.contains(line), "\(times)")
        }
        let target = workspace.folder.url.appendingPathComponent("bundle")
        try bag.write(to: target) { _ in false }
        var checks: [BundleVerifier.Check] = []
        #expect(BundleVerifier(directory: target).run { checks.append($0) }, "\(checks)")
        for entry in entries {
            let line = checks.first { $0.message.hasPrefix("time: entry \(entry.index) (") }?.message ?? ""
            #expect(
                line.contains(", after checkpoint \(entry.index) (")
                    && line.contains(" and before checkpoint \(entry.index + 1) ("),
                "\(line)"
            )
        }
    }

    @Test(
        "a schema a version (and so a bag) cannot hold is refused when the pipeline loads, saying why",
        arguments: [
            (
                "../../outside.xsd",
                "schema file 'schemas/form.xsd' refers to '../../outside.xsd', which lies outside the pipeline file's folder"
            ),
            (
                "../entries/types.xsd",
                "schema file 'schemas/form.xsd' refers to '../entries/types.xsd', which begins with 'entries', a name bundles use"
            ),
            ("/etc/passwd", "schema file 'schemas/form.xsd' refers to '/etc/passwd', which is an absolute path"),
            (
                "..%2Fouter.xsd",
                "refers to '..%2Fouter.xsd', which is not a plain file path inside the pipeline's folder"
            ),
            (
                "http://127.0.0.1:9/types.xsd",
                "schema file 'schemas/form.xsd' refers to 'http://127.0.0.1:9/types.xsd': a schema may include or import "
                    + "only files of the pipeline's folder, by relative path, never a URL"
            ),
            (
                "file:///etc/passwd",
                "schema file 'schemas/form.xsd' refers to 'file:///etc/passwd': a schema may include"
            ),
        ]
    )
    func unbundlable(location: String, message: String) throws {
        do {
            _ = try BundleTestWorkspace(
                pipeline: Self.pipeline,
                files: [
                    "schemas/form.xsd": Self.schema(including: location), "entries/types.xsd": Self.types,
                    "../outside.xsd": Self.types,
                ]
            )
            Issue.record("a schema outside the pipeline's folder was accepted")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}
