import CountersignKit
import Foundation
import Testing

@Suite("Durations")
struct PipelineDurationTests {
    static func date(_ text: String) -> Date {
        Timestamp.parse(text)!
    }

    @Test(
        "short and ISO 8601 forms parse to months, days and seconds",
        arguments: [
            ("14d", 0, 14, 0),
            ("12h", 0, 0, 43_200),
            ("90m", 0, 0, 5400),
            ("P1Y", 12, 0, 0),
            ("P6M", 6, 0, 0),
            ("P30D", 0, 30, 0),
            ("P2W", 0, 14, 0),
            ("PT12H", 0, 0, 43_200),
            ("PT5M", 0, 0, 300),
            ("P1Y2M10DT2H30M15S", 14, 10, 9015),
        ]
    )
    func parses(text: String, months: Int, days: Int, seconds: Int) throws {
        let duration = try #require(PipelineDuration(text))
        #expect((duration.months, duration.days, duration.seconds) == (months, days, seconds))
        #expect(duration.description == text)
    }

    @Test(
        "malformed, empty, fractional, out-of-order and zero durations are refused",
        arguments: [
            "", "d", "14", "14 d", "14D", "-1d", "1.5d", "1y", "P", "PT", "P1H", "PT1D", "P1M1Y", "P1D1D",
            "P1.5Y", "p1y", "P1Y ", "0d", "P0D", "1234567d",
        ]
    )
    func refuses(text: String) {
        #expect(PipelineDuration(text) == nil)
    }

    @Test("equal durations compare equal however they are written")
    func equality() {
        #expect(PipelineDuration("14d") == PipelineDuration("P2W"))
        #expect(PipelineDuration("12h") == PipelineDuration("PT12H"))
        #expect(PipelineDuration("P1M") != PipelineDuration("30d"))
    }

    @Test(
        "months and years move the calendar month and clamp the day; days are 24 hours in UTC",
        arguments: [
            ("P1M", "2026-01-31T10:00:00Z", "2026-02-28T10:00:00Z"),
            ("P1M", "2028-01-31T10:00:00Z", "2028-02-29T10:00:00Z"),
            ("P1Y", "2028-02-29T00:00:00Z", "2029-02-28T00:00:00Z"),
            ("P4Y", "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"),
            ("P6M", "2026-08-31T23:59:59Z", "2027-02-28T23:59:59Z"),
            ("P2Y", "2026-03-15T12:00:00Z", "2028-03-15T12:00:00Z"),
            ("365d", "2027-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),
            ("P1Y", "2027-03-01T00:00:00Z", "2028-03-01T00:00:00Z"),
            ("PT12H", "2026-12-31T18:00:00Z", "2027-01-01T06:00:00Z"),
            ("P1M1D", "2026-01-31T00:00:00Z", "2026-03-01T00:00:00Z"),
            ("P1MT1H", "2026-12-31T23:30:00Z", "2027-02-01T00:30:00Z"),
            ("30m", "1969-12-31T23:45:00Z", "1970-01-01T00:15:00Z"),
        ]
    )
    func calendarArithmetic(duration: String, start: String, end: String) throws {
        let duration = try #require(PipelineDuration(duration))
        #expect(Timestamp.format(duration.added(to: Self.date(start))) == end)
    }

    @Test("fractions of a second survive the arithmetic")
    func keepsFractions() throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000.25)
        let end = try #require(PipelineDuration("P1D")).added(to: start)
        #expect(end.timeIntervalSince(start) == 86_400)
    }
}
