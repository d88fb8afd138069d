import CountersignKit

/// What a random run did: each kind of action tried, accepted and refused, why refusals happened,
/// how cases ended, and every broken rule found.
struct SignOffTally: CustomStringConvertible {
    /// What a random action tries.
    enum Action: String, CaseIterable, Comparable {
        /// A ready step (as the engine shows it), a party it waits on, the right documents.
        case guided
        /// Any step of the pipeline (automatic ones too), any party, random documents, sometimes a rejection.
        case randomStep
        /// A step the pipeline does not have.
        case unknownStep
        /// A guided sign-off signed with another party's key or with a key no party holds.
        case wrongKey
        /// A guided sign-off whose documents break a `require`, are of another kind, or are not XML.
        case brokenDocument
        /// A guided sign-off without the documents the step produces.
        case missingDocument
        /// A guided rejection.
        case reject
        /// A guided sign-off signed against an older entry of the case, endorsing the documents as
        /// they stood there (parallel signing: taken only when they still stand so).
        case staleHead
        /// An entry of the ledger submitted again.
        case replay
        /// A hand-made automatic or expire entry, by the orchestrator or someone else.
        case forged
        /// A guided sign-off dated in the past.
        case backdated
        /// A guided sign-off dated a day ahead.
        case futureDated
        /// The case opened again, or opened by a party who may not open it.
        case reopen
        /// The clock moved on and `advance` run.
        case advance
        /// An `attach` entry: a random candidate of a random document, by a party whose step needs or
        /// produces it, or by anyone.
        case attach
        /// A guided sign-off signed against an older entry of the case (as a co-signer who signed
        /// in parallel, or offline), endorsing the case's documents as they stand.
        case parallel
        /// A guided sign-off whose subjects are not the case's documents after it: another version
        /// of one, or one the case does not hold.
        case wrongEndorsement
        /// A `withdraw` entry by the opener, the orchestrator, or anyone.
        case withdraw

        /// Actions whose every attempt must be refused.
        var mustBeRefused: Bool {
            [.unknownStep, .wrongKey, .replay, .futureDated, .reopen, .wrongEndorsement].contains(self)
        }

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Why the engine refused, read from its reasons.
    enum Refusal: String, CaseIterable, Comparable {
        case unknownKey = "is no key of any member"
        case keyOfAnotherParty = "the signing key belongs to"
        case partyNotPermitted = "may not sign step"
        case notEndorsed = "does not endorse the case's documents as they stand"
        case alreadySigned = "already signed step"
        case alreadyDone = "is already done"
        case notAfterSteps = "waiting for step"
        case criterionNotMet = "criterion not met"
        case producesMissing = "produces document"
        case unknownStep = "has no step"
        case automaticStep = "is automatic"
        case caseClosed = "the case is "
        case windowNotPassed = "window has not passed"
        case signedInFuture = "later than log time"
        case datedBeforeLatest = "dated before the entry it extends"
        case alreadyOpen = "is already open"
        case schema = "document '"
        case skipped = "was skipped"
        case notOwner = "may not attach"
        case frozen = "cannot change"
        case endorsement = "does not endorse the case's documents"
        case notWithdrawer = "may not withdraw"

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    var attempted: [Action: Int] = [:]
    var accepted: [Action: Int] = [:]
    var refused: [Action: Int] = [:]
    /// Attempts that could not even be signed (a document that is not XML or not declared).
    var unsigned: [Action: Int] = [:]
    var refusals: [Refusal: Int] = [:]
    var outcomes: [CaseOutcome: Int] = [:]
    /// Every broken rule: an entry the checker refuses, a must-refuse action accepted, a replay
    /// that differs, an unexpected error.
    var violations: [String] = []

    /// Counts one refusal by each kind its reasons show.
    mutating func countRefusal(_ action: Action, reasons: [String]) {
        refused[action, default: 0] += 1
        for kind in Refusal.allCases where reasons.contains(where: { $0.contains(kind.rawValue) }) {
            refusals[kind, default: 0] += 1
        }
    }

    var description: String {
        let actions = attempted.keys.sorted().map {
            "\($0.rawValue) \(attempted[$0] ?? 0)/\(accepted[$0] ?? 0)/\(refused[$0] ?? 0)/\(unsigned[$0] ?? 0)"
        }
        let reasons = refusals.keys.sorted().map { "\($0) \(refusals[$0]!)" }
        let ends = outcomes.keys.sorted { $0.rawValue < $1.rawValue }.map { "\($0.rawValue) \(outcomes[$0]!)" }
        return """
            actions (tried/accepted/refused/unsigned): \(actions.joined(separator: ", "))
            refusals: \(reasons.joined(separator: ", "))
            cases: \(ends.joined(separator: ", ")); violations: \(violations.count)
            """
    }
}
