import CountersignKit
import Foundation
import Testing

@Suite("XML Schema validation")
struct XMLSchemaTests {
    static let loanSchema = """
        <?xml version="1.0"?>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:include schemaLocation="types/amount.xsd"/>
          <xs:element name="application">
            <xs:complexType>
              <xs:sequence>
                <xs:element name="applicant" type="xs:string"/>
                <xs:element name="amount" type="amount"/>
              </xs:sequence>
              <xs:attribute name="id" type="xs:string" use="required"/>
            </xs:complexType>
          </xs:element>
        </xs:schema>
        """
    static let amountSchema = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:simpleType name="amount">
            <xs:restriction base="xs:decimal"><xs:minInclusive value="0"/></xs:restriction>
          </xs:simpleType>
        </xs:schema>
        """

    /// The loan schema and its included file, written to a folder whose name has a space.
    private func loanSchema(in folder: ScratchFolder) throws -> XMLSchema {
        try FileManager.default.createDirectory(
            at: folder.url.appendingPathComponent("loan schemas/types"),
            withIntermediateDirectories: true
        )
        _ = try folder.write(Array(Self.amountSchema.utf8), to: "loan schemas/types/amount.xsd")
        return try XMLSchema(contentsOf: try folder.write(Array(Self.loanSchema.utf8), to: "loan schemas/loan.xsd"))
    }

    private func document(_ text: String, _ source: String = "application.xml") throws(DocumentError) -> XMLDocument {
        try XMLDocument(bytes: Array(text.utf8), source: source)
    }

    @Test("a valid document passes a schema that includes another file")
    func valid() throws {
        let schema = try loanSchema(in: try ScratchFolder())
        try schema.validate(
            try document("<application id=\"A1\">\n<applicant>Zoë</applicant>\n<amount>350000</amount>\n</application>")
        )
    }

    @Test("an invalid document reports every violation with its line")
    func invalid() throws {
        let schema = try loanSchema(in: try ScratchFolder())
        let text = "<application>\n<applicant>Zoë</applicant>\n<amount>-5</amount>\n</application>"
        do {
            try schema.validate(try document(text))
            Issue.record("an invalid document passed")
        } catch {
            guard case .invalid(let source, let violations) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(source == "application.xml")
            #expect(violations.map(\.line) == [1, 3], "\(violations)")
            #expect(violations.allSatisfy { $0.file == "application.xml" })
            #expect(violations[0].message.contains("'id' is required"))
            #expect(violations[1].message.contains("minInclusive"))
            #expect(error.description.hasPrefix("application.xml:1: error: "))
        }
    }

    /// Each UBL example and the 2.5 main-document schema of its kind, where the corpus has one.
    static let ublPairs: [(document: String, schema: String)] = Corpus.documents(in: "ubl").map { file in
        let name = file.lastPathComponent
        let kind = ["Invoice", "Order", "CreditNote"].first { name.hasPrefix("UBL-\($0)-") } ?? "Invoice"
        return (name, "UBL-\(kind)-2.5.xsd")
    }

    /// The folder the UBL schemas import each other from (`maindoc/` imports `../common/`).
    static let ublFolder = Corpus.root.appendingPathComponent("ubl/xsd")

    /// The UBL schemas, loaded once (loading them takes a while).
    static let ublSchemas: [String: XMLSchema] = Dictionary(
        uniqueKeysWithValues: ["Invoice", "Order", "CreditNote"].compactMap { kind in
            let file = "UBL-\(kind)-2.5.xsd"
            return
                (try? XMLSchema(
                    contentsOf: Corpus.root.appendingPathComponent("ubl/xsd/maindoc/\(file)"),
                    inside: ublFolder
                ))
                .map { (file, $0) }
        }
    )

    @Test("the UBL 2.5 schemas load with their imports from local files")
    func ublSchemasLoad() throws {
        #expect(Self.ublSchemas.count == 3)
        _ = try XMLSchema(
            contentsOf: Corpus.root.appendingPathComponent("ubl/xsd/maindoc/UBL-Invoice-2.5.xsd"),
            inside: Self.ublFolder
        )
    }

    @Test(
        "a UBL example validates exactly when xmllint says it does, with line-numbered errors otherwise",
        arguments: ublPairs
    )
    func ublAgreesWithXMLLint(documentName: String, schemaName: String) throws {
        let file = Corpus.root.appendingPathComponent("ubl/\(documentName)")
        let schemaFile = Corpus.root.appendingPathComponent("ubl/xsd/maindoc/\(schemaName)")
        let schema = try #require(Self.ublSchemas[schemaName])
        let (status, _) = try Corpus.run(
            "/usr/bin/xmllint",
            ["--noout", "--nonet", "--schema", schemaFile.path, file.path]
        )
        do {
            try schema.validate(try XMLDocument(contentsOf: file))
            #expect(status == 0, "xmllint rejects \(documentName)")
        } catch {
            #expect(status != 0, "xmllint accepts \(documentName): \(error)")
            guard case .invalid(_, let violations) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(!violations.isEmpty && violations.allSatisfy { $0.line != nil })
        }
    }

    @Test("every UBL invoice and the order and credit note examples validate")
    func ublValidExamples() {
        let valid = Self.ublPairs.filter { pair in
            let document = try? XMLDocument(contentsOf: Corpus.root.appendingPathComponent("ubl/\(pair.document)"))
            return document.map { (try? Self.ublSchemas[pair.schema]?.validate($0)) != nil } ?? false
        }.map(\.document)
        #expect(valid.count == 8, "\(valid)")
        #expect(!valid.contains { $0.hasPrefix("UBL-DespatchAdvice") || $0.hasPrefix("UBL-Waybill") })
    }

    @Test("an edited UBL invoice fails with each bad date's line")
    func ublInvalid() throws {
        let file = Corpus.root.appendingPathComponent("ubl/UBL-Invoice-2.1-Example.xml")
        let text = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "<cbc:IssueDate>2009-12-15<", with: "<cbc:IssueDate>2009-13-45<")
            .replacingOccurrences(of: "<cbc:TaxPointDate>2009-11-30<", with: "<cbc:TaxPointDate>2009-11-31<")
        let schema = try #require(Self.ublSchemas["UBL-Invoice-2.5.xsd"])
        do {
            try schema.validate(try document(text, "invoice.xml"))
            Issue.record("an invoice with impossible dates passed")
        } catch {
            guard case .invalid(_, let violations) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(violations.map(\.line) == [8, 11], "\(violations)")
        }
    }

    @Test("validation leaves the document untouched and can run on many threads at once")
    func concurrentValidation() async throws {
        let file = Corpus.root.appendingPathComponent("ubl/UBL-Invoice-2.0-Enveloped.xml")
        let document = try XMLDocument(contentsOf: file)
        let before = try document.fingerprint()
        let schema = try #require(Self.ublSchemas["UBL-Invoice-2.5.xsd"])
        let passes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { (try? schema.validate(document)) != nil } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(passes == 8)
        #expect(try document.fingerprint() == before)
    }

    /// Loads `text` as `name` in a fresh folder and returns the load error.
    private func loadError(_ text: String, name: String = "broken.xsd") throws -> (DocumentError, URL) {
        let folder = try ScratchFolder()
        let file = try folder.write(Array(text.utf8), to: name)
        do {
            _ = try XMLSchema(contentsOf: file)
        } catch {
            return (error, file)
        }
        Issue.record("schema loaded: \(text)")
        throw CancellationError()
    }

    @Test("a schema that is not well-formed names the file and line")
    func schemaMalformed() throws {
        let (error, file) = try loadError(
            "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n<xs:element name=\"a\">\n</xs:schema>\n"
        )
        guard case .schemaNotLoaded(let path, let problems) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(path == file.path)
        #expect(problems.contains { $0.file == file.path && $0.line == 3 }, "\(problems)")
        #expect(error.description.hasPrefix("\(file.path): error: schema does not load"))
    }

    @Test("a schema referring to an undefined type names the file and line")
    func schemaUndefinedType() throws {
        let (error, file) = try loadError(
            "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n\n<xs:element name=\"a\" type=\"nowhere\"/>\n</xs:schema>\n"
        )
        guard case .schemaNotLoaded(_, let problems) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(
            problems.contains { $0.file == file.path && $0.line == 3 && $0.message.contains("nowhere") },
            "\(problems)"
        )
    }

    @Test("a missing schema file says so")
    func schemaMissing() throws {
        let missing = try ScratchFolder().url.appendingPathComponent("absent.xsd")
        #expect {
            try XMLSchema(contentsOf: missing)
        } throws: { error in
            guard case DocumentError.schemaNotLoaded(let path, let problems) = error else { return false }
            return path == missing.path && problems.contains { $0.message.contains(missing.path) }
        }
    }

    @Test("a schema including a network URL does not load, and no connection is made")
    func schemaNoNetwork() throws {
        let listener = LocalListener()
        let (error, _) = try loadError(
            "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n"
                + "<xs:include schemaLocation=\"\(listener.url("remote.xsd"))\"/>\n</xs:schema>\n"
        )
        #expect(error.description.contains("refused to fetch \(listener.url("remote.xsd"))"), "\(error)")
        #expect(!listener.wasContacted)
    }
}
