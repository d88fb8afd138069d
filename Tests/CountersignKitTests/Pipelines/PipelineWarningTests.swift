import CountersignKit
import Testing

@Suite("pipeline check warnings")
struct PipelineWarningTests {
    /// A schema for `<order number="…"><line><quantity/></line></order>`, in no namespace unless `target`.
    private static func orderSchema(target: String? = nil, extra: String = "") -> [UInt8] {
        let namespace = target.map { " targetNamespace=\"\($0)\" elementFormDefault=\"qualified\"" } ?? ""
        return Array(
            """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"\(namespace)>
              <xs:element name="order">
                <xs:complexType>
                  <xs:sequence>
                    <xs:element name="line" maxOccurs="unbounded">
                      <xs:complexType><xs:sequence><xs:element name="quantity" type="xs:integer"/>\(extra)
                      </xs:sequence></xs:complexType>
                    </xs:element>
                  </xs:sequence>
                  <xs:attribute name="number" type="xs:string"/>
                </xs:complexType>
              </xs:element>
            </xs:schema>
            """.utf8
        )
    }

    /// Loads `steps` (YAML under `steps:`) with documents `order` (schema `schema`) and `note` (none).
    private func warnings(_ steps: String, schema: [UInt8] = orderSchema()) throws -> [String] {
        let yaml = """
            pipeline: p
            title: P
            opened-by: [bank]
            orchestrator: bank
            documents:
              order: { schema: schemas/order.xsd }
              note: {}
            steps:
            \(steps)
            """
        let pipeline = try Pipeline(
            bytes: Array(yaml.utf8),
            path: "case.yaml",
            parties: ["bank", "lawyer"],
            schemas: .files(["schemas/order.xsd": schema])
        )
        return pipeline.warnings().map(\.description)
    }

    @Test("paths the schema declares, with predicates, //, @, axes and node tests, give no warning")
    func cleanPaths() throws {
        let found = try warnings(
            """
              - id: a
                by: bank
                require:
                  - "count($order/order/line[quantity > 1]) >= 1"
                  - "sum($order//quantity) > 0 and string($order/order/@number) != ''"
                  - "$order/child::order/attribute::number = $order/order/line/quantity/text()"
                  - "count($order/*/line/..) = 1"
            """
        )
        #expect(found.isEmpty, "\(found)")
    }

    @Test("an element or attribute the schema declares nowhere is a warning at its column, with a suggestion")
    func typo() throws {
        let found = try warnings(
            """
              - id: a
                by: bank
                require: ["count($order/order/lines) > 0 and $order/order/@numbr"]
            """
        )
        #expect(
            found == [
                "case.yaml:11:35: warning: XPath step 'lines' of $order matches nothing: schemas/order.xsd declares "
                    + "no element 'lines'; did you mean 'line'?",
                "case.yaml:11:64: warning: XPath step 'numbr' of $order matches nothing: schemas/order.xsd declares "
                    + "no attribute 'numbr'; did you mean 'number'?",
            ]
        )
    }

    @Test("a name declared only in a namespace never matches without a prefix; a wildcard silences the check")
    func namespaces() throws {
        let found = try warnings(
            """
              - id: a
                by: bank
                if: "count($order/order/line) > 0"
            """,
            schema: Self.orderSchema(target: "urn:example:order")
        )
        #expect(found.count == 2, "\(found)")
        #expect(found.first?.hasPrefix("case.yaml:11:23: warning: XPath step 'order' of $order") == true)
        #expect(found.first?.contains("only in namespace urn:example:order") == true)
        #expect(found.first?.contains("*[local-name()='order']") == true)
        let open = try warnings(
            """
              - id: a
                by: bank
                if: "count($order/order/line/extension) > 0"
            """,
            schema: Self.orderSchema(extra: "<xs:any processContents=\"lax\" minOccurs=\"0\"/>")
        )
        #expect(open.isEmpty, "\(open)")
    }

    @Test("a step that needs a document only a later step produces cannot become ready, nor can steps after it")
    func neverReady() throws {
        let found = try warnings(
            """
              - id: review
                by: bank
                needs: [note]
              - id: write
                by: lawyer
                after: [review]
                produces: [note]
              - id: close
                by: bank
                after: [write]
            """
        )
        #expect(
            found == [
                "case.yaml:9:5: warning: step 'review' cannot become ready in turn: it needs document 'note', which "
                    + "only 'write' produces, after it; it waits until 'note' is attached out of turn",
                "case.yaml:12:5: warning: step 'write' cannot become ready in turn: it comes after step 'review', "
                    + "which cannot",
                "case.yaml:16:5: warning: step 'close' cannot become ready in turn: it comes after step 'review', "
                    + "which cannot",
            ]
        )
        let inOrder = try warnings(
            """
              - id: write
                by: lawyer
                produces: [note]
              - id: review
                by: bank
                after: [write]
                needs: [note]
                require: ["string($note) != ''"]
            """
        )
        #expect(inOrder.isEmpty, "\(inOrder)")
    }

    @Test("a step reading in 'require' a document only a later step produces is a warning")
    func requireReadsLater() throws {
        let found = try warnings(
            """
              - id: review
                by: bank
                require: ["string($note) != ''"]
              - id: write
                by: lawyer
                after: [review]
                produces: [note]
            """
        )
        #expect(
            found.first?.contains("step 'review' cannot become ready in turn: it 'require' reads document 'note'")
                == true,
            "\(found)"
        )
    }

    @Test("a step that both needs and produces a document is a warning")
    func needsAndProduces() throws {
        let found = try warnings(
            """
              - id: a
                by: bank
                needs: [note]
                produces: [note]
            """
        )
        #expect(found.count == 1, "\(found)")
        #expect(
            found.first?.hasPrefix("case.yaml:9:5: warning: step 'a' both needs and produces document 'note'") == true
        )
    }

    @Test("the example pipelines give no warning", arguments: ["mortgage-approval", "lotto-claim", "supply-chain"])
    func examplesClean(name: String) throws {
        let found = try ExamplePipelineTests.load(name).warnings()
        #expect(found.isEmpty, "\(found.map(\.description))")
    }
}
