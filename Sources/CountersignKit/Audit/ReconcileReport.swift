import Foundation

/// What one night's `reconcile` did and found: the contents of `reconcile-DATE.json` and `.html`.
public struct ReconcileReport: Sendable {
    /// One inbox file and what became of it.
    public struct Submission: Sendable {
        public var file: String
        /// `accepted`, `already accepted` (an earlier, interrupted run appended it), `refused`, or
        /// `deferred` (left in the inbox for the next run, the reason says why); in a dry run what
        /// it would be, or `unchecked` (behind another envelope of its case).
        public var outcome: String
        public var caseID: String?
        public var step: String?
        public var entryIndex: Int?
        public var reason: String?
        /// The name it was filed under in `accepted/` or `refused/`, when not its own.
        public var filedAs: String?
        /// Why a decided file could not be moved out of the inbox (the next run files it).
        public var filingProblem: String?

        public init(file: String, outcome: String, caseID: String?, step: String?, entryIndex: Int?, reason: String?) {
            self.file = file
            self.outcome = outcome
            self.caseID = caseID
            self.step = step
            self.entryIndex = entryIndex
            self.reason = reason
        }

        /// Whether it is (would be) in the ledger after the run.
        public var isAccepted: Bool { outcome == "accepted" || outcome == "already accepted" }
    }

    /// How one run verified the log (`Reconciler`, `LogAudit.from`).
    public struct Verification: Sendable {
        /// The tree this machine verified on an earlier night, which the log was proved to extend;
        /// `nil` when every entry was verified.
        public var from: VerifiedTreeState.Head?
        /// The hashes of the consistency proof from `from` to the log verified.
        public var consistencyProofHashes = 0
        /// Why every entry was verified, when it was (`--full`, no earlier tree recorded, ...).
        public var reason: String?

        public init(from: VerifiedTreeState.Head? = nil, consistencyProofHashes: Int = 0, reason: String? = nil) {
            self.from = from
            self.consistencyProofHashes = consistencyProofHashes
            self.reason = reason
        }

        /// One sentence for the report and the command's summary.
        public func description(entriesVerified: Int) -> String {
            guard let from else { return "all \(entriesVerified) entries verified (\(reason ?? "a full pass"))" }
            return "\(entriesVerified) new entries verified after the tree of \(from.size) this machine verified on "
                + "\(Timestamp.format(from.verifiedAt)) (root \(from.root.base64)), which the log extends "
                + "(a consistency proof of \(consistencyProofHashes) hashes)"
        }

        var json: [String: Any] {
            var json: [String: Any] = [
                "mode": from == nil ? "full" : "incremental", "consistencyProofHashes": consistencyProofHashes,
            ]
            if let from {
                json["from"] = [
                    "size": from.size, "rootHash": from.root.base64, "verifiedAt": Timestamp.format(from.verifiedAt),
                ]
            }
            if let reason { json["reason"] = reason }
            return json
        }
    }

    /// A case whose window ends soon: the notice that would have told a lottery winner in time.
    public struct ExpiringCase: Sendable {
        public let caseID: String
        public let pipeline: String
        /// The version governing the case, `ID@sha256:HEX`.
        public let version: String
        public let expiresAt: Date
        public let daysLeft: Int
        /// The pipeline's notice period (`expiry.notice`), as written.
        public let notice: String

        public init(
            caseID: String,
            pipeline: String,
            version: String,
            expiresAt: Date,
            daysLeft: Int,
            notice: String = ExpiryPolicy.defaultNotice.description
        ) {
            self.caseID = caseID
            self.pipeline = pipeline
            self.version = version
            self.expiresAt = expiresAt
            self.daysLeft = daysLeft
            self.notice = notice
        }
    }

    /// One `--notify` hook run: the party it was for, how many notices it was given, and what
    /// went wrong (`nil`: the hook exited 0).
    public struct Notification: Sendable, Equatable {
        public let party: String
        public let notices: Int
        public let failure: String?

        public init(party: String, notices: Int, failure: String?) {
            self.party = party
            self.notices = notices
            self.failure = failure
        }
    }

    /// The time the batch acted at (`--now`).
    public var now: Date
    public var origin: String
    /// A dry run (`reconcile --dry-run`): nothing was written; the report says what would happen.
    public var dryRun = false
    /// The ledger's clock (`simulated`: its times prove nothing).
    public var clock: ConsortiumSettings.Clock?
    public var ledgerSizeBefore = 0
    public var ledgerSizeAfter = 0
    public var rootHash = MerkleHash.empty
    public var submissions: [Submission] = []
    public var entriesVerified = 0
    /// How the log was verified: all of it, or what is new since a tree this machine verified.
    public var verification = Verification()
    /// Entries appended by automatic steps and expiries, as `(case, step)`.
    public var automaticEntries: [(caseID: String, step: String)] = []
    /// The expiries among them, with when each case's window ended.
    public var expiries: [(caseID: String, windowEnded: Date)] = []
    /// Cases that gained entries tonight, from the inbox or automatically.
    public var casesAdvanced: [String] = []
    public var casesCompleted: [String] = []
    public var casesExpired: [String] = []
    public var openCases = 0
    /// Cases this run evaluated in full (others had nothing due, or another machine took them).
    public var casesEvaluated = 0
    public var overdue: [BatchAdvance.OverdueStep] = []
    public var expiringSoon: [ExpiringCase] = []
    public var waitingForKey: [(caseID: String, step: String, party: String)] = []
    /// The `--notify` hook's runs, one per party with notices (empty without `--notify`).
    public var notifications: [Notification] = []
    /// The checkpoint signed at the end, as a C2SP note.
    public var checkpoint: String?
    /// Everything found wrong, in words an operator can act on.
    public var problems: [String] = []
    /// The consortium the night's checks used: its newest governance entry and the pipeline
    /// versions in force (`ID@sha256:HEX`).
    public var governanceHead: Int?
    public var versionsInForce: [String] = []
    /// Seconds each phase took (`ingest`, `verify`, `advance`, `checkpoint`).
    public var timings: [String: Double] = [:]

    public init(now: Date, origin: String) {
        self.now = now
        self.origin = origin
    }

    public var accepted: Int { submissions.filter(\.isAccepted).count }
    public var refused: Int { submissions.filter { $0.outcome == "refused" }.count }
    /// Files left in the inbox for the next run.
    public var deferred: Int { submissions.filter { $0.outcome == "deferred" }.count }
    /// Envelopes a dry run could not check (see `Reconciler`).
    public var unchecked: Int { submissions.filter { $0.outcome == "unchecked" }.count }

    /// The report as one JSON object (keys sorted when serialised). A dry run's has `dryRun: true`,
    /// `inboxUnchecked` among its counts, and every entry and outcome in it is what would be.
    public var json: [String: Any] {
        var json: [String: Any] = [
            "now": Timestamp.format(now),
            "origin": origin,
            "ledger": ["sizeBefore": ledgerSizeBefore, "sizeAfter": ledgerSizeAfter, "rootHash": rootHash.base64],
            "verification": verification.json,
            "counts": [
                "inboxAccepted": accepted, "inboxRefused": refused, "inboxDeferred": deferred,
                "entriesVerified": entriesVerified,
                "automaticEntries": automaticEntries.count, "casesAdvanced": casesAdvanced.count,
                "casesCompleted": casesCompleted.count, "casesExpired": casesExpired.count, "openCases": openCases,
                "casesEvaluated": casesEvaluated,
                "overdueSteps": overdue.count, "expiringWithinNotice": expiringSoon.count, "problems": problems.count,
            ],
            "inbox": submissions.map { submission -> [String: Any] in
                var item: [String: Any] = ["file": submission.file, "outcome": submission.outcome]
                if let caseID = submission.caseID { item["case"] = caseID }
                if let step = submission.step { item["step"] = step }
                if let index = submission.entryIndex { item["entry"] = index }
                if let reason = submission.reason { item["reason"] = reason }
                if let filedAs = submission.filedAs, filedAs != submission.file { item["filedAs"] = filedAs }
                if let problem = submission.filingProblem { item["filingProblem"] = problem }
                return item
            },
            "automaticEntries": automaticEntries.map { ["case": $0.caseID, "step": $0.step] },
            "expiries": expiries.map { ["case": $0.caseID, "windowEnded": Timestamp.format($0.windowEnded)] },
            "casesAdvanced": casesAdvanced,
            "casesCompleted": casesCompleted,
            "casesExpired": casesExpired,
            "overdue": overdue.map {
                ["case": $0.caseID, "step": $0.step, "dueAt": Timestamp.format($0.dueAt), "waitingOn": $0.waitingOn]
                    as [String: Any]
            },
            "expiringWithinNotice": expiringSoon.map {
                [
                    "case": $0.caseID, "pipeline": $0.pipeline, "pipelineVersion": $0.version,
                    "expiresAt": Timestamp.format($0.expiresAt),
                    "daysLeft": $0.daysLeft, "notice": $0.notice,
                ]
                    as [String: Any]
            },
            "notifications": notifications.map { item -> [String: Any] in
                var json: [String: Any] = ["party": item.party, "notices": item.notices, "ok": item.failure == nil]
                if let failure = item.failure { json["failure"] = failure }
                return json
            },
            "waitingForKey": waitingForKey.map { ["case": $0.caseID, "step": $0.step, "party": $0.party] },
            "consortium": ["governanceHead": governanceHead as Any, "versionsInForce": versionsInForce],
            "checkpoint": checkpoint ?? NSNull(),
            "problems": problems,
            "timings": timings.mapValues { ($0 * 1000).rounded() / 1000 },
        ]
        if let clock { json["clock"] = clock.rawValue }
        if dryRun {
            json["dryRun"] = true
            var counts = json["counts"] as? [String: Any] ?? [:]
            counts["inboxUnchecked"] = unchecked
            json["counts"] = counts
        }
        return json
    }

    /// `reconcile-YYYY-MM-DD-HHMMSS`, the stem of this run's report files (the time it acted at).
    public var stem: String {
        let text = Timestamp.format(now)
        return "reconcile-" + text.prefix(10) + "-" + text.dropFirst(11).prefix(8).filter(\.isNumber)
    }

    /// Writes `STEM.json` and `STEM.html` into `folder` — `STEM-2`, `-3`, ... when a run at the
    /// same second wrote there first: a report is never overwritten — then the folder's index
    /// (`ReconcileReportIndex`). Returns the report's two paths.
    @discardableResult
    public func write(to folder: URL) throws -> (json: URL, html: URL) {
        try Self.prepare(folder)
        do {
            return try writeFiles(to: folder)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError.unwritable(path: folder.path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Makes the report folder if need be; throws `ConfigurationError.unwritable` naming it when it
    /// cannot be (a file in its place, a read-only parent) or is not writable.
    public static func prepare(_ folder: URL) throws {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: folder.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ConfigurationError.unwritable(
                path: folder.path,
                reason: "a file is in the way: the reports go in a folder"
            )
        }
        do {
            try files.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ConfigurationError.unwritable(path: folder.path, reason: (error as NSError).localizedDescription)
        }
        guard files.isWritableFile(atPath: folder.path) else {
            throw ConfigurationError.unwritable(path: folder.path, reason: "the folder is not writable")
        }
    }

    private func writeFiles(to folder: URL) throws -> (json: URL, html: URL) {
        let data = try JSONSerialization.data(
            withJSONObject: json,
            options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        )
        var number = 1
        while true {
            let base = number == 1 ? stem : "\(stem)-\(number)"
            let jsonURL = folder.appendingPathComponent(base + ".json")
            let htmlURL = folder.appendingPathComponent(base + ".html")
            if try ExclusiveFile.create(jsonURL, contents: data) {
                guard
                    try ExclusiveFile.create(htmlURL, contents: Data(ReconcileReportHTML.render(self, base: base).utf8))
                else {
                    try? FileManager.default.removeItem(at: jsonURL)
                    number += 1
                    continue
                }
                try ReconcileReportIndex.rebuild(in: folder)
                return (jsonURL, htmlURL)
            }
            number += 1
        }
    }
}
