import CountersignKit
import Foundation
import Synchronization

/// `reconcile --notify CMD`: runs CMD through `/bin/sh -c` once per party with notices, the
/// party's notices as one JSON document on standard input (docs/JSON.md, "notices") and its id in
/// `COUNTERSIGN_PARTY` — the way a cron job mails, or a webhook script posts. A hook that exits
/// non-zero, cannot start, or runs past `timeout` (then it is killed) is reported for that party;
/// the night goes on, and the other parties are still told.
struct NotifyHook {
    let command: String
    let environment: [String: String]
    var timeout: TimeInterval = 60

    /// Runs the hook for every party of `notices` that has something waiting, in party order.
    func run(_ notices: Notices) -> [ReconcileReport.Notification] {
        // A hook that does not read its input must not end the night: a write to its closed pipe
        // then fails instead of raising SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        return notices.parties.filter { !$0.isEmpty }.map { party in
            let count = party.waiting.count + party.expiring.count
            return ReconcileReport.Notification(
                party: party.party,
                notices: count,
                failure: failure(running: party, now: notices.now)
            )
        }
    }

    /// What went wrong running the hook for one party, or `nil` when it exited 0.
    private func failure(running party: Notices.PartyNotices, now: Date) -> String? {
        let input: Data
        do {
            input = try JSONSerialization.data(
                withJSONObject: party.json(now: now),
                options: [.sortedKeys, .withoutEscapingSlashes]
            )
        } catch {
            return "its notices could not be written as JSON: \(error)"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = environment
        environment["COUNTERSIGN_PARTY"] = party.party
        process.environment = environment
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        let stderr = Pipe()
        process.standardError = stderr
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            return "the hook could not start: \(error.localizedDescription)"
        }
        // The input is written beside the wait, so a hook that never reads it cannot block the night.
        DispatchQueue.global().async {
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
        }
        let errors = Mutex(Data())
        let read = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let data = stderr.fileHandleForReading.readDataToEndOfFile()
            errors.withLock { $0 = data }
            read.signal()
        }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            _ = finished.wait(timeout: .now() + 5)
            return "the hook ran longer than \(Int(timeout)) s and was stopped"
        }
        _ = read.wait(timeout: .now() + 2)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let said = String(decoding: errors.withLock { $0 }.prefix(500), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let how =
                process.terminationReason == .exit
                ? "exited \(process.terminationStatus)" : "was killed by signal \(process.terminationStatus)"
            return "the hook \(how)" + (said.isEmpty ? "" : ": \(said)")
        }
        return nil
    }
}
