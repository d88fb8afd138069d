import CountersignKit
import Foundation
import Testing

@Suite("RFC 3339 timestamps")
struct TimestampTests {
    /// POSIX seconds and their UTC form, computed with Python's `datetime`.
    static let known: [(Int64, String)] = [
        (0, "1970-01-01T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (951_827_696, "2000-02-29T12:34:56Z"),
        (1_795_428_000, "2026-11-23T10:00:00Z"),
        (-62_135_596_800, "0001-01-01T00:00:00Z"),
        (-62_167_219_200, "0000-01-01T00:00:00Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
    ]

    @Test("known instants format and parse both ways", arguments: known)
    func knownInstants(seconds: Int64, text: String) {
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        #expect(Timestamp.format(date) == text)
        #expect(Timestamp.parseCanonical(text) == date)
    }

    @Test("formatting rounds down to the second and refuses five-digit years")
    func limits() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 59.999)) == "1970-01-01T00:00:59Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59Z")
        #expect(!Timestamp.isRepresentable(Date(timeIntervalSince1970: 253_402_300_800)))
        #expect(Timestamp.isRepresentable(Date(timeIntervalSince1970: 253_402_300_799)))
    }

    @Test(
        "the ledger form refuses anything but YYYY-MM-DDTHH:MM:SSZ",
        arguments: [
            "2026-11-23T10:00:00", "2026-11-23 10:00:00Z", "2026-11-23T10:00:00.000Z", "2026-11-23T10:00:00+00:00",
            "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z", "2100-02-29T00:00:00Z",
            "2026-11-23T10:00:60Z", "2026-11-23T10:60:00Z", "+026-11-23T10:00:00Z", "2026-11-2310:00:00Z",
        ]
    )
    func refuses(text: String) {
        #expect(Timestamp.parseCanonical(text) == nil)
    }

    @Test("leap days of leap years parse")
    func leapDays() {
        #expect(Timestamp.parseCanonical("2000-02-29T00:00:00Z") != nil)
        #expect(Timestamp.parseCanonical("2024-02-29T00:00:00Z") != nil)
    }
}
