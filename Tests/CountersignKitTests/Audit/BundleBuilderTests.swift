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
        #expect(checks.contains { $0.message.contains("2 schema files") })
    }

    @Test(
        "a schema a version (and so a bag) cannot hold is refused when the pipeline loads, saying why",
        arguments: [
            ("../../outside.xsd", "schema file '../../outside.xsd' lies outside the pipeline file's folder"),
            ("../entries/types.xsd", "schema file '../entries/types.xsd' begins with 'entries', a name bundles use"),
            ("/etc/passwd", "schema file '/etc/passwd' is an absolute path"),
            ("..%2Fouter.xsd", "is not a plain file path inside the pipeline's folder"),
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
