import Foundation

/// Turns the HTML that feeds put in titles and descriptions into plain text: tags removed,
/// character references decoded, runs of whitespace folded to one space.
public enum HTMLText {
    /// Works on the UTF-8 bytes: this runs over every title and summary of every feed, and
    /// byte scanning is many times faster than walking `Character`s.
    public static func plainText(_ html: String) -> String {
        var html = html
        return html.withUTF8 { scan($0, markup: true) }
    }

    /// Runs of whitespace folded to one space, leading and trailing whitespace dropped, nothing else changed.
    static func foldWhitespace(_ text: String) -> String {
        var text = text
        return text.withUTF8 { scan($0, markup: false) }
    }

    /// Leading and trailing whitespace (ASCII and no-break space) removed.
    static func trimmed(_ text: String) -> String {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last, isSpaceByte(first) || isSpaceByte(last) || first == 0xC2 || last == 0xA0
        else { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The range of `bytes` that `trimmed` would keep of their text, found without building it.
    static func trimmedRange(_ bytes: [UInt8]) -> Range<Int> {
        guard let first = bytes.first, let last = bytes.last, isSpaceByte(first) || isSpaceByte(last) || first == 0xC2 || last == 0xA0
        else { return 0..<bytes.count }
        return bytes.withUnsafeBufferPointer { buffer -> Range<Int> in
            // Foundation's whitespacesAndNewlines: the Unicode spaces, U+0009…U+000D and U+0085.
            var start = 0
            while start < buffer.count {
                if isSpaceByte(buffer[start]) || buffer[start] == 0x0B {
                    start += 1
                } else if buffer[start] >= 0xC2, case let length = unicodeSpaceLength(buffer, start), length > 0 {
                    start += length
                } else {
                    break
                }
            }
            var end = buffer.count
            while end > start {
                let byte = buffer[end - 1]
                if isSpaceByte(byte) || byte == 0x0B {
                    end -= 1
                } else if end - start >= 2, buffer[end - 2] >= 0xC2, unicodeSpaceLength(buffer, end - 2) == 2 {
                    end -= 2
                } else if end - start >= 3, buffer[end - 3] >= 0xC2, unicodeSpaceLength(buffer, end - 3) == 3 {
                    end -= 3
                } else {
                    break
                }
            }
            return start..<end
        }
    }

    /// `text(utf8:markup:repairingC1:)` on `bytes[range]`.
    static func text(_ bytes: [UInt8], in range: Range<Int>, markup: Bool, repairingC1: Bool) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            text(utf8: UnsafeBufferPointer(rebasing: buffer[range]), markup: markup, repairingC1: repairingC1)
        }
    }

    private static func isSpaceByte(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
    }

    /// The length of a Unicode space (no-break, en/em and other typographic spaces, line and
    /// paragraph separators, ideographic space) starting at `index`, or 0.
    private static func unicodeSpaceLength(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Int {
        let lead = bytes[index]
        if lead == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0xA0 || bytes[index + 1] == 0x85 { return 2 }
        guard index + 2 < bytes.count else { return 0 }
        let second = bytes[index + 1], third = bytes[index + 2]
        if lead == 0xE2, second == 0x80, (0x80...0x8A).contains(third) || third == 0xA8 || third == 0xA9 || third == 0xAF { return 3 }
        if lead == 0xE2, second == 0x81, third == 0x9F { return 3 }
        if lead == 0xE3, second == 0x80, third == 0x80 { return 3 }
        if lead == 0xE1, second == 0x9A, third == 0x80 { return 3 }
        return 0
    }

    /// The readable text of UTF-8 bytes: HTML reduced to text when `markup` is set, whitespace
    /// folded, and with `repairingC1` the C1 controls read as windows-1252 as
    /// `repairingC1Controls` does, in the same pass. The feed parser calls this on the bytes it
    /// buffered, so the text of each kept field becomes a String exactly once.
    static func text(utf8 bytes: UnsafeBufferPointer<UInt8>, markup: Bool, repairingC1: Bool) -> String {
        scan(bytes, markup: markup, repairingC1: repairingC1)
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, markup: Bool, repairingC1: Bool = false) -> String {
        // The text only shrinks, except where a short reference ("&lt;") decodes to a longer
        // character; the few of those that could not fit are rare enough to take the slow path.
        guard !bytes.isEmpty else { return "" }
        let fast = String(unsafeUninitializedCapacity: bytes.count) { buffer -> Int in
            var output = FixedOutput(buffer: buffer)
            scan(bytes, markup: markup, repairingC1: repairingC1, into: &output)
            return output.overflowed ? 0 : output.count
        }
        // Empty means an overflow or text that really is empty; only the first needs the slow path.
        if !fast.isEmpty || bytes.allSatisfy({ isSpaceByte($0) }) { return fast }
        var output = GrowingOutput()
        scan(bytes, markup: markup, repairingC1: repairingC1, into: &output)
        return String(decoding: output.bytes, as: UTF8.self)
    }

    private protocol Output {
        var isEmpty: Bool { get }
        mutating func append(_ byte: UInt8)
        mutating func append<S: Sequence<UInt8>>(contentsOf bytes: S)
        /// Appends `bytes[range]` in one copy.
        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>)
    }

    private struct FixedOutput: Output {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        var count = 0
        var overflowed = false
        var isEmpty: Bool { count == 0 }
        mutating func append(_ byte: UInt8) {
            guard count < buffer.count else {
                overflowed = true
                return
            }
            buffer[count] = byte
            count += 1
        }
        mutating func append<S: Sequence<UInt8>>(contentsOf bytes: S) {
            for byte in bytes { append(byte) }
        }
        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
            guard count + range.count <= buffer.count else {
                overflowed = true
                return
            }
            _ = UnsafeMutableBufferPointer(rebasing: buffer[count..<count + range.count])
                .update(fromContentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
            count += range.count
        }
    }

    private struct GrowingOutput: Output {
        var bytes: [UInt8] = []
        var isEmpty: Bool { bytes.isEmpty }
        mutating func append(_ byte: UInt8) { bytes.append(byte) }
        mutating func append<S: Sequence<UInt8>>(contentsOf other: S) { bytes.append(contentsOf: other) }
        mutating func append(_ other: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: other[range]))
        }
    }

    private static func scan<O: Output>(_ bytes: UnsafeBufferPointer<UInt8>, markup: Bool, repairingC1: Bool, into output: inout O) {
        var pendingSpace = false
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            // Most text is runs of words, copied in one piece.
            if byte > 0x20, byte < 0xC2, byte != UInt8(ascii: "<"), byte != UInt8(ascii: "&") {
                let end = plainRunEnd(bytes, from: index)
                if pendingSpace { output.append(0x20) }
                pendingSpace = false
                output.append(bytes, index..<end)
                index = end
                continue
            }
            if isSpaceByte(byte) {
                pendingSpace = !output.isEmpty
                index += 1
                continue
            }
            if byte >= 0xC2, case let length = unicodeSpaceLength(bytes, index), length > 0 {
                pendingSpace = !output.isEmpty
                index += length
                continue
            }
            if markup, byte == UInt8(ascii: "<"), let close = tagEnd(bytes, from: index) {
                switch tagKind(bytes, from: index + 1, to: close) {
                case .script:
                    // Browsers never show their content as text.
                    index = endOfElement(named: "script", in: bytes, from: close + 1)
                    pendingSpace = !output.isEmpty
                case .style:
                    index = endOfElement(named: "style", in: bytes, from: close + 1)
                    pendingSpace = !output.isEmpty
                case .block:
                    index = close + 1
                    pendingSpace = !output.isEmpty
                case .inline:
                    index = close + 1
                }
                continue
            }
            if markup, byte == UInt8(ascii: "&"), let (character, next) = xmlReference(bytes, at: index) {
                if pendingSpace { output.append(0x20) }
                pendingSpace = false
                output.append(character)
                index = next
                continue
            }
            if markup, byte == UInt8(ascii: "&"), let (decoded, next) = decodeReference(bytes, at: index) {
                for scalar in decoded.unicodeScalars {
                    if scalar.properties.isWhitespace {
                        pendingSpace = !output.isEmpty
                    } else {
                        if pendingSpace { output.append(0x20) }
                        pendingSpace = false
                        let shown = repairingC1 ? windows1252[scalar.value] ?? scalar : scalar
                        output.append(contentsOf: String(shown).utf8)
                    }
                }
                index = next
                continue
            }
            if pendingSpace { output.append(0x20) }
            pendingSpace = false
            // In UTF-8 every C1 control is 0xC2 followed by 0x80…0x9F.
            if repairingC1, byte == 0xC2, index + 1 < count, case let second = bytes[index + 1], second & 0xE0 == 0x80,
                let mapped = windows1252[UInt32(second)]
            {
                output.append(contentsOf: String(mapped).utf8)
                index += 2
                continue
            }
            output.append(byte)
            index += 1
        }
    }

    private enum TagKind { case block, script, style, inline }

    /// The end of the run starting at `start` (a byte copied as it is) that the output takes
    /// unchanged: printable ASCII other than `<` and `&`, UTF-8 continuation bytes, and single
    /// spaces between them (a space that ends the run is left to the caller, which folds it).
    /// Eight ASCII bytes are tested at a time while they qualify.
    private static func plainRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        /// The high bit of each byte of `word` that is zero, and of no other.
        func zeroBytes(_ word: UInt64) -> UInt64 {
            ~(((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | word) & high
        }
        let count = bytes.count
        var end = start + 1
        if let base = bytes.baseAddress.map(UnsafeRawPointer.init) {
            while end + 8 <= count {
                let word = base.loadUnaligned(fromByteOffset: end, as: UInt64.self)
                // Not ASCII, or a byte below 0x20 (the test is exact for ASCII words), `<` or `&`.
                if word & high != 0 || (word &- 0x20 &* ones) & ~word & high != 0
                    || zeroBytes(word ^ (0x3C &* ones)) != 0 || zeroBytes(word ^ (0x26 &* ones)) != 0
                {
                    break
                }
                // Two spaces in a row fold to one: such words take the byte loop.
                let spaces = zeroBytes(word ^ (0x20 &* ones))
                if spaces & (spaces >> 8) != 0 || (spaces & 0x80 != 0 && bytes[end - 1] == 0x20) { break }
                end += 8
            }
        }
        while end < count {
            let byte = bytes[end]
            if byte > 0x20, byte < 0xC2, byte != UInt8(ascii: "<"), byte != UInt8(ascii: "&") {
                end += 1
            } else if byte == 0x20, bytes[end - 1] != 0x20 {
                end += 1
            } else {
                break
            }
        }
        return bytes[end - 1] == 0x20 ? end - 1 : end
    }

    /// Text that declares itself plain but holds markup anyway (a closing tag, `<br>`, or a
    /// character reference), as feedparser's "looks like HTML" test does.
    static func looksLikeHTML(_ text: String) -> Bool {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) else { return false }
        return text.contains(/<\/[A-Za-z][A-Za-z0-9]*\s*>|<br\s*\/?>|&#?[A-Za-z0-9]+;/.ignoresCase())
    }

    /// The index of the `>` closing a tag opened at `start`; nil when the `<` is text ("a < b").
    private static func tagEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let next = start + 1
        guard next < bytes.count else { return nil }
        let first = bytes[next]
        let isLetter = (0x41...0x5A).contains(first) || (0x61...0x7A).contains(first)
        guard isLetter || first == UInt8(ascii: "/") || first == UInt8(ascii: "!") || first == UInt8(ascii: "?") else { return nil }
        var index = next
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: ">") { return index }
            index += 1
        }
        return nil
    }

    /// What the tag between `start` and `end` (the `>`) does to text, from its name: the
    /// letters and digits after any `/`, compared without case and without building a String.
    private static func tagKind(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> TagKind {
        var index = start
        while index < end, bytes[index] == UInt8(ascii: "/") { index += 1 }
        let nameStart = index
        while index < end, index - nameStart < 16, isASCIIAlphanumeric(bytes[index]) { index += 1 }
        func named(_ name: StaticString) -> Bool {
            guard index - nameStart == name.utf8CodeUnitCount else { return false }
            for offset in 0..<name.utf8CodeUnitCount where lowercased(bytes[nameStart + offset]) != name.utf8Start[offset] {
                return false
            }
            return true
        }
        switch index - nameStart {
        case 1: return named("p") ? .block : .inline
        case 2:
            return named("br") || named("li") || named("ul") || named("ol") || named("tr") || named("td") || named("hr")
                || named("h1") || named("h2") || named("h3") || named("h4") || named("h5") || named("h6") ? .block : .inline
        case 3: return named("div") ? .block : .inline
        case 5: return named("style") ? .style : .inline
        case 6: return named("script") ? .script : .inline
        case 10: return named("blockquote") ? .block : .inline
        default: return .inline
        }
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
    }

    /// Just past the `>` of the first `</name` (any case) from `start`, or the end.
    private static func endOfElement(named name: String, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let pattern = Array(name.utf8)
        var index = start
        while index + 1 + pattern.count < bytes.count {
            if bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "/") {
                var matches = true
                for offset in 0..<pattern.count where bytes[index + 2 + offset] | 0x20 != pattern[offset] {
                    matches = false
                    break
                }
                if matches {
                    var close = index + 2 + pattern.count
                    while close < bytes.count, bytes[close] != UInt8(ascii: ">") { close += 1 }
                    return min(close + 1, bytes.count)
                }
            }
            index += 1
        }
        return bytes.count
    }

    /// The five XML references, the ones escaped HTML is full of, read without building a String.
    private static func xmlReference(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (UInt8, Int)? {
        func matches(_ name: StaticString) -> Bool {
            let length = name.utf8CodeUnitCount
            guard start + length + 1 < bytes.count, bytes[start + length + 1] == UInt8(ascii: ";") else { return false }
            for offset in 0..<length where bytes[start + 1 + offset] != name.utf8Start[offset] { return false }
            return true
        }
        if matches("amp") { return (UInt8(ascii: "&"), start + 5) }
        if matches("lt") { return (UInt8(ascii: "<"), start + 4) }
        if matches("gt") { return (UInt8(ascii: ">"), start + 4) }
        if matches("quot") { return (UInt8(ascii: "\""), start + 6) }
        if matches("apos") { return (UInt8(ascii: "'"), start + 6) }
        return nil
    }

    /// Decodes `&name;`, `&#123;` and `&#x1F;` at `start`; nil when it is not a reference.
    private static func decodeReference(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (String, Int)? {
        let limit = min(start + 12, bytes.count)
        var semicolon = start + 1
        while semicolon < limit, bytes[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
        guard semicolon < limit, semicolon > start + 1 else { return nil }
        let body = String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<semicolon]), as: UTF8.self)
        return decodeReferenceBody(body).map { ($0, semicolon + 1) }
    }

    private static func decodeReferenceBody(_ body: String) -> String? {
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value = digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, let scalar = Unicode.Scalar(value), value != 0 else { return nil }
            return String(scalar)
        }
        return namedEntities[body]
    }

    /// Browsers read the C1 control characters (U+0080–U+009F), which pages produce with `&#150;`
    /// or a windows-1252 page labelled ISO-8859-1, as the windows-1252 characters at those bytes.
    static func repairingC1Controls(_ text: String) -> String {
        // In UTF-8 every C1 control is 0xC2 followed by 0x80…0x9F.
        var text = text
        let hasC1 = text.withUTF8 { bytes -> Bool in
            guard bytes.count > 1 else { return false }
            for index in 0..<(bytes.count - 1) where bytes[index] == 0xC2 && bytes[index + 1] & 0xE0 == 0x80 { return true }
            return false
        }
        guard hasC1 else { return text }
        var repaired = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if (0x80...0x9F).contains(scalar.value), let mapped = windows1252[scalar.value] {
                repaired.append(mapped)
            } else {
                repaired.append(scalar)
            }
        }
        return String(repaired)
    }

    private static let windows1252: [UInt32: Unicode.Scalar] = [
        0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ", 0x89: "‰",
        0x8A: "Š", 0x8B: "‹", 0x8C: "Œ", 0x8E: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•",
        0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™", 0x9A: "š", 0x9B: "›", 0x9C: "œ", 0x9E: "ž", 0x9F: "Ÿ",
    ]

    /// The named references that appear in news text; the XML parser already decodes the rest of
    /// the HTML 4 set before text reaches here, so this covers escaped HTML only.
    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
        "ndash": "–", "mdash": "—", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
        "hellip": "…", "laquo": "«", "raquo": "»", "middot": "·", "bull": "•", "copy": "©",
        "reg": "®", "trade": "™", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢", "deg": "°",
        "eacute": "é", "egrave": "è", "aacute": "á", "agrave": "à", "oacute": "ó", "uacute": "ú",
        "iacute": "í", "ntilde": "ñ", "ccedil": "ç", "uuml": "ü", "ouml": "ö", "auml": "ä",
        "szlig": "ß", "Eacute": "É", "Uuml": "Ü", "Ouml": "Ö", "Auml": "Ä", "times": "×",
    ]
}
