import Foundation

/// Time the log vouches for, as a bundle carries it: `data/log-times.txt` gives each entry's log
/// time; nothing signs those lines by themselves, but every checkpoint states the log time of its
/// newest entry, signed by the log and cosigned, with its own time, by witnesses. A checkpoint of
/// at most `i` entries was signed before the log received entry `i`, so its log time is no later
/// than the entry's; one of more entries includes it, so its log time is no earlier. The bag carries
/// for each case entry the newest such checkpoint below it and the oldest above it (the bundle's
/// checkpoint, `data/checkpoint.txt`, is above every entry), each with a consistency proof to
/// `data/checkpoint.txt`.
extension BundleVerifier {
    /// An entry of the bag, case or governance, with its log time.
    private struct TimedEntry {
        let index: Int
        let label: String
        let time: Date?
    }

    /// A checkpoint of the bag: an earlier one, or `data/checkpoint.txt`.
    private struct BagCheckpoint {
        let label: String
        let path: String
        let note: SignedNote
        let checkpoint: Checkpoint
        var size: Int { Int(checkpoint.size) }
    }

    private func timedEntries(_ contents: BundleContents) -> [TimedEntry] {
        (contents.governance.map { TimedEntry(index: $0.index, label: $0.label, time: $0.entry.logTime) }
            + contents.entries.map { TimedEntry(index: $0.index, label: $0.label, time: $0.event.logTime) })
            .sorted { $0.index < $1.index }
    }

    private func bagCheckpoints(_ contents: BundleContents) -> [BagCheckpoint] {
        contents.checkpoints.map {
            BagCheckpoint(label: $0.label, path: $0.path, note: $0.note, checkpoint: $0.checkpoint)
        } + [
            BagCheckpoint(
                label: "checkpoint \(contents.checkpoint.size) (data/checkpoint.txt)",
                path: "data/checkpoint.txt",
                note: contents.note,
                checkpoint: contents.checkpoint
            )
        ]
    }

    /// Whether the bag records log times: any entry has one, or any checkpoint states one. A bag of
    /// a log that kept none (entries stored before log times were kept) has neither.
    func recordsLogTimes(_ contents: BundleContents) -> Bool {
        !contents.logTimes.isEmpty || bagCheckpoints(contents).contains { $0.checkpoint.logTime != nil }
    }

    /// The log times, before the signature check and the replay judge the case entries by them (the
    /// governance fold, before this, judged the governance entries' key windows by theirs): every
    /// entry of the bag has one, and every checkpoint one line stating it; the earlier checkpoints
    /// are prefixes of `data/checkpoint.txt` (by their consistency proofs); the times never go back
    /// along the log, neither the entries' nor the checkpoints'; each checkpoint states its newest
    /// entry's time when the bag holds that entry; and each entry's time lies between the
    /// checkpoints that bracket it. The signatures on the checkpoints are checked later
    /// (`checkTimes`), with the keys the governance entries give.
    func checkLogTimes(_ contents: BundleContents, _ log: inout CheckLog) {
        let entries = timedEntries(contents)
        let checkpoints = bagCheckpoints(contents)
        guard recordsLogTimes(contents) else {
            log.note(
                "time: the bag records no log times (the log kept none when these entries were appended): each entry "
                    + "is judged at its signedAt, and nothing bounds when it reached the log"
            )
            return
        }
        for line in contents.strayLogTimes {
            log.note(
                "time: data/log-times.txt gives a log time to entry \(line.index), which the bag does not hold; ignored",
                about: "data/log-times.txt"
            )
        }
        for entry in entries where entry.time == nil {
            log.fail("time: \(entry.label) has no log time in data/log-times.txt", about: "data/log-times.txt")
        }
        for checkpoint in checkpoints {
            let lines = checkpoint.checkpoint.extensions.filter { $0.hasPrefix(Checkpoint.logTimePrefix) }
            if lines.count != 1 || checkpoint.checkpoint.logTime == nil {
                log.fail(
                    "time: \(checkpoint.label) carries \(lines.count == 1 ? "no valid" : "\(lines.count)") "
                        + "`\(Checkpoint.logTimePrefix)TIME` line\(lines.count > 1 ? "s" : ""); a checkpoint states one log time",
                    about: checkpoint.path
                )
            }
        }
        for bracket in contents.checkpoints
        where !bracket.proof.proves(bracket.checkpoint, isPrefixOf: contents.checkpoint) {
            log.fail(
                "time: \(bracket.proofPath) does not prove that \(bracket.label) is a prefix of data/checkpoint.txt: "
                    + "the checkpoint or its proof was altered",
                about: bracket.proofPath
            )
        }
        guard !log.hasFailed else { return }
        let times = Dictionary(uniqueKeysWithValues: entries.map { ($0.index, $0) })
        for (earlier, later) in zip(checkpoints, checkpoints.dropFirst()) {
            let (before, after) = (earlier.checkpoint.logTime!, later.checkpoint.logTime!)
            if after < before {
                log.fail(
                    "time: \(later.label) states log time \(Timestamp.format(after)), earlier than the "
                        + "\(Timestamp.format(before)) of the smaller \(earlier.label): the log's time never goes back",
                    about: later.path
                )
            }
        }
        for checkpoint in checkpoints {
            guard let newest = times[checkpoint.size - 1], let time = newest.time else { continue }
            let stated = checkpoint.checkpoint.logTime!
            if time != stated {
                log.fail(
                    "time: \(checkpoint.label) states log time \(Timestamp.format(stated)), but data/log-times.txt "
                        + "gives its newest entry, \(newest.label), \(Timestamp.format(time))",
                    about: checkpoint.path
                )
            }
        }
        for (previous, entry) in zip(entries, entries.dropFirst()) where entry.time! < previous.time! {
            log.fail(
                "time: data/log-times.txt gives \(entry.label) log time \(Timestamp.format(entry.time!)), earlier than "
                    + "the \(Timestamp.format(previous.time!)) of \(previous.label) before it: the log's time never goes back",
                about: "data/log-times.txt"
            )
        }
        for entry in entries {
            let time = entry.time!
            if let before = checkpoints.last(where: { $0.size <= entry.index }), time < before.checkpoint.logTime! {
                log.fail(
                    "time: data/log-times.txt gives \(entry.label) log time \(Timestamp.format(time)), earlier than the "
                        + "\(Timestamp.format(before.checkpoint.logTime!)) of \(before.label), which the log signed "
                        + "before it received the entry",
                    about: "data/log-times.txt"
                )
            }
            if let after = checkpoints.first(where: { $0.size > entry.index }), time > after.checkpoint.logTime! {
                log.fail(
                    "time: data/log-times.txt gives \(entry.label) log time \(Timestamp.format(time)), later than the "
                        + "\(Timestamp.format(after.checkpoint.logTime!)) of \(after.label), which includes the entry",
                    about: "data/log-times.txt"
                )
            }
        }
        guard !log.hasFailed else { return }
        log.ok(
            "time: data/log-times.txt gives all \(entries.count) entries (\(contents.entries.count) case, "
                + "\(contents.governance.count) governance) log times that never go back along the log, each within "
                + "the log times of the checkpoints that bracket it — data/checkpoint.txt and "
                + "\(contents.checkpoints.count) earlier \(contents.checkpoints.count == 1 ? "one" : "ones") in "
                + "data/checkpoints/, each a prefix of it by its consistency proof; each checkpoint states the log time "
                + "of its newest entry"
        )
    }

    /// The earlier checkpoints are the log's (as `checkCheckpoint` judges `data/checkpoint.txt`, by
    /// the consortium as it stood at their size, and by a pinned log key when the trust file pins
    /// one); no witness cosigned a checkpoint more than 5 minutes before its log time (a witness
    /// refuses a log time in its future); then, for each case entry, the interval it reached the log
    /// in, as the checkpoints around it state it and their witnesses cosigned.
    func checkTimes(_ contents: BundleContents, governance: BundleEvidence, _ log: inout CheckLog) {
        guard recordsLogTimes(contents) else { return }
        var cosigners: [Int: [(party: String, cosignature: Cosignature)]] = [:]
        for bracket in contents.checkpoints {
            if let trust, !trust.logs.isEmpty {
                let keys = trust.logs.filter { $0.name == bracket.checkpoint.origin }
                if (try? bracket.note.verify(with: keys)) == nil {
                    log.fail("time: \(bracket.label) is not signed by a trusted log key", about: bracket.path)
                    continue
                }
            }
            let signatures: CheckpointSignatures
            do {
                signatures = try CheckpointSignatures(
                    of: bracket.note,
                    checkpoint: bracket.checkpoint,
                    governance: governance.before(bracket.size)
                )
            } catch {
                log.fail("time: \(bracket.label): its signatures cannot be checked: \(error)", about: bracket.path)
                continue
            }
            for problem in signatures.problems { log.fail("time: \(bracket.label): \(problem)", about: bracket.path) }
            for line in signatures.unknown {
                log.note(
                    "time: \(bracket.label): the signature line of \(line.name) (\(line.why)) is not checked; ignored",
                    about: bracket.path
                )
            }
            guard let logKey = signatures.logKey, signatures.problems.isEmpty else { continue }
            cosigners[bracket.size] = signatures.cosigners
            log.ok(
                "time: \(bracket.label), log time \(Timestamp.format(bracket.checkpoint.logTime!)), is signed by the log "
                    + "signer '\(logKey.party)' and \(Self.cosigned(signatures.cosigners))",
                about: bracket.path
            )
        }
        if let main = try? CheckpointSignatures(
            of: contents.note,
            checkpoint: contents.checkpoint,
            governance: governance.final
        ) {
            cosigners[Int(contents.checkpoint.size)] = main.cosigners
        }
        guard !log.hasFailed else { return }
        let checkpoints = bagCheckpoints(contents)
        for checkpoint in checkpoints {
            let logTime = checkpoint.checkpoint.logTime!
            for (party, cosignature) in cosigners[checkpoint.size] ?? []
            where logTime.timeIntervalSince(cosignature.time) > Witness.allowedClockSkew {
                log.fail(
                    "time: the cosignature of '\(party)' on \(checkpoint.label) is dated "
                        + "\(Timestamp.format(cosignature.time)), more than 5 minutes before the checkpoint's log time "
                        + "\(Timestamp.format(logTime)): a witness cosigns no log time in its future",
                    about: checkpoint.path
                )
            }
        }
        guard !log.hasFailed else { return }
        func describe(_ checkpoint: BagCheckpoint) -> String {
            "checkpoint \(checkpoint.size) (log time \(Timestamp.format(checkpoint.checkpoint.logTime!)), "
                + "\(Self.cosigned(cosigners[checkpoint.size] ?? [])))"
        }
        for entry in contents.entries {
            guard let time = entry.event.logTime, let after = checkpoints.first(where: { $0.size > entry.index })
            else { continue }
            let before =
                checkpoints.last { $0.size <= entry.index }.map { "after \(describe($0))" } ?? "after the log's start"
            log.ok(
                "time: \(entry.label) reached the log at \(Timestamp.format(time)), \(before) and before \(describe(after))",
                about: entry.path
            )
        }
        if governance.final.settings?.clock == .simulated {
            log.note("time: this ledger's clock is simulated (a demo or test): these times prove nothing")
        }
    }

    /// What the checkpoints of the bag prove about the log time of the entry at `index`, whatever
    /// `data/log-times.txt` says: no earlier than the newest checkpoint below it states (`nil`: the
    /// log's start), no later than the oldest above it states. `nil` when the bag records no log times.
    func logTimeBounds(of index: Int, in contents: BundleContents) -> (notBefore: Date?, notAfter: Date, by: String)? {
        guard recordsLogTimes(contents) else { return nil }
        let checkpoints = bagCheckpoints(contents)
        guard let after = checkpoints.first(where: { $0.size > index }), let notAfter = after.checkpoint.logTime else {
            return nil
        }
        return (checkpoints.last { $0.size <= index }?.checkpoint.logTime, notAfter, "checkpoint \(after.size)")
    }

    /// A note when a window boundary that `time` (the log time the bag gives the entry) is on the
    /// right side of lies inside the interval the checkpoints prove: then only the log's own record,
    /// which nothing signs entry by entry, puts the entry inside the window.
    func noteUnprovenWindow(
        _ stage: String,
        _ label: String,
        about subject: String,
        time: Date,
        ends: Date?,
        starts: Date?,
        notBefore: Date?,
        bounds: (notBefore: Date?, notAfter: Date, by: String)?,
        what: String,
        _ log: inout CheckLog
    ) {
        guard let bounds else { return }
        let lower = [bounds.notBefore, notBefore].compactMap { $0 }.max()
        if let ends, time < ends, ends <= bounds.notAfter {
            log.note(
                "\(stage): \(label) is before \(what) ended at \(Timestamp.format(ends)) only by its log time in "
                    + "data/log-times.txt, \(Timestamp.format(time)); the checkpoints prove only that it reached the log "
                    + "by \(Timestamp.format(bounds.notAfter)) (\(bounds.by))",
                about: subject
            )
        }
        if let starts, starts <= time, lower.map({ $0 < starts }) ?? true {
            log.note(
                "\(stage): \(label) is after \(what) began at \(Timestamp.format(starts)) only by its log time in "
                    + "data/log-times.txt, \(Timestamp.format(time)); the checkpoints and its signing time prove only "
                    + (lower.map { "that it reached the log after \(Timestamp.format($0))" } ?? "nothing earlier"),
                about: subject
            )
        }
    }

    /// `cosigned by regulator at 2026-11-03T12:00:00Z`, `… and by auditor at …`, or `cosigned by no witness`.
    private static func cosigned(_ cosigners: [(party: String, cosignature: Cosignature)]) -> String {
        guard !cosigners.isEmpty else { return "cosigned by no witness" }
        return "cosigned "
            + cosigners.map { "by \($0.party) at \(Timestamp.format($0.cosignature.time))" }.joined(separator: " and ")
    }
}
