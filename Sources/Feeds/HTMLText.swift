import Foundation

/// Turns the HTML that feeds put in titles and descriptions into plain text: tags removed,
/// character references decoded, runs of whitespace folded to one space.
public enum HTMLText {
    public static func plainText(_ html: String) -> String {
        guard html.contains(where: { $0 == "<" || $0 == "&" || $0.isWhitespace }) else { return html }
        var output = ""
        output.reserveCapacity(html.utf8.count)
        var index = html.startIndex
        var pendingSpace = false
        func emit(_ character: Character) {
            if character.isWhitespace {
                pendingSpace = !output.isEmpty
            } else {
                if pendingSpace { output.append(" ") }
                pendingSpace = false
                output.append(character)
            }
        }
        while index < html.endIndex {
            let character = html[index]
            if character == "<", let close = tagEnd(in: html, from: index) {
                let name = tagName(html[html.index(after: index)..<close])
                if name == "script" || name == "style" {
                    // Browsers never show their content as text.
                    let closing = html.range(of: "</\(name)", options: .caseInsensitive, range: close..<html.endIndex)
                    index = closing.flatMap { html[$0.upperBound...].firstIndex(of: ">") }.map(html.index(after:)) ?? html.endIndex
                    pendingSpace = !output.isEmpty
                } else {
                    index = html.index(after: close)
                    if isBlockTag(name) { pendingSpace = !output.isEmpty }
                }
            } else if character == "&", let (decoded, next) = decodeReference(in: html, at: index) {
                decoded.forEach(emit)
                index = next
            } else {
                emit(character)
                index = html.index(after: index)
            }
        }
        return output
    }

    /// Browsers read the C1 control characters (U+0080–U+009F), which pages produce with `&#150;`
    /// or a windows-1252 page labelled ISO-8859-1, as the windows-1252 characters at those bytes.
    static func repairingC1Controls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0x80...0x9F).contains($0.value) }) else { return text }
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

    /// Runs of whitespace folded to one space, nothing else changed.
    static func foldWhitespace(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Text that declares itself plain but holds markup anyway (a closing tag, `<br>`, or a
    /// character reference), as feedparser's "looks like HTML" test does.
    static func looksLikeHTML(_ text: String) -> Bool {
        text.contains(/<\/[A-Za-z][A-Za-z0-9]*\s*>|<br\s*\/?>|&#?[A-Za-z0-9]+;/.ignoresCase())
    }

    private static func tagEnd(in html: String, from start: String.Index) -> String.Index? {
        let next = html.index(after: start)
        guard next < html.endIndex else { return nil }
        let first = html[next]
        // A bare "<" in text (e.g. "a < b") is not a tag.
        guard first.isLetter || first == "/" || first == "!" || first == "?" else { return nil }
        return html[next...].firstIndex(of: ">")
    }

    private static func tagName(_ tag: Substring) -> String {
        tag.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber }).lowercased()
    }

    private static func isBlockTag(_ name: String) -> Bool {
        ["p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "blockquote", "hr"]
            .contains(name)
    }

    /// Decodes `&name;`, `&#123;` and `&#x1F;` starting at `start`; nil when it is not a reference.
    static func decodeReference(in text: String, at start: String.Index) -> (String, String.Index)? {
        let limit = text.index(start, offsetBy: 12, limitedBy: text.endIndex) ?? text.endIndex
        guard let semicolon = text[start..<limit].firstIndex(of: ";") else { return nil }
        let body = text[text.index(after: start)..<semicolon]
        let next = text.index(after: semicolon)
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value = digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, let scalar = Unicode.Scalar(value), value != 0 else { return nil }
            return (String(scalar), next)
        }
        guard let named = namedEntities[String(body)] else { return nil }
        return (named, next)
    }

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
