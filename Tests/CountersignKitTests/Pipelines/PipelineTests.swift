import CountersignKit
import Foundation
import Testing

@Suite("Pipeline model")
struct PipelineTests {
    static let yaml = """
        pipeline: demo
        title: Demo "quoted" process
        opened-by: bank
        orchestrator: bank
        documents:
          application:
        steps:
          - id: release
            auto: true
            after: [approve]
          - id: approve
            by: { all: [bank, lawyer] }
            after: review
            if: "string($application/application/@kind) = \\"home\\""
          - id: review
            by: lawyer
            needs: application
            on-reject: continue
        """

    static func load() throws -> Pipeline {
        try Pipeline(bytes: Array(yaml.utf8), path: "pipelines/demo.yaml", parties: ["bank", "lawyer"])
    }

    @Test("a loaded pipeline keeps its exact bytes; its version digest is the SHA-256 of its files' manifest")
    func digest() throws {
        let pipeline = try Self.load()
        #expect(pipeline.bytes == Array(Self.yaml.utf8))
        // No schema: the manifest is the one line `sha256sum pipeline.yaml` prints.
        let manifest = SHA256.hash(Array(Self.yaml.utf8)).hex + "  pipeline.yaml\n"
        #expect(pipeline.files.manifest == manifest)
        #expect(pipeline.digest == "sha256:" + SHA256.hash(Array(manifest.utf8)).hex)
        #expect(pipeline.digest.count == 7 + 64)
        let reloaded = try Pipeline(files: pipeline.files, path: "stored")
        #expect(reloaded.digest == pipeline.digest)
    }

    @Test("single ids stand for one-item lists, a null document is one without a schema, defaults apply")
    func model() throws {
        let pipeline = try Self.load()
        #expect(pipeline.openedBy == ["bank"])
        #expect(pipeline.documents.map(\.name) == ["application"])
        #expect(pipeline.document("application")?.schemaPath == nil)
        #expect(pipeline.step("approve")?.after == ["review"])
        #expect(pipeline.step("review")?.needs == ["application"])
        #expect(pipeline.step("review")?.onReject == .continue)
        #expect(pipeline.step("approve")?.onReject == .end)
        #expect(
            pipeline.step("approve")?.condition?.location
                == SourceLocation(file: "pipelines/demo.yaml", line: 14, column: 9)
        )
        #expect(pipeline.expiry == nil)
        #expect(pipeline.steps(after: "review").map(\.id) == ["approve"])
    }

    @Test("dependency order puts each step after the steps it waits for, else keeps file order")
    func dependencyOrder() throws {
        #expect(try Self.load().dependencyOrder.map(\.id) == ["review", "approve", "release"])
    }

    @Test("the summary lists parties, documents and each step in dependency order")
    func summary() throws {
        let summary = try Self.load().summary
        #expect(summary.hasPrefix("Pipeline demo: Demo \"quoted\" process\nFile: pipelines/demo.yaml (sha256:"))
        #expect(summary.contains("Opened by: bank\nOrchestrator: bank (signs automatic steps and expiries)\n"))
        #expect(summary.contains("Documents:\n  application  no schema\n"))
        #expect(
            summary.hasSuffix(
                """
                Steps:
                  1. review
                     signed by: lawyer
                     needs: application
                     on reject: the case continues
                  2. approve
                     signed by: all of bank, lawyer
                     after: review
                     only if: string($application/application/@kind) = "home" (otherwise skipped)
                  3. release
                     automatic: done by bank as soon as it is ready
                     after: approve

                """
            )
        )
    }

    @Test("DOT output declares every step once, quotes safely and draws an edge per dependency")
    func dot() throws {
        let dot = try Self.load().dot
        let lines = dot.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.first == "digraph \"demo\" {")
        #expect(lines.last == "}")
        #expect(lines.contains("label=\"Demo \\\"quoted\\\" process\";"))
        let edges = Set(lines.filter { $0.contains(" -> ") })
        #expect(
            edges == [
                "\"open\" -> \"review\";", "\"review\" -> \"approve\";", "\"approve\" -> \"release\";",
            ]
        )
        let declared = lines.filter { $0.hasPrefix("\"") && !$0.contains(" -> ") }.map { $0.prefix { $0 != " " } }
        #expect(declared == ["\"open\"", "\"release\"", "\"approve\"", "\"review\""])
        #expect(
            lines.contains {
                $0.hasPrefix("\"approve\" [label=\"approve\\nall of bank, lawyer\\nif string(") && $0.contains("dashed")
            }
        )
        #expect(lines.contains { $0.hasPrefix("\"release\" [") && $0.contains("shape=ellipse") })
        // Every double quote inside a quoted string is escaped: unescaped quotes pair up on each line.
        for line in lines {
            let unescaped = line.replacingOccurrences(of: "\\\\", with: "").replacingOccurrences(of: "\\\"", with: "")
            #expect(unescaped.filter { $0 == "\"" }.count % 2 == 0)
        }
    }
}
