import CountersignKit
import Foundation

/// Issue 5: `bundle` for a 50-step case.
enum BundleBenchmarks {
    static func run() throws {
        Bench.section("Audit bundles (issue 5)")
        let folder = Bench.dataFolder.appendingPathComponent("bundle-50")
        try? FileManager.default.removeItem(at: folder)
        let key = try Ed25519PrivateKey()
        var pipelineText = "pipeline: long\ntitle: Fifty steps\nopened-by: [clerk]\norchestrator: clerk\n"
        pipelineText += "documents:\n  form: {}\nsteps:\n  - id: s1\n    by: clerk\n"
        for step in 2...49 { pipelineText += "  - id: s\(step)\n    by: clerk\n    after: [s\(step - 1)]\n" }
        try write(
            "party: clerk\nname: Clerk\nkeys:\n  - ed25519: \(Data(key.publicKey.spkiDER).base64EncodedString())\n",
            to: folder.appendingPathComponent("parties/clerk.yaml")
        )
        try write(pipelineText, to: folder.appendingPathComponent("pipelines/long.yaml"))
        let origin = "countersign.example/bench"
        let ledger = Ledger(store: try SQLiteLedgerStore(path: folder.appendingPathComponent("ledger.sqlite").path))
        // The clerk founds the consortium with the pipeline in force; the bundle carries those entries.
        try BenchConsortium.found(ledger, workspace: folder, founder: "clerk", keys: ["clerk": key], origin: origin)
        let catalog = PipelineCatalog(
            directory: folder.appendingPathComponent("pipelines"),
            displayPath: "pipelines",
            parties: ["clerk"]
        )
        let repository = try CaseRepository(ledger: ledger)
        let orchestrator = Orchestrator(repository: repository) { _, _ in key }
        guard let pipeline = try catalog.pipeline(named: "long", relativeTo: catalog.directory) else {
            fatalError("no pipeline")
        }
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let form = DocumentUpload(name: "form", bytes: Array("<form><n>1</n></form>".utf8), source: "form.xml")
        try orchestrator.submit(
            try orchestrator.openEntry(
                pipeline: pipeline,
                caseID: "LONG-1",
                party: "clerk",
                key: key,
                documents: [form],
                now: start
            ),
            now: start
        )
        for step in 1...49 {
            let now = start.addingTimeInterval(Double(step) * 60)
            let entry = try orchestrator.stepEntry(
                caseID: "LONG-1",
                step: "s\(step)",
                party: "clerk",
                key: key,
                documents: [],
                note: nil,
                rejectReason: nil,
                now: now
            )
            try orchestrator.submit(entry, now: now)
        }
        _ = try orchestrator.repository.signCheckpoint(origin: origin, key: key)
        var best = Double.infinity
        for round in 0..<5 {
            let target = folder.appendingPathComponent("bundle-\(round)")
            let seconds = try Bench.time {
                let bag = try BundleBuilder(repository: try CaseRepository(ledger: ledger))
                    .bag(
                        of: "LONG-1",
                        now: start.addingTimeInterval(86_400),
                        checkpointSigner: nil,
                        softwareAgent: "bench"
                    )
                try bag.write(to: target) { _ in false }
            }
            best = min(best, seconds)
        }
        Bench.report(
            "bundle a 50-step case (build + write)",
            value: Bench.duration(best),
            against: "ceiling 200 ms",
            ratio: best / 0.2,
            target: "≤ 1.0",
            met: best <= 0.2
        )
    }

    private static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}
