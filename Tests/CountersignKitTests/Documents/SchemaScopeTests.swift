import CountersignKit
import Foundation
import Testing

/// What libxml2's schema parser may read while it loads a schema: the files of the set or folder it
/// was given, each refused if it declares an entity, and nothing else.
@Suite("XML Schema loading reads only the schema's own files")
struct SchemaScopeTests {
    static let types = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:simpleType name="count"><xs:restriction base="xs:positiveInteger"/></xs:simpleType>
        </xs:schema>
        """

    /// A schema of one element `form` of type `count`, which `reference` (an include, import,
    /// redefine or override element, or nothing) must bring in.
    static func schema(_ reference: String, doctype: String = "") -> String {
        """
        <?xml version="1.0"?>
        \(doctype)<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          \(reference)
          <xs:element name="form" type="count"/>
        </xs:schema>
        """
    }

    static func include(_ location: String) -> String { "<xs:include schemaLocation=\"\(location)\"/>" }

    /// The problems of a schema load that must fail.
    func refusal(_ load: () throws(DocumentError) -> XMLSchema) throws -> String {
        do {
            _ = try load()
        } catch {
            guard case .schemaNotLoaded = error else {
                Issue.record("unexpected \(error)")
                return ""
            }
            return error.description
        }
        Issue.record("the schema loaded")
        return ""
    }

    func memory(_ files: [String: String], main: String = "schemas/form.xsd") throws -> String {
        try refusal { () throws(DocumentError) in
            try XMLSchema(files: files.mapValues { Array($0.utf8) }, main: main)
        }
    }

    @Test("a set's schema including one of its files loads, and validates with it")
    func setLoads() throws {
        let schema = try XMLSchema(
            files: [
                "schemas/form.xsd": Array(Self.schema(Self.include("../common/types.xsd")).utf8),
                "common/types.xsd": Array(Self.types.utf8),
            ],
            main: "schemas/form.xsd"
        )
        try schema.validate(try XMLDocument(bytes: Array("<form>3</form>".utf8), source: "form.xml"))
        #expect(throws: DocumentError.self) {
            try schema.validate(try XMLDocument(bytes: Array("<form>0</form>".utf8), source: "form.xml"))
        }
    }

    @Test(
        "a set's schema referring outside the set is refused, naming the file and the reference, and nothing is read",
        arguments: [
            (Self.include("../../../../../../etc/passwd"), "refused to read /etc/passwd"),
            (Self.include("/etc/hostname"), "refused to read /etc/hostname"),
            (Self.include("file:///etc/hostname"), "refused to read file:///etc/hostname"),
            (Self.include("../common/absent.xsd"), "refused to read common/absent.xsd"),
            (
                "<xs:redefine schemaLocation=\"../../../../../../etc/passwd\"/>",
                "refused to read /etc/passwd"
            ),
            (
                "<xs:import namespace=\"urn:x\" schemaLocation=\"/etc/hostname\"/>",
                "refused to read /etc/hostname"
            ),
        ]
    )
    func setOutside(reference: String, message: String) throws {
        let description = try memory([
            "schemas/form.xsd": Self.schema(reference), "common/types.xsd": Self.types,
        ])
        #expect(description.hasPrefix("schemas/form.xsd: error: schema does not load"), "\(description)")
        #expect(description.contains(message), "\(description)")
        #expect(!description.contains("root:"), "a refused file was read: \(description)")
    }

    @Test("an import of a URL fails the load (libxml2 alone would only warn) and no connection is made")
    func importOfURL() throws {
        let listener = LocalListener()
        let location = listener.url("types.xsd")
        let description = try memory([
            "schemas/form.xsd": Self.schema("<xs:import namespace=\"urn:x\" schemaLocation=\"\(location)\"/>")
        ])
        #expect(description.contains("refused to fetch \(location)"), "\(description)")
        #expect(!listener.wasContacted)
    }

    static let laughs = """
        <!DOCTYPE xs:schema [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>

        """

    static let externalEntity = "<!DOCTYPE xs:schema [ <!ENTITY secret SYSTEM \"file:///etc/passwd\"> ]>\n"

    @Test(
        "a schema file declaring an entity is refused before libxml2's schema parser, which substitutes entities, sees it",
        arguments: [(laughs, "lol"), (externalEntity, "secret")]
    )
    func entities(doctype: String, entity: String) throws {
        let annotated = Self.schema(
            "<xs:annotation><xs:documentation>&\(entity);</xs:documentation></xs:annotation>",
            doctype: doctype
        )
        let main = try memory(["schemas/form.xsd": annotated])
        #expect(main.contains("refused to read schema file schemas/form.xsd"), "\(main)")
        #expect(main.contains("declares entity '\(entity)'"), "\(main)")
        let included = try memory([
            "schemas/form.xsd": Self.schema(Self.include("../common/types.xsd")),
            "common/types.xsd": doctype + Self.types,
        ])
        #expect(included.contains("refused to read schema file common/types.xsd"), "\(included)")
        #expect(!included.contains("root:"))
    }

    @Test("a schema on disk reads files under its folder only: not beside it, not through a symbolic link")
    func folderOnDisk() throws {
        let folder = try ScratchFolder()
        let schemas = folder.url.appendingPathComponent("schemas")
        try FileManager.default.createDirectory(
            at: schemas.appendingPathComponent("common"),
            withIntermediateDirectories: true
        )
        _ = try folder.write(Array(Self.types.utf8), to: "outside.xsd")
        _ = try folder.write(Array(Self.types.utf8), to: "schemas/common/types.xsd")
        let good = try folder.write(Array(Self.schema(Self.include("common/types.xsd")).utf8), to: "schemas/good.xsd")
        _ = try XMLSchema(contentsOf: good)

        let beside = try folder.write(Array(Self.schema(Self.include("../outside.xsd")).utf8), to: "schemas/beside.xsd")
        let besideError = try refusal { () throws(DocumentError) in try XMLSchema(contentsOf: beside) }
        #expect(
            besideError.contains("refused to read \(folder.url.path)/outside.xsd: it lies outside"),
            "\(besideError)"
        )
        #expect(besideError.contains("schemas/beside.xsd:3: error:"), "the including file and line: \(besideError)")
        // With the parent folder allowed, the same file loads.
        _ = try XMLSchema(contentsOf: beside, inside: folder.url)

        try FileManager.default.createSymbolicLink(
            at: schemas.appendingPathComponent("link.xsd"),
            withDestinationURL: folder.url.appendingPathComponent("outside.xsd")
        )
        let linked = try folder.write(Array(Self.schema(Self.include("link.xsd")).utf8), to: "schemas/linked.xsd")
        let linkError = try refusal { () throws(DocumentError) in try XMLSchema(contentsOf: linked) }
        #expect(linkError.contains("a symbolic link leads it outside"), "\(linkError)")

        let laughing = try folder.write(Array(Self.schema("", doctype: Self.laughs).utf8), to: "schemas/laughs.xsd")
        let laughError = try refusal { () throws(DocumentError) in try XMLSchema(contentsOf: laughing) }
        #expect(laughError.contains("declares entity 'lol'"), "\(laughError)")
    }

    @Test("threads loading schemas at once each read their own set only")
    func concurrentSets() async throws {
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for task in 0..<16 {
                group.addTask {
                    // Even tasks hold the included file; odd ones do not, and must never see another task's.
                    var files = ["schemas/form.xsd": Array(Self.schema(Self.include("../common/types.xsd")).utf8)]
                    if task.isMultiple(of: 2) { files["common/types.xsd"] = Array(Self.types.utf8) }
                    let loaded = (try? XMLSchema(files: files, main: "schemas/form.xsd")) != nil
                    return (task, loaded)
                }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.count == 16)
        #expect(outcomes.allSatisfy { $0.value == $0.key.isMultiple(of: 2) }, "\(outcomes)")
    }

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

        """

    @Test(
        "a pipeline version loaded from its files, as verify-bundle loads a bag's, refuses a hostile schema naming the file and the reference",
        arguments: [
            (
                Self.include("../../etc/passwd"),
                "schema file 'schemas/form.xsd' refers to '../../etc/passwd', which lies outside"
            ),
            (
                Self.include("/etc/passwd"),
                "schema file 'schemas/form.xsd' refers to '/etc/passwd', which is an absolute path"
            ),
            (
                "<xs:import namespace=\"urn:x\" schemaLocation=\"https://evil.example/x.xsd\"/>",
                "schema file 'schemas/form.xsd' refers to 'https://evil.example/x.xsd': a schema may include or import only"
            ),
            ("<xs:override schemaLocation=\"file:///etc/passwd\"/>", "refers to 'file:///etc/passwd'"),
        ]
    )
    func versionFromFiles(reference: String, message: String) throws {
        let files = PipelineFiles(
            pipeline: Array(Self.pipeline.utf8),
            schemas: ["schemas/form.xsd": Array(Self.schema(reference).utf8)]
        )
        #expect {
            try Pipeline(files: files, path: "data/pipeline.yaml")
        } throws: { error in
            "\(error)".hasPrefix("data/pipeline.yaml:") && "\(error)".contains(message)
        }
        let laughing = PipelineFiles(
            pipeline: Array(Self.pipeline.utf8),
            schemas: ["schemas/form.xsd": Array(Self.schema("", doctype: Self.laughs).utf8)]
        )
        #expect {
            try Pipeline(files: laughing, path: "data/pipeline.yaml")
        } throws: { error in
            "\(error)".contains("declares entity 'lol'")
        }
    }
}
