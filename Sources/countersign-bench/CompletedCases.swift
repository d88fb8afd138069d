import CountersignKit
import Foundation

/// Completed mortgage approvals (the large loan, so the board signs twice) as `countersign` would
/// have appended them: each entry signed by its party's workspace key (in force in the ledger's
/// consortium), chained to the case's previous entry, with the version digest of the pipeline in
/// force and the document fingerprints of the real files. Eight entries a case.
struct CompletedCases {
    /// The steps of one case in order: (step, party, decision, attached document).
    private static let script: [(step: String, party: String, decision: StepPredicate.Decision, document: String?)] = [
        (StepPredicate.openStep, "bank", .open, "application"),
        ("credit-check", "bank", .approve, nil),
        ("valuation", "bank", .approve, "valuation"),
        ("legal-review", "lawyer", .approve, nil),
        ("board-approval", "director-a", .approve, nil),
        ("board-approval", "director-b", .approve, nil),
        ("title-registration", "registry", .approve, "title-deed"),
        ("funds-release", "bank", .auto, nil),
    ]

    /// The parties whose keys the cases are signed with.
    static let parties = Set(script.map(\.party))

    /// Entries a case has.
    static let entriesPerCase = script.count

    private let pipeline: Pipeline
    private let pipelineDigest: Digest
    private let keys: [String: Ed25519PrivateKey]
    private let documents: [String: StoredDocument]
    private let subjects: [String: Statement.Subject]
    /// When the first case's first step was signed; each later step a few seconds on.
    var start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    /// Reads the pipeline (the version the consortium holds in force: the workspace's file and its
    /// schemas), the sample documents and the parties' keys of `workspace`.
    init(workspace: URL) throws {
        pipeline = try Pipeline(
            contentsOf: workspace.appendingPathComponent("pipelines/mortgage-approval.yaml"),
            parties: Set(try BenchConsortium.parties(in: workspace).map(\.id))
        )
        pipelineDigest = Digest(hex: pipeline.digest.dropFirst("sha256:".count))!
        var keys: [String: Ed25519PrivateKey] = [:]
        for party in Self.parties {
            keys[party] = try KeyFile.load(workspace.appendingPathComponent("out/keys/\(party).pem").path)
        }
        self.keys = keys
        let samples = workspace.appendingPathComponent("pipelines/samples/mortgage-approval")
        var documents: [String: StoredDocument] = [:]
        var subjects: [String: Statement.Subject] = [:]
        for (name, file) in [
            ("application", "application-large.xml"), ("valuation", "valuation.xml"), ("title-deed", "title-deed.xml"),
        ] {
            let bytes = Array(try Data(contentsOf: samples.appendingPathComponent(file)))
            let fingerprint = try XMLDocument(bytes: bytes, source: file).fingerprint()
            documents[name] = StoredDocument(exactBytes: bytes)
            subjects[name] = try Statement.Subject(name: name, sha256: fingerprint.digest)
        }
        self.documents = documents
        self.subjects = subjects
    }

    /// Entries `range` of the sequence of completed cases (a range starts with a case and may end inside one). The first
    /// entry of the sequence carries the documents, filed by their exact bytes as step/v2 entries name them. The pipeline's files are
    /// in the store already, stored with the proposal that brought its version into force.
    func entries(_ range: Range<Int>) throws -> [NewEntry] {
        precondition(range.lowerBound % Self.entriesPerCase == 0, "a range starts with a case")
        var previous: Digest?
        return try range.map { position in
            let (number, stepIndex) = position.quotientAndRemainder(dividingBy: Self.entriesPerCase)
            if stepIndex == 0 { previous = nil }
            let caseID = String(format: "F-%07d", number)
            let bytes = try envelope(number: number, stepIndex: stepIndex, previous: previous)
            let stored = position == 0 ? documents.values.sorted { $0.key < $1.key } : []
            let entry = NewEntry(envelope: bytes, caseID: caseID, expectedPrevious: previous, documents: stored)
            previous = MerkleHash.leaf(bytes)
            return entry
        }
    }

    /// `count` new cases, each only opened (one entry, the large application attached), named
    /// `PREFIX-NNNNNNN`: a night's worth of new cases, each with work waiting.
    func openings(prefix: String, count: Int) throws -> [NewEntry] {
        try (0..<count).map { number in
            let caseID = String(format: "\(prefix)-%07d", number)
            let bytes = try envelope(number: number, stepIndex: 0, previous: nil, caseID: caseID)
            return NewEntry(envelope: bytes, caseID: caseID, expectedPrevious: nil, documents: [])
        }
    }

    /// The signed envelope of one step of case `number`: a step/v2 entry endorsing the documents
    /// attached up to it.
    private func envelope(number: Int, stepIndex: Int, previous: Digest?, caseID: String? = nil) throws -> [UInt8] {
        let step = Self.script[stepIndex]
        let attached = Self.script[...stepIndex].compactMap(\.document)
        let predicate = try StepPredicate(
            pipeline: pipeline.id,
            pipelineDigest: pipelineDigest,
            caseID: caseID ?? String(format: "F-%07d", number),
            step: step.step,
            party: step.party,
            decision: step.decision,
            signedAt: start.addingTimeInterval(Double(number * 40 + stepIndex * 5)),
            previous: previous,
            attaches: step.document.map { [.init(name: $0, sha256: SHA256.hash(documents[$0]!.bytes))] } ?? []
        )
        let statement = try Statement(
            endorsing: Dictionary(uniqueKeysWithValues: attached.map { ($0, subjects[$0]!.sha256) }),
            predicate: predicate
        )
        return try Envelope.sign(statement: statement, key: keys[step.party]!).bytes
    }
}
