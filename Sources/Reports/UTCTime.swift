import CivilCalendar
import Foundation

/// Dates and decimals as the reports print them, computed directly: a site of 10,000 stories
/// prints hundreds of thousands of them, and a formatter built per call is the slowest part.
enum UTCTime {
    /// "2026-11-18 11:06" (UTC).
    static func minute(_ date: Date) -> String {
        let parts = civil(date)
        return "\(parts.year)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
    }

    /// "2026-11-18T11:06:40Z", RFC 3339 / ISO 8601 in UTC.
    static func iso(_ date: Date) -> String {
        let parts = civil(date)
        return "\(parts.year)-\(two(parts.month))-\(two(parts.day))T\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))Z"
    }

    /// The calendar date and time of day of a moment, in UTC.
    static func civil(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(days: days)
        return (year, month, day, secondOfDay / 3_600, secondOfDay % 3_600 / 60, secondOfDay % 60)
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// A non-negative value with `places` decimals, rounded half up: 12.345 → "12.35".
    static func decimal(_ value: Double, places: Int) -> String {
        let scale = places == 1 ? 10 : 100
        let scaled = Int((value * Double(scale)).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = abs(scaled)
        let fraction = String(magnitude % scale)
        return sign + "\(magnitude / scale)." + String(repeating: "0", count: places - fraction.count) + fraction
    }
}
