import Foundation

/// Removes the characters that change what a reader sees without being seen: the bidi
/// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069: a U+202E in a title shows
/// it reversed, in a terminal as in a browser), and the invisible format characters that hide or
/// split words (zero-width space U+200B, word joiner and the invisible operators U+2060–U+2064
/// with the deprecated U+206A–U+206F, a byte order mark U+FEFF inside text, the Mongolian vowel
/// separator U+180E, the interlinear annotation marks U+FFF9–U+FFFB, and tag characters
/// U+E0000–U+E007F outside the emoji flag sequences they are made for).
/// Kept, because scripts need them: ZWNJ and ZWJ (U+200C, U+200D: Persian, Indic, emoji
/// sequences), and the direction marks U+200E, U+200F and U+061C, which set the direction of
/// neighbouring punctuation in right-to-left text and cannot reverse a run. The soft hyphen
/// U+00AD stays too: it is the writer's hyphenation point (German feeds are full of them), shown
/// only where a line breaks, and feedparser keeps it.
/// Every field of feed text passes through here once, when it is read, so every renderer gets
/// clean text; text without any of these (nearly all) is returned as it is after one byte scan.
public enum InvisibleText {
    public static func neutralised(_ text: String) -> String {
        guard mayHoldInvisible(text) else { return text }
        var scalars = String.UnicodeScalarView()
        var inFlagSequence = false
        var removed = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if (0xE0020...0xE007F).contains(value), inFlagSequence {
                scalars.append(scalar)
                if value == 0xE007F { inFlagSequence = false }
                continue
            }
            inFlagSequence = value == 0x1F3F4
            if isInvisible(value) {
                removed = true
                continue
            }
            scalars.append(scalar)
        }
        guard removed else { return text }
        // A removed character between two spaces would leave a double one; ends stay trimmed.
        return String(scalars).replacingOccurrences(of: "  ", with: " ").trimmingCharacters(in: .whitespaces)
    }

    static func isInvisible(_ value: UInt32) -> Bool {
        switch value {
        case 0x180E, 0x200B, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFEFF, 0xFFF9...0xFFFB, 0xE0000...0xE007F:
            true
        default:
            false
        }
    }

    /// Whether the UTF-8 holds the encoding of any of those characters, told from its first two
    /// or three bytes: curly quotes and dashes (E2 80 9x) are common,
    /// so a lead byte alone would send much ordinary text the slow way.
    private static func mayHoldInvisible(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let lead = bytes[index]
                index += 1
                guard lead >= 0xE1 else { continue }
                let second: UInt8 = index < bytes.count ? bytes[index] : 0
                let third: UInt8 = index + 1 < bytes.count ? bytes[index + 1] : 0
                switch (lead, second) {
                case (0xF3, 0xA0): return true
                case (0xE1, 0xA0): if third == 0x8E { return true }
                case (0xE2, 0x80): if third == 0x8B || (0xAA...0xAE).contains(third) { return true }
                case (0xE2, 0x81): if (0xA0...0xAF).contains(third) { return true }
                case (0xEF, 0xBB): if third == 0xBF { return true }
                case (0xEF, 0xBF): if (0xB9...0xBB).contains(third) { return true }
                default: break
                }
            }
            return false
        }
    }
}

extension ParsedFeed {
    /// Every text field with `InvisibleText.neutralised`.
    mutating func neutraliseInvisibleText() {
        title = InvisibleText.neutralised(title)
        for index in items.indices {
            items[index].neutraliseInvisibleText()
        }
    }
}

extension ParsedItem {
    mutating func neutraliseInvisibleText() {
        title = InvisibleText.neutralised(title)
        summary = InvisibleText.neutralised(summary)
        content = InvisibleText.neutralised(content)
        author = author.map(InvisibleText.neutralised)
        authors = authors.map(InvisibleText.neutralised)
        categories = categories.map(InvisibleText.neutralised)
        sourceName = sourceName.map(InvisibleText.neutralised)
    }
}
