import Foundation
import TestSupport
import Testing

@Suite("doc fingerprint and pipeline check, end to end")
struct DocumentCommandTests {
    static let corpus = ExampleWorkspace.repository.deletingLastPathComponent().appendingPathComponent("shared/corpus")

    /// `xmlstarlet c14n --exc-without-comments FILE | sha256sum`, the reference FORMATS.md names.
    static func reference(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "xmlstarlet c14n --exc-without-comments \"$1\" | sha256sum", "sh", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return "sha256:" + String(decoding: output, as: UTF8.self).prefix(64)
    }

    @Test("doc fingerprint prints sha256:HEX  FILE equal to xmlstarlet's exclusive C14N hash")
    func fingerprints() throws {
        let files = ["ubl/UBL-Invoice-2.1-Example.xml", "iso20022/pain008-musterfile.xml"].map {
            Self.corpus.appendingPathComponent($0).path
        }
        let workspace = Workspace()
        let result = try workspace.cli.run(["doc", "fingerprint"] + files)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines == (try files.map { "\(try Self.reference($0))  \($0)" }))
    }

    @Test("doc fingerprint refuses an entity declaration and a schema violation with exit 1, naming the file")
    func refusals() throws {
        let workspace = Workspace()
        try "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<x>&e;</x>\n"
            .write(toFile: workspace.path("xxe.xml"), atomically: true, encoding: .utf8)
        let xxe = try workspace.cli.run("doc", "fingerprint", "xxe.xml")
        #expect(xxe.status == 1)
        #expect(xxe.stderr.contains("xxe.xml") && !xxe.stderr.contains("root:") && !xxe.stdout.contains("sha256:"))
        let application = ExampleWorkspace.repository.appendingPathComponent(
            "pipelines/samples/mortgage-approval/application-small.xml"
        ).path
        let wrongSchema = ExampleWorkspace.repository.appendingPathComponent("pipelines/schemas/valuation.xsd").path
        let invalid = try workspace.cli.run("doc", "fingerprint", application, "--schema", wrongSchema)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("application-small.xml:"), "\(invalid.stderr)")
        let valid = try workspace.cli.run(
            "doc",
            "fingerprint",
            application,
            "--schema",
            ExampleWorkspace.repository.appendingPathComponent("pipelines/schemas/mortgage-application.xsd").path
        )
        #expect(valid.status == 0, "\(valid.stderr)")
    }

    @Test("pipeline check passes the examples and reports every problem as FILE:LINE:COL: error:")
    func pipelineCheck() throws {
        let w = try ExampleWorkspace(keysFor: [])
        let clean = try w.cli.run("pipeline", "check")
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("pipelines/mortgage-approval.yaml: ok"))
        try """
        pipeline: broken
        title: Broken
        opened-by: [bank]
        orchestrator: bank
        steps:
          - id: a
            by: nobody
            after: [b]
          - id: b
            by: bank
            after: [a]
            requir: ["1 = 1"]

        """.write(toFile: w.path("pipelines/broken.yaml"), atomically: true, encoding: .utf8)
        let broken = try w.cli.run("pipeline", "check", "pipelines/broken.yaml")
        #expect(broken.status == 1)
        let lines = broken.stderr.split(separator: "\n").map(String.init)
        #expect(
            lines.contains {
                $0.hasPrefix("pipelines/broken.yaml:7:") && $0.contains("error:") && $0.contains("nobody")
            },
            "\(lines)"
        )
        #expect(
            lines.contains { $0.hasPrefix("pipelines/broken.yaml:12:") && $0.contains("did you mean 'require'") },
            "\(lines)"
        )
        #expect(lines.contains { $0.contains("a -> b -> a") || $0.contains("b -> a -> b") }, "\(lines)")
        let show = try w.cli.run("pipeline", "show", "mortgage-approval", "--dot")
        #expect(show.status == 0 && show.stdout.hasPrefix("digraph"))
    }

    @Test("pipeline check prints a warning as FILE:LINE:COL: warning: and still exits 0; --json carries it")
    func pipelineCheckWarning() throws {
        let w = try ExampleWorkspace(keysFor: [])
        try """
        pipeline: warned
        title: Warned
        opened-by: [retailer]
        orchestrator: retailer
        documents:
          purchase-order: { schema: schemas/purchase-order.xsd }
        steps:
          - id: accept
            by: manufacturer
            needs: [purchase-order]
            require: ["count($purchase-order/purchase-order/lines) >= 1"]

        """.write(toFile: w.path("pipelines/warned.yaml"), atomically: true, encoding: .utf8)
        let checked = try w.cli.run("pipeline", "check", "pipelines/warned.yaml")
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(
            checked.stderr.split(separator: "\n").map(String.init) == [
                "pipelines/warned.yaml:11:53: warning: XPath step 'lines' of $purchase-order matches nothing: "
                    + "schemas/purchase-order.xsd declares no element 'lines'; did you mean 'line'?"
            ],
            "\(checked.stderr)"
        )
        #expect(checked.stdout.contains("pipelines/warned.yaml: ok (warned, 1 steps, 1 warning)"), "\(checked.stdout)")
        let json = try w.cli.run("pipeline", "check", "pipelines/warned.yaml", "--json")
        #expect(json.status == 0 && json.stderr.isEmpty, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let pipelines = object?["pipelines"] as? [[String: Any]]
        let warnings = pipelines?.first?["warnings"] as? [[String: Any]]
        #expect(warnings?.count == 1)
        #expect(warnings?.first?["severity"] as? String == "warning")
        #expect(warnings?.first?["line"] as? Int == 11 && warnings?.first?["column"] as? Int == 53)
    }
}
