import Foundation

/// Google News RSS links every article through `https://news.google.com/rss/articles/<payload>`.
/// In the older form the payload is base64url of a small protobuf message whose field 4 is the
/// publisher's own URL (`CBMi…`: field 1 = 19, then field 4 as a length-prefixed string); the
/// newer form holds an opaque id there instead, which only Google's servers can turn into a URL.
/// Reading the older form is pure decoding: no request is ever made for a link.
public enum GoogleNewsLink {
    public enum Reading: Equatable, Sendable {
        /// The publisher's URL, as the payload holds it.
        case publisher(String)
        /// A Google News article link whose payload holds no URL.
        case opaque
    }

    /// How `link` reads, or nil when it is no Google News article link.
    public static func read(_ link: String) -> Reading? {
        guard mentionsHost(link),
            let components = URLComponents(string: CanonicalURL.trimmedLink(link)),
            components.host?.lowercased() == "news.google.com"
        else { return nil }
        let segments = components.path.split(separator: "/")
        guard let articles = segments.lastIndex(of: "articles"), articles + 1 == segments.count - 1 else { return nil }
        guard let payload = decodeBase64URL(segments[articles + 1]), let url = publisherURL(inMessage: payload) else { return .opaque }
        return .publisher(url)
    }

    private static let host = Array("news.google.com".utf8)

    /// Whether the host's name occurs in `link`, by a byte search: Foundation's `contains`
    /// bridges every link to NSString, and the generic `firstRange(of:)` is slower still.
    private static func mentionsHost(_ link: String) -> Bool {
        var link = link
        return link.withUTF8 { bytes in
            guard bytes.count >= host.count else { return false }
            for start in 0...(bytes.count - host.count) where bytes[start] == host[0] {
                var matched = 1
                while matched < host.count, bytes[start + matched] == host[matched] { matched += 1 }
                if matched == host.count { return true }
            }
            return false
        }
    }

    private static func decodeBase64URL(_ text: Substring) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        return Data(base64Encoded: standard).map(Array.init)
    }

    /// The first length-delimited field 4 of a protobuf message that is an http(s) URL. Any
    /// malformed field ends the reading: the payload is then taken as opaque.
    private static func publisherURL(inMessage bytes: [UInt8]) -> String? {
        var index = 0
        func varint() -> UInt64? {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 7) {
                guard index < bytes.count else { return nil }
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte & 0x80 == 0 { return value }
            }
            return nil
        }
        while index < bytes.count {
            guard let key = varint() else { return nil }
            switch key & 7 {
            case 0: guard varint() != nil else { return nil }
            case 1: index += 8
            case 5: index += 4
            case 2:
                guard let length = varint(), length <= UInt64(bytes.count - index) else { return nil }
                let field = bytes[index..<index + Int(length)]
                index += Int(length)
                if key >> 3 == 4, let text = String(validating: field, as: UTF8.self),
                    text.hasPrefix("https://") || text.hasPrefix("http://"), let url = URLComponents(string: text), url.host?.isEmpty == false
                {
                    return text
                }
            default: return nil
            }
        }
        return nil
    }
}
