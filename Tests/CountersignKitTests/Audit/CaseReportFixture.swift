import CountersignKit
import Foundation
import TestSupport
import Testing

/// Cases of the example pipelines, signed in-process into a temporary ledger, to render reports of.
final class CaseReportFixture {
    /// The package root: this file is `Tests/CountersignKitTests/Audit/CaseReportFixture.swift`.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let pipelines = root.appendingPathComponent("pipelines")
    static let mortgageSamples = "samples/mortgage-approval"
    /// The log's origin, fixed at the founding.
    static let origin = "countersign.example/reports"

    let folder = TemporaryDirectory()
    let keys: [String: Ed25519PrivateKey]
    let ledger: Ledger
    let catalog: PipelineCatalog
    let orchestrator: Orchestrator
    /// Entries the founding of the consortium appended before any case.
    let founding: Int
    /// The consortium as founded: every example party with its display name, `bank` the log signer.
    let consortium: GovernanceState

    /// A ledger founding a consortium of every example party, each with a key, and the example
    /// pipelines in force, on a simulated clock.
    init() throws {
        let directory = Self.root.appendingPathComponent("parties")
        var keys: [String: Ed25519PrivateKey] = [:]
        var parties: [Party] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".yaml") {
            let party = String(name.dropLast(5))
            let key = try Ed25519PrivateKey()
            keys[party] = key
            let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
            let path = "parties/\(name)"
            let withKey = try PartyFile.adding(key.publicKey, to: bytes, party: party, name: nil, path: path)
            parties.append(try Party(bytes: withKey, path: path))
        }
        self.keys = keys
        ledger = Ledger(store: try SQLiteLedgerStore(path: folder.path("ledger.sqlite")))
        let catalog = PipelineCatalog(directory: Self.pipelines, displayPath: "pipelines", parties: nil)
        self.catalog = catalog
        consortium = try Consortium(ledger: ledger).bootstrap(
            founder: parties.first { $0.id == "bank" }!,
            parties: parties.sorted { $0.id < $1.id },
            keys: keys,
            pipelines: try catalog.files().map { try catalog.load($0) },
            origin: Self.origin,
            at: Date(timeIntervalSince1970: 1_767_225_600)
        )
        founding = try ledger.size()
        orchestrator = Orchestrator(repository: try CaseRepository(ledger: ledger)) { party, _ in keys[party] }
    }

    static func time(_ text: String) -> Date { Timestamp.parse(text)! }

    /// A consortium founded now on `clock` by `bank` alone, in a ledger of its own (a system
    /// clock's log times are the machine's, so nothing can be signed in the past on it).
    static func founded(clock: ConsortiumSettings.Clock) throws -> GovernanceState {
        let folder = TemporaryDirectory()
        let ledger = Ledger(store: try SQLiteLedgerStore(path: folder.path("ledger.sqlite")))
        let key = try Ed25519PrivateKey()
        let path = "parties/bank.yaml"
        let bytes = Array(try Data(contentsOf: root.appendingPathComponent(path)))
        let withKey = try PartyFile.adding(key.publicKey, to: bytes, party: "bank", name: nil, path: path)
        let consortium = Consortium(ledger: ledger)
        _ = try consortium.found(
            founder: try Party(bytes: withKey, path: path),
            keys: [key],
            origin: origin,
            clock: clock,
            signedAt: Date()
        )
        return try consortium.state()
    }

    func upload(_ name: String, _ file: String) throws -> DocumentUpload {
        let url = Self.pipelines.appendingPathComponent(file)
        return DocumentUpload(name: name, bytes: Array(try Data(contentsOf: url)), source: file)
    }

    func open(
        _ pipelineID: String,
        _ caseID: String,
        as party: String,
        at time: String,
        documents: [DocumentUpload]
    )
        throws
    {
        let pipeline = try catalog.pipeline(named: pipelineID, relativeTo: Self.pipelines)!
        let entry = try orchestrator.openEntry(
            pipeline: pipeline,
            caseID: caseID,
            party: party,
            key: keys[party]!,
            documents: documents,
            now: Self.time(time)
        )
        try orchestrator.submit(entry, now: Self.time(time))
    }

    /// Signs a step (a rejection when `reject` is given) without appending it.
    func entry(
        _ caseID: String,
        _ step: String,
        as party: String,
        at time: String,
        documents: [DocumentUpload] = [],
        note: String? = nil,
        reject: String? = nil
    ) throws -> SignedEntry {
        try orchestrator.stepEntry(
            caseID: caseID,
            step: step,
            party: party,
            key: keys[party]!,
            documents: documents,
            note: note,
            rejectReason: reject,
            now: Self.time(time)
        )
    }

    /// Signs and appends a step, then (unless `advance` is false) fires what became automatic.
    func sign(
        _ caseID: String,
        _ step: String,
        as party: String,
        at time: String,
        documents: [DocumentUpload] = [],
        note: String? = nil,
        reject: String? = nil,
        advance: Bool = true
    ) throws {
        let signed = try entry(caseID, step, as: party, at: time, documents: documents, note: note, reject: reject)
        try orchestrator.submit(signed, now: Self.time(time))
        if advance { _ = try orchestrator.advance(caseID: caseID, now: Self.time(time)) }
    }

    func view(_ caseID: String, at time: String) throws -> CaseView {
        try orchestrator.repository.view(of: caseID, at: Self.time(time))
    }

    /// The demo's large mortgage, end to end: a note, a two-of-three board quorum, title
    /// registration and the automatic release of funds.
    func completedMortgage(_ caseID: String = "M-2026-0042", note: String = "title search clean") throws -> CaseView {
        let samples = Self.mortgageSamples
        try open(
            "mortgage-approval",
            caseID,
            as: "bank",
            at: "2026-11-02T09:00:00Z",
            documents: [try upload("application", "\(samples)/application-large.xml")]
        )
        try sign(caseID, "credit-check", as: "bank", at: "2026-11-02T11:00:00Z")
        try sign(
            caseID,
            "valuation",
            as: "bank",
            at: "2026-11-04T10:00:00Z",
            documents: [try upload("valuation", "\(samples)/valuation.xml")]
        )
        try sign(caseID, "legal-review", as: "lawyer", at: "2026-11-05T15:30:00Z", note: note)
        try sign(caseID, "board-approval", as: "director-a", at: "2026-11-06T10:00:00Z")
        try sign(caseID, "board-approval", as: "director-b", at: "2026-11-06T18:00:00Z")
        try sign(
            caseID,
            "title-registration",
            as: "registry",
            at: "2026-11-09T09:00:00Z",
            documents: [try upload("title-deed", "\(samples)/title-deed.xml")]
        )
        return try view(caseID, at: "2026-11-09T09:00:00Z")
    }

    /// A small mortgage (no board) whose legal review is overdue at `2026-12-01`.
    func overdueMortgage(_ caseID: String = "M-2026-0043") throws -> CaseView {
        let samples = Self.mortgageSamples
        try open(
            "mortgage-approval",
            caseID,
            as: "bank",
            at: "2026-11-02T09:00:00Z",
            documents: [try upload("application", "\(samples)/application-small.xml")]
        )
        try sign(caseID, "credit-check", as: "bank", at: "2026-11-02T11:00:00Z")
        return try view(caseID, at: "2026-12-01T00:00:00Z")
    }

    /// A small mortgage whose credit check the bank rejects, with a reason.
    func rejectedMortgage(_ caseID: String = "M-2026-0044", reason: String) throws -> CaseView {
        try open(
            "mortgage-approval",
            caseID,
            as: "bank",
            at: "2026-11-03T09:00:00Z",
            documents: [try upload("application", "\(Self.mortgageSamples)/application-small.xml")]
        )
        try sign(caseID, "credit-check", as: "bank", at: "2026-11-03T12:00:00Z", reject: reason)
        return try view(caseID, at: "2026-11-03T12:00:00Z")
    }

    /// A lottery claim of two years: opened by the operator, checked, its draw recorded and its
    /// prize determined within two hours, then lodged and paid two years later (a Queensland ticket).
    func twoYearClaim(_ caseID: String = "L-QLD-1") throws -> CaseView {
        let samples = "samples/lotto-claim"
        try open(
            "lotto-claim",
            caseID,
            as: "operator",
            at: "2026-11-22T10:00:00Z",
            documents: [try upload("ticket", "\(samples)/ticket-winning-qld.xml")]
        )
        try sign(caseID, "check-ticket", as: "retailer", at: "2026-11-22T10:05:00Z")
        try sign(
            caseID,
            "record-draw",
            as: "operator",
            at: "2026-11-22T12:00:00Z",
            documents: [try upload("draw-result", "\(samples)/draw-result.xml")]
        )
        try sign(
            caseID,
            "lodge-claim",
            as: "retailer",
            at: "2028-11-20T09:00:00Z",
            documents: [try upload("claim", "\(samples)/claim-qld.xml")]
        )
        try sign(caseID, "pay-prize", as: "operator", at: "2028-11-21T09:00:00Z")
        return try view(caseID, at: "2028-11-21T09:00:00Z")
    }

    /// The checkpoint of the log as it is now, signed by the log signer (`bank`) and cosigned by
    /// each of `witnesses` (party, time), with the case-head proof of `caseID` in it.
    func caseHead(of caseID: String, witnesses: [(String, String)] = []) throws -> CaseHeadProof {
        var note = try orchestrator.repository.signCheckpoint(origin: Self.origin, key: keys["bank"]!)
        let checkpoint = try Checkpoint(note: note)
        for (witness, time) in witnesses {
            let cosignature = try Cosignature.sign(
                checkpoint,
                name: witness,
                key: keys[witness]!,
                time: Self.time(time)
            )
            note = try note.adding(cosignature.noteSignature)
        }
        let (head, siblings) = try #require(try ledger.caseHeadPath(of: caseID, version: Int(checkpoint.size)))
        return CaseHeadProof(head: head, siblings: siblings, note: note)
    }
}
