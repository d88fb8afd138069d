import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Audit bundle of a long case")
struct BundlePerformanceTests {
    @Test("a 50-entry case is bundled, written and verified (its speed is measured by make bench)")
    func fiftyEntries() throws {
        var pipeline = "pipeline: long\ntitle: Fifty entries\nopened-by: [clerk]\norchestrator: clerk\n"
        pipeline += "documents:\n  form: {}\nsteps:\n  - id: s1\n    by: clerk\n"
        for step in 2...49 { pipeline += "  - id: s\(step)\n    by: clerk\n    after: [s\(step - 1)]\n" }
        let workspace = try BundleTestWorkspace(pipeline: pipeline)
        let form = DocumentUpload(name: "form", bytes: Array("<form><n>1</n></form>".utf8), source: "form.xml")
        try workspace.run("LONG-1", documents: [form], steps: (1...49).map { "s\($0)" })

        let target = workspace.folder.url.appendingPathComponent("bundle")
        try workspace.bag(of: "LONG-1").write(to: target) { _ in false }
        var checks: [BundleVerifier.Check] = []
        #expect(BundleVerifier(directory: target).run { checks.append($0) }, "\(checks)")
        #expect(checks.filter { $0.message.hasPrefix("signature: entry") }.count == 50)
    }
}
