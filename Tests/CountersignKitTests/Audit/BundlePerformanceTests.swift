import CountersignKit
import Foundation
import TestSupport
import Testing

@Suite("Audit bundle speed")
struct BundlePerformanceTests {
    /// A workspace whose pipeline is 49 steps in a row, all signed by one clerk, with one case run
    /// to completion (50 entries) and a checkpoint covering it.
    static func fiftyEntryCase(in folder: TemporaryDirectory) throws -> (CaseRepository, Ed25519PrivateKey) {
        let key = try Ed25519PrivateKey()
        let fileManager = FileManager.default
        for name in ["parties", "pipelines"] {
            try fileManager.createDirectory(
                at: folder.url.appendingPathComponent(name),
                withIntermediateDirectories: true
            )
        }
        let party =
            "party: clerk\nname: The Clerk\nkeys:\n  - ed25519: \(Data(key.publicKey.spkiDER).base64EncodedString())\n"
        try Data(party.utf8).write(to: folder.url.appendingPathComponent("parties/clerk.yaml"))
        var pipeline = "pipeline: long\ntitle: Fifty entries\nopened-by: [clerk]\norchestrator: clerk\n"
        pipeline += "documents:\n  form: {}\nsteps:\n  - id: s1\n    by: clerk\n"
        for step in 2...49 { pipeline += "  - id: s\(step)\n    by: clerk\n    after: [s\(step - 1)]\n" }
        let pipelineURL = folder.url.appendingPathComponent("pipelines/long.yaml")
        try Data(pipeline.utf8).write(to: pipelineURL)

        let parties = try PartyRegistry.load(
            directory: folder.url.appendingPathComponent("parties"),
            displayPath: "parties"
        )
        let ledger = Ledger(store: try SQLiteLedgerStore(path: folder.path("ledger.sqlite")))
        let repository = CaseRepository(
            ledger: ledger,
            parties: parties,
            pipelineDirectory: folder.url.appendingPathComponent("pipelines")
        )
        let orchestrator = Orchestrator(repository: repository) { _ in key }
        let loaded = try Pipeline(contentsOf: pipelineURL, parties: parties.partyIDs)
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let form = DocumentUpload(name: "form", bytes: Array("<form><n>1</n></form>".utf8), source: "form.xml")
        let opening = try orchestrator.openEntry(
            pipeline: loaded,
            caseID: "LONG-1",
            party: "clerk",
            key: key,
            documents: [form],
            now: start
        )
        try orchestrator.submit(opening, pipelineForOpening: loaded, now: start)
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
        _ = try ledger.signCheckpoint(origin: "countersign.example/long", key: key)
        let fresh = CaseRepository(ledger: ledger, parties: parties, pipelineDirectory: repository.pipelineDirectory)
        return (fresh, key)
    }

    @Test("a 50-entry case is bundled and written in under 200 ms, and verifies")
    func fiftyEntries() throws {
        let folder = TemporaryDirectory()
        let (repository, _) = try Self.fiftyEntryCase(in: folder)
        let target = folder.url.appendingPathComponent("bundle")
        let elapsed = try ContinuousClock().measure {
            let bag = try BundleBuilder(repository: repository).bag(
                of: "LONG-1",
                now: Date(timeIntervalSince1970: 1_790_100_000),
                checkpointSigner: nil,
                softwareAgent: "test"
            )
            try bag.write(to: target) { _ in false }
        }
        #expect(elapsed < .milliseconds(200), "bundling took \(elapsed)")
        var checks: [BundleVerifier.Check] = []
        #expect(BundleVerifier(directory: target).run { checks.append($0) }, "\(checks)")
        #expect(checks.filter { $0.message.hasPrefix("signature: entry") }.count == 50)
    }
}
