import CountersignKit
import Foundation
import Testing

@Suite("Case summaries are checked against a replay of their entries")
struct CaseSummaryCheckTests {
    static let leaf = SHA256.hash(Array("head".utf8))
    static let replayed = CaseSummary(
        caseID: "L-1",
        headIndex: 7,
        headLeaf: leaf,
        outcome: "open",
        wakeAt: Date(timeIntervalSince1970: 1_800_000_000),
        expiresAt: Date(timeIntervalSince1970: 1_800_000_000),
        needsOrchestrator: false
    )

    @Test("a summary of the head that says what the entries say is consistent; an older one is stale")
    func consistentAndStale() {
        #expect(CaseSummaryCheck.compare(stored: Self.replayed, replayed: Self.replayed, watermark: 8) == .consistent)
        var older = Self.replayed
        older.headIndex = 5
        older.outcome = "completed"
        #expect(CaseSummaryCheck.compare(stored: older, replayed: Self.replayed, watermark: 8) == .stale)
        #expect(CaseSummaryCheck.compare(stored: nil, replayed: Self.replayed, watermark: 7) == .stale)
    }

    @Test("each field edited, or the summary missing below the watermark, is a mismatch naming what differs")
    func mismatches() {
        var edits: [(CaseSummary, String)] = []
        var outcome = Self.replayed
        outcome.outcome = "completed"
        edits.append((outcome, "outcome completed where its entries say open"))
        var expiry = Self.replayed
        expiry.expiresAt = nil
        edits.append((expiry, "expiry none where its entries say"))
        var wake = Self.replayed
        wake.wakeAt = Date(timeIntervalSince1970: 4_000_000_000)
        edits.append((wake, "wake time 2096"))
        var waiting = Self.replayed
        waiting.needsOrchestrator = true
        edits.append((waiting, "orchestrator step waiting true"))
        for (stored, text) in edits {
            guard
                case .mismatch(let reason) = CaseSummaryCheck.compare(
                    stored: stored,
                    replayed: Self.replayed,
                    watermark: 8
                )
            else {
                Issue.record("\(stored) not a mismatch")
                continue
            }
            #expect(reason.contains(text), "\(reason)")
        }
        guard case .mismatch(let missing) = CaseSummaryCheck.compare(stored: nil, replayed: Self.replayed, watermark: 8)
        else {
            Issue.record("a missing summary below the watermark is a mismatch")
            return
        }
        #expect(missing.contains("missing"))
    }

    @Test("a summary of a newer head, or of another entry at its head, means the entries changed")
    func entriesChanged() {
        var newer = Self.replayed
        newer.headIndex = 9
        var replaced = Self.replayed
        replaced.headLeaf = SHA256.hash(Array("other".utf8))
        for stored in [newer, replaced] {
            guard
                case .entriesChanged = CaseSummaryCheck.compare(stored: stored, replayed: Self.replayed, watermark: 10)
            else {
                Issue.record("\(stored) is not entriesChanged")
                return
            }
        }
    }

    @Test(
        "the nightly window covers every entry in one round: 30 nights up to 150,000 entries, windows of 1,000 to 5,000"
    )
    func sampleWindow() {
        for size in [0, 1, 999, 1_000, 1_001, 29_999, 30_001, 150_000, 150_001, 1_000_000] {
            let expectedRounds = size == 0 ? 1 : size <= 150_000 ? 30 : (size + 4_999) / 5_000
            var covered = IndexSet()
            for day in -1..<(expectedRounds - 1) {
                let window = CaseSummaryCheck.sampleWindow(
                    logSize: size,
                    at: Date(timeIntervalSince1970: Double(day) * 86_400 + 3_600)
                )
                #expect(window.lowerBound >= 0 && window.upperBound <= size)
                #expect(size == 0 || !window.isEmpty)
                #expect(
                    window.count <= 5_000
                        && (window.count >= 1_000 || window.count == size || window.upperBound == size)
                )
                covered.insert(integersIn: window)
            }
            #expect(covered.count == size, "\(size) entries: \(covered.count) covered in \(expectedRounds) nights")
        }
    }
}
