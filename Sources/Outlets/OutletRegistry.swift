import PublicSuffix

/// Finds the outlet behind a link's host: the host itself, then each parent domain down to the
/// registrable domain the public-suffix list gives ("edition.cnn.com" → "cnn.com";
/// "news.bbc.co.uk" → "bbc.co.uk", never "co.uk"). An outlet's subdomains need not be listed;
/// its other domains and aliases are listed in `domains`.
public struct OutletRegistry: Sendable {
    public let outlets: [Outlet]
    private let byID: [String: Outlet]
    private let byDomain: [String: String]
    private let byName: [String: String]

    public init(_ outlets: [Outlet]) {
        self.outlets = outlets
        var byID: [String: Outlet] = [:]
        var byDomain: [String: String] = [:]
        var byName: [String: String] = [:]
        for outlet in outlets {
            byID[outlet.id] = outlet
            for domain in outlet.domains { byDomain[Self.normalise(domain)] = outlet.id }
            byName[Self.nameKey(outlet.name), default: outlet.id] = outlet.id
        }
        self.byID = byID
        self.byDomain = byDomain
        self.byName = byName
    }

    public subscript(id: String) -> Outlet? { byID[id] }

    public func outlet(forHost host: String) -> Outlet? {
        var candidate = Self.normalise(host)
        if let id = byDomain[candidate] { return byID[id] }
        // A host that is a public suffix itself ("co.uk", "github.io") belongs to no one.
        guard let registrable = PublicSuffix.registrableDomain(candidate), candidate.hasSuffix(registrable) else { return nil }
        while candidate != registrable {
            guard let dot = candidate.firstIndex(of: ".") else { return nil }
            candidate = String(candidate[candidate.index(after: dot)...])
            if let id = byDomain[candidate] { return byID[id] }
        }
        return nil
    }

    /// The outlet an aggregator names without a usable link (Google News shows "Harbor Times" and
    /// links to itself): case, punctuation and a leading "The" do not matter.
    public func outlet(named name: String) -> Outlet? {
        byName[Self.nameKey(name)].flatMap { byID[$0] }
    }

    private static func nameKey(_ name: String) -> String {
        var key = name.lowercased().filter { $0.isLetter || $0.isNumber || $0 == " " }
        if key.hasPrefix("the ") { key.removeFirst(4) }
        return key.split(separator: " ").joined(separator: " ")
    }

    /// Lowercased, without "www." and trailing dots.
    public static func normalise(_ domain: String) -> String {
        var value = domain.lowercased()
        if value.hasPrefix("www.") { value.removeFirst(4) }
        while value.hasSuffix(".") { value.removeLast() }
        return value
    }
}
