import Foundation

/// The form of an article URL used to recognise the same article across feeds and runs:
/// scheme and host lower-cased, default port, fragment and tracking parameters removed,
/// every other query parameter kept in its order. A Google News article link whose payload
/// holds the publisher's URL stands for that URL (`GoogleNewsLink`), so it dedups with the same
/// article from the outlet's own feed.
public enum CanonicalURL {
    static let trackingParameters: Set<String> = [
        "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_hsenc", "_hsmi",
        "ref_src", "cmpid", "ncid", "ocid", "spm", "smid", "mkt_tok", "at_medium", "at_campaign",
    ]

    public static func canonicalize(_ link: String) -> String? {
        let trimmed = trimmedLink(link)
        if case .publisher(let url) = GoogleNewsLink.read(trimmed), url != trimmed { return canonicalize(url) }
        guard let components = URLComponents(string: trimmed),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return nil }
        var port = ""
        if let number = components.port, !(scheme == "http" && number == 80), !(scheme == "https" && number == 443) {
            port = ":\(number)"
        }
        var cleanHost = Substring(host.lowercased())
        while cleanHost.first == "." { cleanHost.removeFirst() }
        while cleanHost.last == "." { cleanHost.removeLast() }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        // Query parameters are kept byte for byte, in order, minus the tracking ones.
        let kept = (components.percentEncodedQuery ?? "").split(separator: "&").filter { parameter in
            let name = (parameter.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "").lowercased()
            return !name.isEmpty && !name.hasPrefix("utm_") && !trackingParameters.contains(name)
        }
        let query = kept.isEmpty ? "" : "?" + kept.joined(separator: "&")
        return "\(scheme)://\(cleanHost)\(port)\(path)\(query)"
    }

    /// The host of a link, lower-cased and without a leading "www.", or nil when it has none.
    public static func host(of link: String) -> String? {
        guard let host = URLComponents(string: trimmedLink(link))?.host?.lowercased(),
            !host.isEmpty
        else { return nil }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }

    /// `link` without leading and trailing whitespace. Links nearly always start and end with a
    /// printable ASCII byte; only the others go through Foundation, whose NSString bridging
    /// costs more than the rest of canonicalising a link.
    static func trimmedLink(_ link: String) -> String {
        let bytes = link.utf8
        guard let first = bytes.first, let last = bytes.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F else {
            return link.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return link
    }
}
