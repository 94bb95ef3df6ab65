import CivilCalendar
import Foundation

/// Dates as feeds write them: RFC 822/1123 (RSS) and RFC 3339/ISO 8601 (Atom, Dublin Core), with
/// the usual damage (no seconds, two-digit years, named zones, no zone). Anything unreadable is nil.
public enum FeedDate {
    public static func parse(_ text: String) -> Date? {
        var trimmed = HTMLText.trimmed(text)
        if let date = trimmed.withUTF8({ parseCommonForm($0) }) { return date }
        guard let first = trimmed.unicodeScalars.first else { return nil }
        if first.properties.numericType == .decimal, let date = parseISO8601(trimmed) {
            return date
        }
        return parseRFC822(trimmed)
    }

    // MARK: The two forms nearly every feed writes

    /// `Mon, 01 Nov 2026 08:30:00 +0000` (or a named zone) and `2026-11-01T08:30:00Z` (or
    /// `+01:00`), read straight from the bytes. Anything else, even these with one thing
    /// different, is nil here and goes through the general parsers below, which read these two
    /// forms to the same date: this only spares them the tokenizing.
    private static func parseCommonForm(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var reader = ByteReader(bytes)
        if bytes.count == 20 || bytes.count == 25, let year = reader.digits(4), reader.skip("-"), let month = reader.digits(2),
            reader.skip("-"), let day = reader.digits(2), reader.skip("T"), let hour = reader.digits(2), reader.skip(":"),
            let minute = reader.digits(2), reader.skip(":"), let second = reader.digits(2)
        {
            var offset = 0
            if !reader.skip("Z") {
                guard let sign = reader.sign(), let zoneHours = reader.digits(2), reader.skip(":"), let zoneMinutes = reader.digits(2)
                else { return nil }
                offset = sign * (zoneHours * 3600 + zoneMinutes * 60)
            }
            guard reader.isAtEnd else { return nil }
            return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: Double(second), offset: offset)
        }
        reader = ByteReader(bytes)
        guard reader.weekday(), reader.skip(","), reader.skip(" "), let day = reader.digits(2) ?? reader.digits(1), reader.skip(" "),
            let month = reader.month(), reader.skip(" "), let year = reader.digits(4), reader.skip(" "), let hour = reader.digits(2),
            reader.skip(":"), let minute = reader.digits(2), reader.skip(":"), let second = reader.digits(2), reader.skip(" ")
        else { return nil }
        var offset: Int
        if let sign = reader.sign() {
            guard let zone = reader.digits(4) else { return nil }
            offset = sign * ((zone / 100) * 3600 + (zone % 100) * 60)
        } else if let hours = reader.namedZone() {
            offset = hours * 3600
        } else {
            return nil
        }
        guard reader.isAtEnd else { return nil }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: Double(second), offset: offset)
    }

    // MARK: RFC 3339 / ISO 8601

    static func parseISO8601(_ text: String) -> Date? {
        var scanner = DigitScanner(text)
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2)
        else { return nil }
        var hour = 0, minute = 0, second = 0.0, offset = 0
        if scanner.skip("T") || scanner.skip("t") || scanner.skip(" ") {
            guard let h = scanner.number(digits: 2), scanner.skip(":"), let m = scanner.number(digits: 2) else { return nil }
            hour = h
            minute = m
            if scanner.skip(":") {
                guard let s = scanner.number(digits: 2) else { return nil }
                second = Double(s)
                if scanner.skip(".") || scanner.skip(",") { second += scanner.fraction() }
            }
            scanner.skipSpaces()
            if scanner.skip("Z") || scanner.skip("z") {
                offset = 0
            } else if let sign = scanner.sign() {
                guard let zoneHours = scanner.number(digits: 2) else { return nil }
                _ = scanner.skip(":")
                let zoneMinutes = scanner.number(digits: 2) ?? 0
                offset = sign * (zoneHours * 3600 + zoneMinutes * 60)
            }
        }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    // MARK: RFC 822 / 1123

    static func parseRFC822(_ text: String) -> Date? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" }).map(String.init)
        var index = 0
        if index < tokens.count, Int(tokens[index]) == nil, month(tokens[index]) == nil { index += 1 }  // weekday
        guard index + 2 < tokens.count else { return nil }
        var day: Int?, monthNumber: Int?
        // "18 Nov 2026" and the common "Nov 18 2026" both occur.
        if let d = Int(tokens[index]), let m = month(tokens[index + 1]) {
            day = d
            monthNumber = m
        } else if let m = month(tokens[index]), let d = Int(tokens[index + 1].trimmingCharacters(in: .punctuationCharacters)) {
            day = d
            monthNumber = m
        }
        guard let day, let monthNumber, var year = Int(tokens[index + 2]) else { return nil }
        if tokens[index + 2].count <= 2 { year += year < 50 ? 2000 : 1900 }
        index += 3
        var hour = 0, minute = 0, second = 0.0, offset = 0
        if index < tokens.count, tokens[index].contains(":") {
            let parts = tokens[index].split(separator: ":")
            guard parts.count >= 2, let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
            hour = h
            minute = m
            if parts.count > 2 { second = Double(parts[2]) ?? 0 }
            index += 1
        }
        if index < tokens.count {
            offset = zoneOffset(tokens[index]) ?? 0
        }
        return makeDate(year: year, month: monthNumber, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func month(_ token: String) -> Int? {
        let prefix = token.prefix(3).lowercased()
        return months.firstIndex(of: prefix).map { $0 + 1 }
    }

    private static let namedZones: [String: Int] = [
        "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
        "PST": -8, "PDT": -7, "BST": 1, "CET": 1, "CEST": 2, "JST": 9, "KST": 9,
    ]

    private static func zoneOffset(_ token: String) -> Int? {
        if let hours = namedZones[token.uppercased()] { return hours * 3600 }
        guard let sign = token.first, sign == "+" || sign == "-" else { return nil }
        let digits = token.dropFirst().filter(\.isNumber)
        guard digits.count == 4, let value = Int(digits) else { return nil }
        let seconds = (value / 100) * 3600 + (value % 100) * 60
        return sign == "-" ? -seconds : seconds
    }

    // MARK: Calendar arithmetic

    private static func makeDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Double, offset: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...24).contains(hour), (0...59).contains(minute),
            second >= 0, second < 61, (1000...9999).contains(year)
        else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 - offset) + second
        return Date(timeIntervalSince1970: seconds)
    }
}

private struct DigitScanner {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    mutating func number(digits: Int) -> Int? {
        guard position + digits <= scalars.count else { return nil }
        var value = 0
        for scalar in scalars[position..<position + digits] {
            // ASCII digits only: dates in other digit systems are not a feed format anyone writes.
            guard ("0"..."9").contains(scalar) else { return nil }
            value = value * 10 + Int(scalar.value) - 0x30
        }
        position += digits
        return value
    }

    mutating func fraction() -> Double {
        var text = "0."
        while position < scalars.count, ("0"..."9").contains(scalars[position]) {
            text.unicodeScalars.append(scalars[position])
            position += 1
        }
        return Double(text) ?? 0
    }

    mutating func skip(_ literal: Unicode.Scalar) -> Bool {
        guard position < scalars.count, scalars[position] == literal else { return false }
        position += 1
        return true
    }

    mutating func skipSpaces() {
        while position < scalars.count, scalars[position] == " " { position += 1 }
    }

    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}

/// Reads the fixed fields of `FeedDate`'s common forms from ASCII bytes.
private struct ByteReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    mutating func digits(_ count: Int) -> Int? {
        guard position + count <= bytes.count else { return nil }
        var value = 0
        for index in position..<position + count {
            let digit = Int(bytes[index]) - 0x30
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        // Exactly `count` digits: a longer number is another form.
        if position + count < bytes.count, (0x30...0x39).contains(bytes[position + count]) { return nil }
        position += count
        return value
    }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(character.value) else { return false }
        position += 1
        return true
    }

    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }

    /// Three letters, as a number: the weekday, month and zone names compare as one integer.
    private func threeLetters() -> UInt32? {
        let length = 3
        guard position + length <= bytes.count else { return nil }
        var value: UInt32 = 0
        for index in position..<position + length {
            let byte = bytes[index]
            guard (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        if position + length < bytes.count, bytes[position + length] != UInt8(ascii: " "), bytes[position + length] != UInt8(ascii: ",") {
            return nil
        }
        return value
    }

    private static func packed(_ name: String) -> UInt32 {
        name.utf8.reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map(packed)
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map(packed)
    /// The zones that have no numeric offset written, in hours; other names take the general path.
    private static let zoneHours = [packed("GMT"): 0, packed("UTC"): 0, packed("EST"): -5, packed("EDT"): -4, packed("PST"): -8, packed("PDT"): -7]

    mutating func weekday() -> Bool {
        guard let word = threeLetters(), Self.weekdays.contains(word) else { return false }
        position += 3
        return true
    }

    mutating func month() -> Int? {
        guard let word = threeLetters(), let index = Self.months.firstIndex(of: word) else { return nil }
        position += 3
        return index + 1
    }

    mutating func namedZone() -> Int? {
        guard let word = threeLetters(), let hours = Self.zoneHours[word] else { return nil }
        position += 3
        return hours
    }
}
