import CountersignKit
import Foundation
import Testing

@Suite("RFC 3339 input")
struct TimestampInputTests {
    @Test(
        "valid times parse to the right instant",
        arguments: [
            ("2026-01-01T00:00:00Z", 1_767_225_600.0),
            ("2026-01-01t00:00:00z", 1_767_225_600.0),
            ("2026-01-01T02:00:00+02:00", 1_767_225_600.0),
            ("2025-12-31T19:30:00-04:30", 1_767_225_600.0),
            ("2026-01-01T00:00:00.250Z", 1_767_225_600.25),
            ("1970-01-01T00:00:00Z", 0),
            ("2028-02-29T12:00:00Z", 1_835_438_400),
        ]
    )
    func parses(text: String, seconds: Double) {
        #expect(Timestamp.parse(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(
        "dates that do not exist and other shapes are refused",
        arguments: [
            "2026-02-30T00:00:00Z", "2027-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
            "2026-01-01T00:00:60Z", "2026-01-01", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00",
            "2026-01-01T00:00:00.Z",
            "2026-01-01T00:00:00+0200", "2026-01-01T00:00:00Z ", "26-01-01T00:00:00Z",
        ]
    )
    func refuses(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("times are written in UTC with whole seconds")
    func writes() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_767_225_600.9)) == "2026-01-01T00:00:00Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }
}
