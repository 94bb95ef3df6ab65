import CivilCalendar
import Foundation

/// Dates in GRDB's storage format ("yyyy-MM-dd HH:mm:ss.SSS", UTC), written and read with
/// integer arithmetic. GRDB goes through DateFormatter and Calendar (ICU on Linux), which
/// cost more per clustered article than the clustering itself. The text is the same (tested
/// over 1970–2100; an exact half millisecond may round the other way), so columns written
/// either way compare and decode alike.
public enum StorageDate {
    /// The text GRDB would store: milliseconds rounded to the nearest, as its DateFormatter does.
    public static func text(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var days = milliseconds / 86_400_000
        var rest = milliseconds % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        let date = CivilCalendar.date(days: Int(days))
        let second = rest / 1000
        var bytes: [UInt8] = []
        bytes.reserveCapacity(23)
        func digits(_ value: Int64, _ count: Int) {
            var divisor: Int64 = 1
            for _ in 1..<count { divisor *= 10 }
            var value = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                value %= divisor
                divisor /= 10
            }
        }
        digits(Int64(date.year), 4)
        bytes.append(UInt8(ascii: "-"))
        digits(Int64(date.month), 2)
        bytes.append(UInt8(ascii: "-"))
        digits(Int64(date.day), 2)
        bytes.append(UInt8(ascii: " "))
        digits(second / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(second / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(second % 60, 2)
        bytes.append(UInt8(ascii: "."))
        digits(rest % 1000, 3)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The date of a stored text in exactly that format; nil for anything else (which the
    /// caller hands to GRDB's general decoder).
    public static func date(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            guard bytes.count == 23 else { return nil }
            func number(_ from: Int, _ count: Int) -> Int64? {
                var value: Int64 = 0
                for index in from..<from + count {
                    let byte = bytes[index]
                    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                    value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                }
                return value
            }
            guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: " "),
                bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "."),
                let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                let minute = number(14, 2), let second = number(17, 2), let millisecond = number(20, 3),
                (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
            else { return nil }
            let seconds = Int64(CivilCalendar.days(year: Int(year), month: Int(month), day: Int(day))) * 86_400 + hour * 3600 + minute * 60 + second
            // Whole seconds and the fraction are added relative to 2001 as Calendar does, so
            // the Double is the one GRDB reads.
            return Date(timeIntervalSinceReferenceDate: Double(seconds - 978_307_200) + Double(millisecond * 1_000_000) / 1_000_000_000)
        }
    }
}
