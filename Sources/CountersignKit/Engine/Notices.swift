import Foundation

/// What waits on each party at one moment, gathered from the open cases' views: the ready steps
/// it can sign (those past their due time with how late), and the cases it takes part in whose
/// window ends within their pipeline's notice period (`expiry.notice`, default 30 days). A pure
/// function of the views: `countersign notices` prints it, `reconcile --notify` hands each party
/// its part (docs/DECISIONS.md, "Notices").
///
/// An expiring case is announced to the parties that can still act on it — those who may sign a
/// step not yet finished — and to the party that opened it; when no party can act (only automatic
/// steps remain), to the pipeline's orchestrator.
public struct Notices: Sendable {
    /// A ready step a party may sign.
    public struct WaitingStep: Sendable, Equatable {
        public let caseID: String
        public let pipeline: String
        public let step: String
        /// When the step became ready.
        public let readySince: Date
        public let dueAt: Date?
        /// Every party that may still sign it (the step may take any of them, or a quorum).
        public let waitingOn: [String]
        /// Parties that signed it already (a quorum not yet reached).
        public let signed: [String]
        /// How long past its due time the step is, when it is.
        public let overdueBy: TimeInterval?
    }

    /// An open case whose window ends within its notice period.
    public struct ExpiringCase: Sendable, Equatable {
        public let caseID: String
        public let pipeline: String
        public let expiresAt: Date
        /// The pipeline's notice period, as written (`30d`, `P2M`).
        public let notice: String
    }

    /// One party's notices.
    public struct PartyNotices: Sendable, Equatable {
        public let party: String
        public var waiting: [WaitingStep] = []
        public var expiring: [ExpiringCase] = []

        public init(party: String) {
            self.party = party
        }

        /// Whether nothing waits on the party.
        public var isEmpty: Bool { waiting.isEmpty && expiring.isEmpty }
        /// The overdue steps among `waiting`.
        public var overdue: [WaitingStep] { waiting.filter { $0.overdueBy != nil } }
    }

    /// The moment the notices are for.
    public let now: Date
    private var byParty: [String: PartyNotices] = [:]

    /// No notices yet, at `now`.
    public init(now: Date) {
        self.now = now
    }

    /// Notices for every case of `views` (views at `now`; closed cases add nothing).
    public init(_ views: some Sequence<CaseView>, now: Date) {
        self.init(now: now)
        for view in views { add(view) }
    }

    /// Adds what one case has waiting.
    public mutating func add(_ view: CaseView) {
        guard view.outcome == .open else { return }
        let caseID = view.state.caseID
        var canAct: Set<String> = []
        for (step, status) in view.steps {
            switch status {
            case .ready(let since, let waitingOn, let signed, let dueAt, let overdue):
                canAct.formUnion(waitingOn)
                let item = WaitingStep(
                    caseID: caseID,
                    pipeline: view.pipeline.id,
                    step: step.id,
                    readySince: since,
                    dueAt: dueAt,
                    waitingOn: waitingOn,
                    signed: signed,
                    overdueBy: overdue ? dueAt.map { now.timeIntervalSince($0) } : nil
                )
                for party in waitingOn { byParty[party, default: PartyNotices(party: party)].waiting.append(item) }
            case .blocked:
                canAct.formUnion(step.authority.signers?.parties ?? [])
            case .done, .rejected, .skipped:
                break
            }
        }
        guard view.isWithinExpiryNotice, let expiresAt = view.expiresAt, let policy = view.pipeline.expiry else {
            return
        }
        let item = ExpiringCase(
            caseID: caseID,
            pipeline: view.pipeline.id,
            expiresAt: expiresAt,
            notice: policy.notice.description
        )
        let told = canAct.isEmpty ? [view.pipeline.orchestrator] : canAct.union([view.state.openedBy])
        for party in told { byParty[party, default: PartyNotices(party: party)].expiring.append(item) }
    }

    /// One party's notices (empty when nothing waits on it).
    public func notices(for party: String) -> PartyNotices {
        var notices = byParty[party] ?? PartyNotices(party: party)
        notices.waiting.sort {
            ($0.dueAt ?? .distantFuture, $0.caseID, $0.step) < ($1.dueAt ?? .distantFuture, $1.caseID, $1.step)
        }
        notices.expiring.sort { ($0.expiresAt, $0.caseID) < ($1.expiresAt, $1.caseID) }
        return notices
    }

    /// Every party with something waiting, by party id.
    public var parties: [PartyNotices] {
        byParty.keys.sorted().map { notices(for: $0) }
    }
}

extension Notices.PartyNotices {
    /// The JSON a `--json` listing and a `--notify` hook get for one party (docs/JSON.md,
    /// "notices"): times in RFC 3339, `overdueSeconds` on overdue steps.
    public func json(now: Date) -> [String: Any] {
        [
            "party": party,
            "now": Timestamp.format(now),
            "waiting": waiting.map { item -> [String: Any] in
                var json: [String: Any] = [
                    "case": item.caseID, "pipeline": item.pipeline, "step": item.step,
                    "readySince": Timestamp.format(item.readySince), "waitingOn": item.waitingOn,
                    "signed": item.signed, "overdue": item.overdueBy != nil,
                ]
                if let dueAt = item.dueAt { json["dueAt"] = Timestamp.format(dueAt) }
                if let late = item.overdueBy { json["overdueSeconds"] = Int(late.rounded(.down)) }
                return json
            },
            "expiring": expiring.map {
                [
                    "case": $0.caseID, "pipeline": $0.pipeline, "expiresAt": Timestamp.format($0.expiresAt),
                    "notice": $0.notice, "secondsLeft": Int($0.expiresAt.timeIntervalSince(now).rounded(.down)),
                ]
            },
        ]
    }
}
