import Foundation

/// A length of time in a pipeline (`due`, expiry windows): `Nd`, `Nh`, `Nm` (minutes), or an ISO 8601
/// duration such as `P1Y`, `P6M`, `P2W`, `P30D`, `PT12H`, `P1Y2M10DT2H30M`.
///
/// Durations are calendar arithmetic in UTC, applied by `added(to:)` from the largest unit down, as
/// XML Schema adds a duration to a dateTime:
/// 1. years and months move the calendar month (a year is 12 months); when the day of the month does
///    not exist in the new month, it becomes that month's last day (31 Jan + P1M = 28 or 29 Feb;
///    29 Feb 2028 + P1Y = 28 Feb 2029); the time of day is kept;
/// 2. then weeks (7 days) and days are added as whole days of 24 hours (UTC has no daylight saving);
/// 3. then hours, minutes and seconds.
/// So `365d` and `P1Y` differ across a leap day, and `P1M` is 28 to 31 days. Every number is a whole
/// number of at most six digits, and a duration must be longer than zero.
public struct PipelineDuration: Hashable, Sendable, CustomStringConvertible {
    /// Calendar months: years × 12 + months.
    public let months: Int
    /// Whole days: weeks × 7 + days.
    public let days: Int
    /// Hours, minutes and seconds, in seconds.
    public let seconds: Int
    /// The duration as written in the pipeline file.
    public let description: String

    /// Parses `Nd`, `Nh`, `Nm` or an ISO 8601 duration; `nil` for anything else, or for zero.
    public init?(_ text: String) {
        guard let (months, days, seconds) = Self.parseShort(text) ?? Self.parseISO8601(text),
            months + days + seconds > 0
        else { return nil }
        self.months = months
        self.days = days
        self.seconds = seconds
        self.description = text
    }

    /// `date` moved forward by this duration (see the type's documentation for the calendar rules).
    public func added(to date: Date) -> Date {
        let secondsPerDay = 86_400.0
        let dayNumber = (date.timeIntervalSince1970 / secondsPerDay).rounded(.down)
        let timeOfDay = date.timeIntervalSince1970 - dayNumber * secondsPerDay
        let civil = CivilDate(dayNumber: Int(dayNumber))
        let monthIndex = civil.year * 12 + (civil.month - 1) + months
        let year = Int((Double(monthIndex) / 12).rounded(.down))
        let month = monthIndex - year * 12 + 1
        let day = min(civil.day, CivilDate.daysIn(month: month, year: year))
        let newDayNumber = CivilDate(year: year, month: month, day: day).dayNumber + days
        return Date(timeIntervalSince1970: Double(newDayNumber) * secondsPerDay + timeOfDay + Double(seconds))
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        (lhs.months, lhs.days, lhs.seconds) == (rhs.months, rhs.days, rhs.seconds)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(months)
        hasher.combine(days)
        hasher.combine(seconds)
    }

    private static let maximumDigits = 6

    /// `Nd`, `Nh` or `Nm`.
    private static func parseShort(_ text: String) -> (Int, Int, Int)? {
        guard let unit = text.last, let number = number(text.dropLast()) else { return nil }
        switch unit {
        case "d": return (0, number, 0)
        case "h": return (0, 0, number * 3600)
        case "m": return (0, 0, number * 60)
        default: return nil
        }
    }

    /// `P[nY][nM][nW][nD][T[nH][nM][nS]]`, designators in this order, at least one component, and
    /// at least one after a `T`.
    private static func parseISO8601(_ text: String) -> (Int, Int, Int)? {
        guard text.hasPrefix("P") else { return nil }
        let parts = text.dropFirst().split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        guard let datePart = components(parts[0], designators: ["Y", "M", "W", "D"]) else { return nil }
        var timePart: [Character: Int] = [:]
        if parts.count == 2 {
            guard let parsed = components(parts[1], designators: ["H", "M", "S"]), !parsed.isEmpty else { return nil }
            timePart = parsed
        }
        guard !datePart.isEmpty || !timePart.isEmpty else { return nil }
        let months = datePart["Y", default: 0] * 12 + datePart["M", default: 0]
        let days = datePart["W", default: 0] * 7 + datePart["D", default: 0]
        let seconds = timePart["H", default: 0] * 3600 + timePart["M", default: 0] * 60 + timePart["S", default: 0]
        return (months, days, seconds)
    }

    /// Runs of `<digits><designator>` whose designators appear in `designators`' order, each once.
    private static func components(_ text: Substring, designators: [Character]) -> [Character: Int]? {
        var values: [Character: Int] = [:]
        var remaining = designators[...]
        var start = text.startIndex
        for index in text.indices {
            let character = text[index]
            if character.isASCII, character.isNumber { continue }
            guard let position = remaining.firstIndex(of: character), let value = number(text[start..<index]) else {
                return nil
            }
            values[character] = value
            remaining = remaining[(position + 1)...]
            start = text.index(after: index)
        }
        return start == text.endIndex ? values : nil
    }

    private static func number(_ digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.count <= maximumDigits, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        return Int(digits)
    }
}
