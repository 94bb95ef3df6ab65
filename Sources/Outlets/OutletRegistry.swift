/// Finds the outlet behind a link's host: exact domain first, then each parent domain
/// ("edition.cnn.com" → "cnn.com"), so an outlet's subdomains need not be listed.
public struct OutletRegistry: Sendable {
    public let outlets: [Outlet]
    private let byID: [String: Outlet]
    private let byDomain: [String: String]

    public init(_ outlets: [Outlet]) {
        self.outlets = outlets
        var byID: [String: Outlet] = [:]
        var byDomain: [String: String] = [:]
        for outlet in outlets {
            byID[outlet.id] = outlet
            for domain in outlet.domains { byDomain[Self.normalise(domain)] = outlet.id }
        }
        self.byID = byID
        self.byDomain = byDomain
    }

    public subscript(id: String) -> Outlet? { byID[id] }

    public func outlet(forHost host: String) -> Outlet? {
        var candidate = Self.normalise(host)
        while true {
            if let id = byDomain[candidate] { return byID[id] }
            guard let dot = candidate.firstIndex(of: ".") else { return nil }
            candidate = String(candidate[candidate.index(after: dot)...])
            // Stop before a bare top-level domain.
            guard candidate.contains(".") else { return nil }
        }
    }

    static func normalise(_ domain: String) -> String {
        var value = domain.lowercased()
        if value.hasPrefix("www.") { value.removeFirst(4) }
        while value.hasSuffix(".") { value.removeLast() }
        return value
    }
}
