import Foundation

/// Durations as people write them in flags and configs: `30m`, `24h`, `90d`, `2w`.
public enum DurationText {
    public static func seconds(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last, let value = Double(trimmed.dropLast()), value >= 0, value.isFinite else { return nil }
        switch unit {
        case "s": return value
        case "m": return value * 60
        case "h": return value * 3600
        case "d": return value * 86400
        case "w": return value * 7 * 86400
        default: return nil
        }
    }

    /// The shortest exact spelling, for messages and generated files: 1800 → "30m".
    public static func describe(_ seconds: TimeInterval) -> String {
        for (unit, size) in [("w", 7 * 86400.0), ("d", 86400.0), ("h", 3600.0), ("m", 60.0)] where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int(seconds / size))\(unit)"
        }
        return "\(Int(seconds))s"
    }
}
