import CountersignKit
import Foundation
import TestSupport

/// Random sequences of governance changes and sign-offs, driven through the real kit in-process
/// (`Consortium` for governance, `Orchestrator.openEntry`/`stepEntry`/`submit` for cases) and
/// checked action by action against `GovernanceModel`: the engine must accept exactly what the model
/// accepts, with the same effect (at once, proposed, approved; in force or pending), append one
/// entry per acceptance and none per refusal, and hold the consortium the model holds. The same
/// seed gives the same run.
final class RandomGovernance {
    typealias Action = GovernanceTally.Action
    typealias Verdict = GovernanceModel.Verdict
    typealias Declaration = GovernanceModel.Declaration
    typealias DeclaredKey = GovernanceModel.DeclaredKey

    let seed: UInt64
    var random: SplitMix64
    let folder = TemporaryDirectory()
    let ledgerLocation: String
    let ledger: Ledger
    let consortium: Consortium
    /// Made once the consortium is founded (see `orchestrator()`).
    private var madeOrchestrator: Orchestrator?
    var model: GovernanceModel
    var tally = GovernanceTally()
    /// The run's clock: every entry is signed and submitted at it.
    var now = RandomGovernance.founding
    /// Every private key the run made, by key id.
    var secrets: [String: Ed25519PrivateKey] = [:]
    /// `bravo#2`: the party a key was made for and its number, for messages.
    private var labels: [String: String] = [:]
    private var madeKeys: [String: Int] = [:]
    /// The test pipelines' versions, by digest (hex).
    let pipelines: [String: Pipeline]
    /// The versions in the order `GovernancePipelines.all` lists them.
    let versionDigests: [String]
    /// The last few actions and what became of them, for a disagreement's message.
    private(set) var history: [String] = []
    private var actionNumber = 0
    var caseCount = 0
    var renames = 0

    static let founding = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    /// The founder, the four members it admits at the start, and two parties that may join.
    static let parties = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"]

    init(seed: UInt64, store: StoreKind) throws {
        self.seed = seed
        random = SplitMix64(seed: seed)
        ledgerLocation = try store.freshLocation(in: folder)
        ledger = Ledger(store: try LedgerLocation(ledgerLocation, workspace: folder.url).open())
        consortium = Consortium(ledger: ledger)
        var pipelines: [String: Pipeline] = [:]
        var catalog: [GovernanceModel.Version] = []
        for spec in GovernancePipelines.all {
            let pipeline = try Pipeline(bytes: Array(spec.text.utf8), path: spec.path, parties: nil)
            let digest = pipeline.files.digest.hex
            pipelines[digest] = pipeline
            catalog.append(spec.version(digest: digest))
        }
        self.pipelines = pipelines
        versionDigests = catalog.map(\.digest)
        model = GovernanceModel(catalog: catalog)
    }

    /// Founds the consortium (alpha, then bravo, charlie and delta admitted, golf admitted without
    /// a key, the first version of `tiny` in force), then tries `count` random actions, then audits
    /// the log.
    func run(actions count: Int) throws {
        let founder = try newKey(for: "alpha")
        try found(Declaration(party: "alpha", name: "Alpha", keys: [DeclaredKey(id: founder, since: nil, until: nil)]))
        for party in ["bravo", "charlie", "delta"] {
            let key = try newKey(for: party)
            let file = Declaration(
                party: party,
                name: party.capitalized,
                keys: [DeclaredKey(id: key, since: nil, until: nil)]
            )
            try proposeMember(.admit, file, by: "alpha", key: founder, proofs: [key])
        }
        let golf = Declaration(party: "golf", name: "Golf", keys: [])
        try proposeMember(.admit, golf, by: "alpha", key: founder, proofs: [])
        try proposePipeline(versionDigests[0], by: "alpha", key: founder)
        for _ in 0..<count {
            advanceClock()
            try perform(random.pick(Self.weightedActions))
        }
        try audit()
    }

    /// Moves the clock by minutes or hours, now and then days (a run spans about two months).
    private func advanceClock() {
        let seconds: ClosedRange<Int> =
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<80: 60...10_800
            case 80..<99: 10_800...86_400
            default: 86_400...432_000
            }
        now += TimeInterval(Int.random(in: seconds, using: &random))
    }

    // MARK: Keys and files

    /// A new key made for `party` (or `stranger`), from the run's random numbers.
    func newKey(for party: String) throws -> String {
        let seed = (0..<4).flatMap { _ in withUnsafeBytes(of: random.next().littleEndian) { Array($0) } }
        let key = try Ed25519PrivateKey(seed: seed)
        madeKeys[party, default: 0] += 1
        labels[key.publicKey.keyID] = "\(party)#\(madeKeys[party]!)"
        secrets[key.publicKey.keyID] = key
        return key.publicKey.keyID
    }

    func label(_ keyID: String) -> String { labels[keyID] ?? String(keyID.prefix(12)) }

    /// The party file a declaration is, as a person would write it.
    func partyFile(_ declaration: Declaration) throws -> Party {
        var text = "party: \(declaration.party)\nname: \(declaration.name)\n"
        text += declaration.keys.isEmpty ? "keys: []\n" : "keys:\n"
        for key in declaration.keys {
            text += "  - ed25519: \(Data(secrets[key.id]!.publicKey.spkiDER).base64EncodedString())\n"
            if let since = key.since { text += "    since: \(Timestamp.format(since))\n" }
            if let until = key.until { text += "    until: \(Timestamp.format(until))\n" }
        }
        return try Party(bytes: Array(text.utf8), path: "parties/\(declaration.party).yaml")
    }

    func describe(_ declaration: Declaration) -> String {
        let keys = declaration.keys.map { key in
            guard key.since != nil || key.until != nil else { return label(key.id) }
            let window = "[\(key.since.map(Timestamp.format) ?? "…"), \(key.until.map(Timestamp.format) ?? "…"))"
            return label(key.id) + " " + window
        }
        return "parties/\(declaration.party).yaml (name '\(declaration.name)'; keys \(keys.joined(separator: ", ")))"
    }

    // MARK: Attempts

    /// What the engine did with an action.
    enum Outcome: CustomStringConvertible {
        case accepted(Verdict, GovernanceState?)
        case refused(String)

        var description: String {
            switch self {
            case .accepted(let verdict, _): "\(verdict)"
            case .refused(let reason): "refused: \(reason)"
            }
        }
    }

    /// Asks the model, then the engine; records any disagreement (with the seed and the history) and
    /// goes on from what the engine did.
    func attempt(
        _ kind: Action,
        _ action: GovernanceModel.Action,
        _ description: String,
        engine: () throws -> (Verdict, GovernanceState?)
    ) throws {
        actionNumber += 1
        let before = try ledger.size()
        var predicted = model
        let expected = predicted.perform(action, at: now)
        let outcome: Outcome
        do {
            let (verdict, state) = try engine()
            outcome = .accepted(verdict, state)
        } catch GovernanceError.refused(_, let reason) {
            outcome = .refused(reason)
        } catch let error as GovernanceError where error == .alreadyFounded(entries: before) {
            outcome = .refused(error.description)
        } catch let error as LedgerFormatError where !action.isCaseEntry {
            // A policy whose quorum is not 1 to the number of admins cannot even be written as a
            // statement (the CLI refuses it as a usage error, before signing).
            outcome = .refused("\(error)")
        } catch EngineError.refused(_, _, let reasons) {
            outcome = .refused(reasons.joined(separator: "; "))
        }
        let after = try ledger.size()
        history.append("#\(actionNumber) \(Timestamp.format(now)) \(description): engine \(outcome); model \(expected)")
        if history.count > 16 { history.removeFirst() }

        var problems: [String] = []
        let agrees: Bool
        switch outcome {
        case .accepted(let verdict, _): agrees = verdict == expected
        case .refused: agrees = !expected.isAccepted
        }
        if !agrees { problems.append("the model says \(expected), the engine \(outcome)") }
        let accepted = if case .accepted = outcome { 1 } else { 0 }
        if after - before != accepted {
            problems.append("the log grew by \(after - before) entries, not \(accepted)")
        }
        if agrees {
            model = predicted
            tally.count(kind, expected)
        } else {
            tally.attempted[kind, default: 0] += 1
            if case .accepted = outcome {
                if action.isCaseEntry { model.force(action) } else { model.adopt(try consortium.state(), size: after) }
            }
        }
        model.size = after
        if case .accepted(_, let state?) = outcome {
            try madeOrchestrator?.repository.refreshGovernance()
            let differences = model.differences(from: state, labels: label)
            if !differences.isEmpty {
                problems += differences
                model.adopt(state, size: after)
            }
        }
        if !problems.isEmpty { record(problems, action: "#\(actionNumber) \(description)") }
    }

    private func record(_ problems: [String], action: String) {
        tally.violations.append(
            """
            seed 0x\(String(seed, radix: 16)), action \(action):
              \(problems.joined(separator: "\n  "))
              history:
                \(history.joined(separator: "\n    "))
            """
        )
    }

    /// Runs a governance change and says what its receipt shows.
    func governance(_ change: () throws -> Consortium.Receipt) throws -> (Verdict, GovernanceState?) {
        let receipt = try change()
        let verdict: Verdict =
            switch receipt.outcome {
            case .inForce(let proposal): proposal == nil ? .atOnce : .proposed(inForce: true)
            case .pending: .proposed(inForce: false)
            case .approved(_, let inForce): .approved(inForce: inForce)
            }
        return (verdict, receipt.state)
    }

    /// The orchestrator case entries go through: one for the whole run, its repository's view of
    /// the consortium read again after each governance change, as each command opens it afresh
    /// (the view is a snapshot of one governance entry). The test's pipelines have no automatic
    /// step, so it holds no key.
    func orchestrator() throws -> Orchestrator {
        if let madeOrchestrator { return madeOrchestrator }
        let made = Orchestrator(repository: try CaseRepository(ledger: ledger)) { _, _ in nil }
        madeOrchestrator = made
        return made
    }

    /// Signs and submits a case entry.
    func caseEntry(_ make: () throws -> SignedEntry) throws -> (Verdict, GovernanceState?) {
        try orchestrator().submit(try make(), now: now)
        return (.appended, nil)
    }

    /// The log audited from a fresh connection: no problem, and the consortium the model holds.
    private func audit() throws {
        let store = try LedgerLocation(ledgerLocation, workspace: folder.url).open()
        let outcome = try LogAudit(store: store).run()
        var problems = outcome.report.problems.map(\.description)
        if outcome.report.size != model.size {
            problems.append("the log holds \(outcome.report.size) entries, the model \(model.size)")
        }
        problems += model.differences(from: outcome.governance, labels: label)
        if !problems.isEmpty { record(problems, action: "log audit at the end") }
    }
}
