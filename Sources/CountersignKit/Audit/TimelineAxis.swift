import Foundation

/// The time axis of a timeline picture: maps times onto an x range and picks date ticks a reader can
/// use (whole minutes, hours, days, weeks, months or years, in UTC, at most one per `tickSpacing`).
public struct TimelineAxis: Sendable {
    /// The earliest time shown: the first time given, less a margin.
    public let start: Date
    /// The latest time shown: the last time given, plus a margin.
    public let end: Date
    /// Where `start` is drawn.
    public let left: Double
    /// Where `end` is drawn.
    public let right: Double

    /// An axis covering `first...last` (widened to at least an hour and padded by 5% each side, so
    /// marks never sit on the edge) drawn from `left` to `right`.
    public init(first: Date, last: Date, left: Double, right: Double) {
        let span = max(last.timeIntervalSince(first), 3_600)
        let middle = first.addingTimeInterval(last.timeIntervalSince(first) / 2)
        start = middle.addingTimeInterval(-span * 0.55)
        end = middle.addingTimeInterval(span * 0.55)
        self.left = left
        self.right = right
    }

    /// The x position of `time`.
    public func x(_ time: Date) -> Double {
        left + (right - left) * time.timeIntervalSince(start) / end.timeIntervalSince(start)
    }

    /// The smallest horizontal distance between two ticks.
    public static let tickSpacing = 90.0

    /// Tick times and their labels, evenly spaced on round UTC times.
    public var ticks: [(time: Date, label: String)] {
        let maximum = max(2, Int((right - left) / Self.tickSpacing))
        let span = end.timeIntervalSince(start)
        if let step = Self.fixedSteps.first(where: { span / $0.seconds <= Double(maximum) }) {
            let shifted = start.timeIntervalSince1970 - step.offset
            var time = (shifted / step.seconds).rounded(.up) * step.seconds + step.offset
            var ticks: [(Date, String)] = []
            while time <= end.timeIntervalSince1970 {
                let date = Date(timeIntervalSince1970: time)
                ticks.append((date, label(date, seconds: step.seconds)))
                time += step.seconds
            }
            return ticks
        }
        let months = Self.monthSteps.first { span / (Double($0) * 30.44 * 86_400) <= Double(maximum) } ?? 1_200
        return monthTicks(every: months)
    }

    /// Steps in seconds with the offset from 1970-01-01 their ticks are aligned to (weeks start on
    /// Monday; the epoch was a Thursday).
    private static let fixedSteps: [(seconds: Double, offset: Double)] = [
        (60, 0), (300, 0), (900, 0), (1_800, 0), (3_600, 0), (3 * 3_600, 0), (6 * 3_600, 0), (12 * 3_600, 0),
        (86_400, 0), (2 * 86_400, 0), (7 * 86_400, 4 * 86_400), (14 * 86_400, 4 * 86_400),
    ]

    private static let monthSteps = [1, 2, 3, 6, 12, 24, 60, 120, 600]

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// First days of months that are multiples of `months` (counted from year 0), within the axis.
    private func monthTicks(every months: Int) -> [(time: Date, label: String)] {
        let first = Self.calendar.dateComponents([.year, .month], from: start)
        var index = first.year! * 12 + first.month! - 1
        index = (index + months - 1) / months * months
        var ticks: [(Date, String)] = []
        while let date = Self.calendar.date(from: DateComponents(year: index / 12, month: index % 12 + 1, day: 1)),
            date <= end
        {
            if date >= start { ticks.append((date, months >= 12 ? "\(index / 12)" : String(monthLabel(date)))) }
            index += months
        }
        return ticks
    }

    /// `2026-11-02` for day steps, `11-02 09:00` for shorter ones.
    private func label(_ date: Date, seconds: Double) -> String {
        let text = Timestamp.format(date)
        guard seconds < 86_400 else { return String(text.prefix(10)) }
        return String(text.dropFirst(5).prefix(11)).replacingOccurrences(of: "T", with: " ")
    }

    /// `2026-11`.
    private func monthLabel(_ date: Date) -> Substring {
        Timestamp.format(date).prefix(7)
    }
}
