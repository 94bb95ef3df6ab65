import Stories

/// Splits feed text into sentences without changing a character of them: every sentence is a
/// slice of the text it came from (leading and trailing spaces trimmed), so whatever Parallax
/// quotes can be found verbatim in the article.
///
/// A full stop ends a sentence only when a space and a capital letter, a digit or an opening
/// quote or bracket follow (or the text ends), and the word before it is not an abbreviation
/// ("Dr.", "Nov.", "U.S.", a single initial), so "3.2", "Nov. 4" and "the U.S. Senate" stay whole.
/// "!" and "?" end a sentence before the same; closing quotes and brackets stay with the
/// sentence they close. Chinese and Japanese ends (。！？ and the half-width ｡) end a sentence
/// with or without a space after them.
public enum SentenceSplitter {
    public static func sentences(in text: String) -> [Substring] {
        Tokenizer.isASCII(text) ? asciiSentences(in: text) : scalarSentences(in: text)
    }

    static func scalarSentences(in text: String) -> [Substring] {
        let scalars = text.unicodeScalars
        var result: [Substring] = []
        var start = scalars.startIndex
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            var next = scalars.index(after: index)
            if isCJKEnd(scalar) || isLatinEnd(scalar) {
                // Runs of ends ("?!", "..."), then closing quotes and brackets, belong to this sentence.
                while next < scalars.endIndex, isLatinEnd(scalars[next]) || isCJKEnd(scalars[next]) { next = scalars.index(after: next) }
                while next < scalars.endIndex, isCloser(scalars[next]) { next = scalars.index(after: next) }
                if endsSentence(scalars, terminator: index, after: next) {
                    append(text, from: start, to: next, into: &result)
                    start = next
                }
            }
            index = next
        }
        append(text, from: start, to: scalars.endIndex, into: &result)
        return result
    }

    /// The same rules on ASCII text, by bytes (most feed text: splitting by scalar was a tenth
    /// of choosing a brief). A byte offset of ASCII text is a character boundary.
    static func asciiSentences(in text: String) -> [Substring] {
        let bytes = Array(text.utf8)
        var result: [Substring] = []
        func append(_ start: Int, _ end: Int) {
            var first = start, last = end
            while first < last, isASCIISpace(bytes[first]) { first += 1 }
            while last > first, isASCIISpace(bytes[last - 1]) { last -= 1 }
            guard first < last else { return }
            let utf8 = text.utf8
            result.append(text[utf8.index(utf8.startIndex, offsetBy: first)..<utf8.index(utf8.startIndex, offsetBy: last)])
        }
        var start = 0, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            var next = index + 1
            if byte == 0x2E || byte == 0x21 || byte == 0x3F {
                while next < bytes.count, bytes[next] == 0x2E || bytes[next] == 0x21 || bytes[next] == 0x3F { next += 1 }
                while next < bytes.count, isASCIICloser(bytes[next]) { next += 1 }
                if asciiEndsSentence(bytes, terminator: index, after: next) {
                    append(start, next)
                    start = next
                }
            }
            index = next
        }
        append(start, bytes.count)
        return result
    }

    private static func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
    private static func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    /// " ' ) ] }
    private static func isASCIICloser(_ byte: UInt8) -> Bool { byte == 0x22 || byte == 0x27 || byte == 0x29 || byte == 0x5D || byte == 0x7D }
    /// " ' ( [ {
    private static func isASCIIOpener(_ byte: UInt8) -> Bool { byte == 0x22 || byte == 0x27 || byte == 0x28 || byte == 0x5B || byte == 0x7B }

    private static func asciiEndsSentence(_ bytes: [UInt8], terminator: Int, after: Int) -> Bool {
        guard after < bytes.count else { return true }
        guard isASCIISpace(bytes[after]) else { return false }
        var following = after
        while following < bytes.count, isASCIISpace(bytes[following]) { following += 1 }
        guard following < bytes.count else { return true }
        let next = bytes[following]
        let isDigit = next >= 0x30 && next <= 0x39
        guard (next >= 0x41 && next <= 0x5A) || isDigit || isASCIIOpener(next) else { return false }
        guard bytes[terminator] == 0x2E else { return true }
        // The word before the full stop: letters and dots.
        var start = terminator
        while start > 0, isASCIILetter(bytes[start - 1]) || bytes[start - 1] == 0x2E { start -= 1 }
        let word = bytes[start..<terminator]
        guard !word.isEmpty else { return true }
        if word.contains(0x2E) { return false }
        if word.count == 1, word.first! >= 0x41, word.first! <= 0x5A { return false }
        // Every listed abbreviation is short: longer words are not looked up.
        guard word.count <= 6 else { return true }
        let lower = String(decoding: word.map { $0 | 0x20 }, as: UTF8.self)
        if months.contains(lower) || titles.contains(lower) { return false }
        return !(isDigit && numberWords.contains(lower))
    }

    private static func append(_ text: String, from start: String.Index, to end: String.Index, into result: inout [Substring]) {
        // Trimmed by scalar, without breaking the text into characters (the slice stays verbatim).
        let scalars = text.unicodeScalars[start..<end]
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return }
        result.append(text[first..<text.unicodeScalars.index(after: last)])
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || (scalar.value >= 0x09 && scalar.value <= 0x0D) : scalar.properties.isWhitespace
    }

    private static func endsSentence(_ scalars: String.UnicodeScalarView, terminator: String.Index, after: String.Index) -> Bool {
        if isCJKEnd(scalars[terminator]) { return true }
        guard after < scalars.endIndex else { return true }
        guard isSpace(scalars[after]) else { return false }
        var following = after
        while following < scalars.endIndex, isSpace(scalars[following]) { following = scalars.index(after: following) }
        guard following < scalars.endIndex else { return true }
        let next = scalars[following]
        let isDigit = next.isASCII ? next.value >= 0x30 && next.value <= 0x39 : next.properties.numericType != nil
        let isUpper = next.isASCII ? next.value >= 0x41 && next.value <= 0x5A : next.properties.isUppercase
        let startsSentence = isUpper || isDigit || isOpener(next) || isCJK(next) || isHangul(next)
        guard startsSentence else { return false }
        if scalars[terminator] == "." { return !isAbbreviation(scalars, endingAt: terminator, nextStartsWithDigit: isDigit) }
        return true
    }

    /// The word before a full stop: an abbreviation, an initial or a dotted acronym ("U.S").
    private static func isAbbreviation(_ scalars: String.UnicodeScalarView, endingAt dot: String.Index, nextStartsWithDigit: Bool) -> Bool {
        var start = dot
        while start > scalars.startIndex {
            let previous = scalars.index(before: start)
            let scalar = scalars[previous]
            guard scalar.properties.isAlphabetic || scalar == "." else { break }
            start = previous
        }
        let word = String(String.UnicodeScalarView(scalars[start..<dot]))
        guard !word.isEmpty else { return false }
        if word.contains(".") { return true }
        if word.count == 1, word.first!.isUppercase { return true }
        let lower = word.lowercased()
        if months.contains(lower) { return true }
        // "No. 5", "Art. 3": only before a number.
        if nextStartsWithDigit, numberWords.contains(lower) { return true }
        return titles.contains(lower)
    }

    static let titles: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj", "st", "jr", "sr",
        "rev", "hon", "pres", "supt", "insp", "det", "inc", "corp", "ltd", "co", "bros", "vs", "etc", "approx", "dept", "univ", "mt", "ft",
    ]
    static let months: Set<String> = ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
    static let numberWords: Set<String> = ["no", "nos", "art", "vol", "pp", "p", "fig", "ch", "sec"]

    static func isLatinEnd(_ scalar: Unicode.Scalar) -> Bool { scalar == "." || scalar == "!" || scalar == "?" || scalar == "…" }

    /// 。 ！ ？ ｡ and the fullwidth full stop.
    static func isCJKEnd(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3002, 0xFF01, 0xFF1F, 0xFF61, 0xFF0E: true
        default: false
        }
    }

    static func isCloser(_ scalar: Unicode.Scalar) -> Bool {
        "\"'”’»)]}」』）】〕〉》".unicodeScalars.contains(scalar)
    }

    static func isOpener(_ scalar: Unicode.Scalar) -> Bool {
        "\"'“‘«([{「『（【〔〈《".unicodeScalars.contains(scalar)
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        (0x3040...0x30FF).contains(scalar.value) || (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value)
    }

    static func isHangul(_ scalar: Unicode.Scalar) -> Bool { (0xAC00...0xD7AF).contains(scalar.value) || (0x1100...0x11FF).contains(scalar.value) }
}
