import Foundation

/// What the HTTP response a feed came in says about it besides its bytes: the charset and media
/// type (`Content-Type`), the address the body really lives at (`Content-Location`) and its
/// language (`Content-Language`). Files have none of these.
public struct ResponseHeaders: Sendable, Equatable {
    public var contentType: String?
    public var contentLocation: String?
    public var contentLanguage: String?

    public init(contentType: String? = nil, contentLocation: String? = nil, contentLanguage: String? = nil) {
        self.contentType = contentType
        self.contentLocation = contentLocation
        self.contentLanguage = contentLanguage
    }

    /// The `charset` parameter of `Content-Type`, unquoted.
    public var charset: String? {
        contentType?.split(separator: ";").dropFirst().lazy.compactMap { parameter -> String? in
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { return nil }
            let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
            return value.isEmpty ? nil : value
        }.first
    }

    /// The media type of `Content-Type` in lower case, without parameters.
    public var mediaType: String? {
        guard let type = contentType?.split(separator: ";", omittingEmptySubsequences: false).first else { return nil }
        let trimmed = type.trimmingCharacters(in: .whitespaces).lowercased()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Whether the media type says the body is XML (RFC 7303: `application/xml`, `text/xml`,
    /// any `+xml` type and the XML entity types). No media type at all says nothing either way.
    public var isXMLMediaType: Bool {
        guard let type = mediaType else { return true }
        return type == "application/xml" || type == "text/xml" || type.hasSuffix("+xml") || type == "application/xml-dtd"
            || type.hasSuffix("/xml-external-parsed-entity")
    }

    /// The base for relative links in the body (RFC 7231 §3.1.4.2): `Content-Location`, itself
    /// resolved against the URL the body was fetched from, when it is an http(s) address;
    /// otherwise that URL. A `javascript:` or other non-web location is ignored.
    public func baseURL(fetchedFrom url: String) -> String {
        guard let location = contentLocation?.trimmingCharacters(in: .whitespaces), !location.isEmpty,
            let resolved = URL(string: location, relativeTo: URL(string: url))?.absoluteURL,
            resolved.scheme == "http" || resolved.scheme == "https", resolved.host != nil
        else { return url }
        return resolved.absoluteString
    }

    /// The first language of `Content-Language` ("en", "de-AT"; a list names the first).
    public var language: String? {
        guard let first = contentLanguage?.split(separator: ",").first?.trimmingCharacters(in: .whitespaces), !first.isEmpty
        else { return nil }
        return first
    }
}

extension FeedParser {
    /// Parses a feed fetched over HTTP, with what its response headers say: the charset wins over
    /// the document's declaration (a byte order mark wins over both, as in browsers' WHATWG
    /// Encoding), `Content-Location` is the base for relative links, and
    /// `Content-Language` is the feed's language when the feed names none. An XML feed served as
    /// a type that is not XML (`text/plain`, `text/html`) is still read, but flagged: the server
    /// is misconfigured and other readers may refuse the feed.
    public static func parse(
        _ data: Data, url: String, response: ResponseHeaders, maximumBytes: Int = defaultMaximumBytes
    ) throws(FeedParseError) -> ParsedFeed {
        let charset = EncodingGuess.startsWithBOM(data) ? nil : response.charset
        var feed = try parse(data, url: response.baseURL(fetchedFrom: url), encoding: charset, maximumBytes: maximumBytes)
        if !feed.format.isJSON, !response.isXMLMediaType, let type = response.mediaType {
            feed.problems.append("served as \(type), which is not an XML media type")
        }
        if feed.language == nil { feed.language = response.language }
        return feed
    }
}
