import Foundation

/// Splits text into folded tokens by script: words for Latin, Cyrillic, Greek and Hangul,
/// runs of Han and Kana (which have no spaces and become bigrams later). Each token remembers
/// how it was written, because capitals and acronyms mark names.
public enum Tokenizer {
    public enum Script: Sendable { case word, hangul, cjk }

    public enum Shape: Sendable, Equatable {
        case lower
        /// "Chile", "McDonald".
        case capitalised
        /// "NASA", "ESA": two or more letters, all capitals.
        case acronym
        case number
    }

    public struct Token: Sendable, Equatable {
        /// NFKC, lower-cased, diacritics removed for letters of the word scripts.
        public var text: String
        public var script: Script
        public var shape: Shape
    }

    /// Folded words with nothing removed, for fingerprints of identical texts.
    public static func words(in text: String) -> [String] {
        wordBytes(in: text).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The words of `words(in:)` as UTF-8 bytes, without making a string of each: what the
    /// hashes of a text (fingerprint, SimHash) read.
    public static func wordBytes(in text: String) -> [ArraySlice<UInt8>] {
        guard byteScannerSuffices(text) else { return unicodeTokens(in: text).map { ArraySlice($0.text.utf8) } }
        var result: [ArraySlice<UInt8>] = []
        result.reserveCapacity(text.utf8.count / 5 + 1)
        scanFolded(text) { bytes, _ in result.append(bytes) }
        return result
    }

    /// Each token's folded UTF-8 bytes and shape, in order, without making a string of each, for
    /// callers that keep few of them; nil when the text needs the Unicode path (`tokens(in:)`).
    public static func asciiTokenBytes(in text: String) -> [(bytes: ArraySlice<UInt8>, shape: Shape)]? {
        guard byteScannerSuffices(text) else { return nil }
        var result: [(bytes: ArraySlice<UInt8>, shape: Shape)] = []
        result.reserveCapacity(text.utf8.count / 5 + 1)
        scanFolded(text) { bytes, shape in result.append((bytes, shape)) }
        return result
    }

    /// Whether every byte of the text is ASCII, read eight bytes at a time where the text is
    /// contiguous (every fast path asks it of every sentence; byte by byte it was a twentieth of a brief).
    public static func isASCII<Text: StringProtocol>(_ text: Text) -> Bool {
        if let verdict = text.utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            guard let base = bytes.baseAddress else { return true }
            var index = 0
            let raw = UnsafeRawPointer(base)
            while index + 8 <= bytes.count {
                if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                index += 8
            }
            while index < bytes.count {
                if bytes[index] >= 0x80 { return false }
                index += 1
            }
            return true
        }) {
            return verdict
        }
        return text.utf8.allSatisfy { $0 < 0x80 }
    }

    public static func tokens(in text: String) -> [Token] {
        byteScannerSuffices(text) ? asciiTokens(in: text) : unicodeTokens(in: text)
    }

    private static func byteScannerSuffices(_ text: String) -> Bool {
        if isASCII(text) { return true }
        // Curly quotes, dashes and ellipses (General Punctuation) only separate words, which the
        // byte scanner does for any byte that is not an ASCII letter or digit.
        return text.unicodeScalars.allSatisfy { $0.isASCII || (0x2010...0x2027).contains($0.value) }
    }

    /// Most headlines are plain ASCII: bytes are scanned directly, skipping Foundation's
    /// normalisation, which is the expensive part. Each token is cut from one lower-cased copy
    /// of the text rather than built byte by byte.
    private static func asciiTokens(in text: String) -> [Token] {
        var result: [Token] = []
        result.reserveCapacity(text.utf8.count / 5 + 1)
        scanFolded(text) { bytes, shape in result.append(Token(text: String(decoding: bytes, as: UTF8.self), script: .word, shape: shape)) }
        return result
    }

    /// Calls `body` with each token's lower-cased bytes (digit-group commas dropped) and shape, as
    /// the byte scanner reads the text: every ASCII path's one split.
    private static func scanFolded(_ text: String, _ body: (ArraySlice<UInt8>, Shape) -> Void) {
        let bytes = Array(text.utf8)
        let folded = bytes.map(fold)
        scanASCII(bytes) { range, hasComma, shape in body(hasComma ? ArraySlice(folded[range].filter { $0 != 0x2C }) : folded[range], shape) }
    }

    /// Calls `body` with each token's byte range, whether it holds digit-group commas (dropped
    /// from its text), and its shape.
    private static func scanASCII(_ bytes: [UInt8], _ body: (Range<Int>, Bool, Shape) -> Void) {
        let count = bytes.count
        var index = 0
        while index < count {
            guard isAlphanumeric(bytes[index]) else {
                index += 1
                continue
            }
            let start = index
            var uppercase = 0, letters = 0, digits = 0
            var hasComma = false
            while index < count {
                let byte = bytes[index]
                if isUpper(byte) {
                    uppercase += 1
                    letters += 1
                } else if byte >= 0x61 && byte <= 0x7A {
                    letters += 1
                } else if isDigit(byte) {
                    digits += 1
                } else if byte == 0x2E || byte == 0x2C, index + 1 < count, isDigit(bytes[index - 1]), isDigit(bytes[index + 1]) {
                    // "3.2" stays one term; "14,000" becomes "14000".
                    if byte == 0x2C { hasComma = true }
                } else {
                    break
                }
                index += 1
            }
            let shape: Shape
            if digits > 0 && letters == 0 {
                shape = .number
            } else if uppercase == letters && letters >= 2 {
                shape = .acronym
            } else if isUpper(bytes[start]) {
                shape = .capitalised
            } else {
                shape = .lower
            }
            body(start..<index, hasComma, shape)
        }
    }

    private static func fold(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte + 0x20 : byte }
    private static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isUpper(byte) || (byte >= 0x61 && byte <= 0x7A) || isDigit(byte)
    }

    private static func unicodeTokens(in text: String) -> [Token] {
        let scalars = Array(text.precomposedStringWithCompatibilityMapping.unicodeScalars)
        var result: [Token] = []
        var current = String.UnicodeScalarView()
        var currentScript: Script = .word
        var uppercase = 0, letters = 0, digits = 0
        var firstIsUpper = false
        func flush() {
            guard !current.isEmpty else { return }
            var token = String(current).lowercased()
            var shape = Shape.lower
            if currentScript == .word {
                if !token.allSatisfy(\.isASCII) {
                    token = token.folding(options: .diacriticInsensitive, locale: nil).precomposedStringWithCanonicalMapping
                }
                if digits > 0 && letters == 0 {
                    shape = .number
                } else if uppercase == letters && letters >= 2 {
                    shape = .acronym
                } else if firstIsUpper {
                    shape = .capitalised
                }
            }
            result.append(Token(text: token, script: currentScript, shape: shape))
            current.removeAll()
            uppercase = 0
            letters = 0
            digits = 0
        }
        func isBetweenDigits(_ index: Int) -> Bool {
            index > 0 && index + 1 < scalars.count
                && scalars[index - 1].properties.numericType != nil && scalars[index + 1].properties.numericType != nil
        }
        for (index, scalar) in scalars.enumerated() {
            if (scalar == "." || scalar == ","), isBetweenDigits(index) {
                if scalar == "." { current.append(scalar) }
                continue
            }
            guard let script = Self.script(of: scalar) else {
                flush()
                continue
            }
            if script != currentScript { flush() }
            currentScript = script
            if current.isEmpty { firstIsUpper = scalar.properties.isUppercase }
            if scalar.properties.numericType != nil {
                digits += 1
            } else {
                letters += 1
                if scalar.properties.isUppercase { uppercase += 1 }
            }
            current.append(scalar)
        }
        flush()
        return result
    }

    static func script(of scalar: Unicode.Scalar) -> Script? {
        switch scalar.value {
        case 0xAC00...0xD7A3, 0x1100...0x11FF, 0x3130...0x318F: return .hangul
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF: return .cjk
        default:
            return scalar.properties.isAlphabetic || scalar.properties.numericType != nil ? .word : nil
        }
    }
}
