import CountersignKit
import Foundation
import TestSupport

/// Random sign-off sequences on cases of the example pipelines, driven through the real kit
/// in-process (`Orchestrator.openEntry`, `stepEntry`, `submit`, `advance`), each case then checked
/// by `LedgerCaseChecker`. The same seed gives the same run.
final class RandomSignOffs {
    typealias Action = SignOffTally.Action

    let workspace: EngineWorkspace
    let samples: ExampleCases
    let repository: CaseRepository
    let orchestrator: Orchestrator
    var random: SplitMix64
    var tally = SignOffTally()
    /// Each case as the engine showed it at the end of its sequence.
    private(set) var observed: [CaseView] = []

    /// One case being driven: its kind, its clock, and how far its clock may jump.
    struct Sequence {
        let caseID: String
        let profile: ExampleCases.Profile
        var now: Date
        /// Whether `advance` may move this case's clock by months or years (so it can expire).
        let longJumps: Bool
        /// Whether the engine shows the case completed, rejected or expired.
        var isClosed = false

        var pipeline: Pipeline { profile.pipeline }
    }

    static let firstDay = Timestamp.parse("2026-11-02T09:00:00Z")!
    private static let day = 86_400

    /// How often each action is tried, relative to the others.
    private static let weightedActions: [Action] = [
        (Action.guided, 30), (.randomStep, 10), (.unknownStep, 2), (.wrongKey, 4), (.brokenDocument, 5),
        (.missingDocument, 3), (.reject, 2), (.staleHead, 3), (.replay, 3), (.forged, 3), (.backdated, 3),
        (.futureDated, 2), (.reopen, 1), (.advance, 8), (.attach, 5), (.parallel, 5), (.wrongEndorsement, 2),
        (.withdraw, 1),
    ].flatMap { Array(repeating: $0.0, count: $0.1) }

    init(seed: UInt64, store: StoreKind = .sqlite) throws {
        random = SplitMix64(seed: seed)
        workspace = try EngineWorkspace(store: store)
        samples = try ExampleCases(workspace)
        repository = try workspace.freshRepository()
        orchestrator = workspace.orchestrator(over: repository)
    }

    /// Runs `count` cases, each with 10 to 40 attempted actions (at most 4 once the case is
    /// closed), and checks each when its sequence ends.
    func run(cases count: Int) throws {
        // The log's time only moves forward, for every case at once: each case starts a little
        // after the one before ended.
        var clock = Self.firstDay
        for number in 1...count {
            var sequence = Sequence(
                caseID: "case-\(number)",
                profile: random.pick(samples.profiles),
                now: clock + TimeInterval(Int.random(in: 0..<2 * Self.day, using: &random)),
                longJumps: random.chance(0.3)
            )
            defer { clock = max(clock, sequence.now) }
            try open(&sequence)
            var attemptsWhenClosed = 0
            for _ in 0..<Int.random(in: 10...40, using: &random) {
                if sequence.isClosed {
                    attemptsWhenClosed += 1
                    if attemptsWhenClosed > 4 { break }
                }
                sequence.now += TimeInterval(Int.random(in: 1...7_200, using: &random))
                try perform(random.pick(Self.weightedActions), in: &sequence)
            }
            try finish(sequence)
        }
    }

    /// Opens the case as one of its openers, sometimes after a party who may not open it tried.
    private func open(_ sequence: inout Sequence) throws {
        let pipeline = sequence.pipeline
        if random.chance(0.2) {
            let party = random.pick(workspace.partyIDs.filter { !pipeline.openedBy.contains($0) })
            try attempt(.reopen, in: &sequence) { sequence in
                try self.orchestrator.openEntry(
                    pipeline: pipeline,
                    caseID: sequence.caseID,
                    party: party,
                    key: self.workspace.keys[party]!,
                    documents: sequence.profile.opening,
                    now: sequence.now
                )
            }
        }
        let opener = random.pick(pipeline.openedBy)
        let entry = try orchestrator.openEntry(
            pipeline: pipeline,
            caseID: sequence.caseID,
            party: opener,
            key: workspace.keys[opener]!,
            documents: sequence.profile.opening,
            now: sequence.now
        )
        try orchestrator.submit(entry, now: sequence.now)
    }

    /// Records how the engine shows the case now, and checks its entries independently.
    private func finish(_ sequence: Sequence) throws {
        let view = try repository.view(of: sequence.caseID, at: sequence.now)
        observed.append(view)
        let checker = LedgerCaseChecker(
            pipeline: sequence.pipeline,
            parties: workspace.parties,
            store: repository.ledger.store
        )
        let verdict = try checker.check(caseID: sequence.caseID)
        if !verdict.violations.isEmpty {
            let labels = samples.labels
            let history = try checker.history(caseID: sequence.caseID) { labels[$0] ?? String($0.hex.prefix(12)) }
            tally.violations += verdict.violations + ["\(sequence.caseID) (\(sequence.profile.name)):\n\(history)"]
        }
        if verdict.outcome != view.outcome {
            tally.violations.append(
                "\(sequence.caseID): the engine shows it \(view.outcome.rawValue), the checker \(verdict.outcome.rawValue)"
            )
        }
        tally.outcomes[verdict.outcome, default: 0] += 1
    }

    private func perform(_ action: Action, in sequence: inout Sequence) throws {
        if action == .advance { return try advance(&sequence, jumping: true) }
        if action == .guided, try guidedChoice(sequence) == nil {
            // Only automatic work is ready: what `sign` does after a sign-off.
            return try advance(&sequence, jumping: false)
        }
        try attempt(action, in: &sequence) { sequence in try self.entry(for: action, in: sequence) }
    }

    /// Signs an entry, submits it, and counts what happened. An accepted sign-off is followed by
    /// `advance` most of the time, as `countersign sign` fires ready automatic steps.
    private func attempt(
        _ action: Action,
        in sequence: inout Sequence,
        _ make: (Sequence) throws -> SignedEntry
    ) throws {
        tally.attempted[action, default: 0] += 1
        let entry: SignedEntry
        do {
            entry = try make(sequence)
        } catch EngineError.badDocument {
            tally.unsigned[action, default: 0] += 1
            return
        }
        do {
            try orchestrator.submit(entry, now: sequence.now)
        } catch EngineError.refused(_, _, let reasons) {
            tally.countRefusal(action, reasons: reasons)
            return
        }
        tally.accepted[action, default: 0] += 1
        if action.mustBeRefused {
            tally.violations.append(
                "\(sequence.caseID): a \(action.rawValue) entry was accepted: '\(entry.step)' by "
                    + "\(entry.statement.predicate.party) signed with key \((entry.envelope.signatures[0].keyID ?? "").prefix(12))"
            )
        }
        if random.chance(0.7) { try advance(&sequence, jumping: false) }
        sequence.isClosed = try repository.view(of: sequence.caseID, at: sequence.now).outcome != .open
    }

    /// Moves the clock (by up to two years for a case that may expire) and runs `advance`.
    private func advance(_ sequence: inout Sequence, jumping: Bool) throws {
        tally.attempted[.advance, default: 0] += 1
        if jumping {
            let days = sequence.longJumps ? [0, 1, 2, 15, 60, 200, 400, 800] : [0, 0, 1, 2, 5, 15]
            sequence.now += TimeInterval(random.pick(days) * Self.day + Int.random(in: 0...3_600, using: &random))
        }
        let progress = try orchestrator.advance(caseID: sequence.caseID, now: sequence.now)
        if !progress.appended.isEmpty {
            tally.accepted[.advance, default: 0] += 1
            sequence.isClosed = try repository.view(of: sequence.caseID, at: sequence.now).outcome != .open
        }
    }
}
