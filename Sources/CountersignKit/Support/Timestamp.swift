import Foundation

/// RFC 3339 times. Countersign writes one form only — UTC, whole seconds, `2026-11-23T10:00:00Z` —
/// and reads any RFC 3339 date-time where a person types one (`--now`, party key windows).
/// Pure calendar arithmetic: independent of locale, calendar and time zone settings.
public enum Timestamp {
    /// Whole seconds since 1970 of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: RFC 3339 has
    /// four-digit years.
    public static let range: ClosedRange<Int> = -62_167_219_200...253_402_300_799

    /// Whether `date` has a four-digit-year RFC 3339 form.
    public static func isRepresentable(_ date: Date) -> Bool {
        range.contains(Int(date.timeIntervalSince1970.rounded(.down)))
    }

    /// `date` rounded down to the whole second, the precision of every ledger time.
    public static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` in UTC, rounded down to the second.
    public static func format(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let dayNumber = Int((Double(seconds) / 86_400).rounded(.down))
        let civil = CivilDate(dayNumber: dayNumber)
        let secondOfDay = seconds - dayNumber * 86_400
        return "\(pad(civil.year, 4))-\(pad(civil.month, 2))-\(pad(civil.day, 2))T"
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    /// Parses exactly the form Countersign writes (the ledger's `signedAt`); `nil` for anything else.
    public static func parseCanonical(_ text: some StringProtocol) -> Date? {
        guard let date = parse(String(text)), isRepresentable(date), format(date) == text else { return nil }
        return date
    }

    /// Parses any RFC 3339 date-time: `Z` or `±HH:MM`, optional fraction. A real calendar date is
    /// required, and seconds 00–59 (`Date` cannot hold a leap second).
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + length)] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func character(_ index: Int, _ allowed: String) -> Bool {
            index < bytes.count && allowed.utf8.contains(bytes[index])
        }
        guard let year = number(0, 4), character(4, "-"), let month = number(5, 2), character(7, "-"),
            let day = number(8, 2), character(10, "Tt"), let hour = number(11, 2), character(13, ":"),
            let minute = number(14, 2), character(16, ":"), let second = number(17, 2),
            (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if character(index, ".") {
            var scale = 0.1
            index += 1
            let start = index
            while let digit = number(index, 1) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        if character(index, "Zz"), index + 1 == bytes.count {
            offset = 0
        } else if character(index, "+-"), index + 6 == bytes.count, let hours = number(index + 1, 2),
            character(index + 3, ":"), let minutes = number(index + 4, 2), hours < 24, minutes < 60
        {
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        let days = CivilDate(year: year, month: month, day: day).dayNumber
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
