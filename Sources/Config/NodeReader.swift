import Foundation
import Outlets
import Yams

/// Typed reading of YAML nodes, with errors that carry the node's file and line.
struct NodeReader {
    let file: String

    func error(_ node: Node, _ message: String) -> ConfigError {
        ConfigError(file: file, line: node.mark?.line, message: message)
    }

    /// A mapping's entries; `allowed: nil` accepts any key (a mapping of user-chosen names).
    func mapping(_ node: Node, what: String, allowed: Set<String>?) throws(ConfigError) -> [String: Node] {
        guard case .mapping(let mapping) = node else { throw error(node, "\(what) must be a mapping of keys to values") }
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { throw error(keyNode, "keys in \(what) must be text") }
            if let allowed, !allowed.contains(key) {
                throw error(keyNode, "unknown key '\(key)' in \(what) (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard result[key] == nil else { throw error(keyNode, "key '\(key)' appears twice in \(what)") }
            result[key] = value
        }
        return result
    }

    func sequence(_ node: Node, what: String) throws(ConfigError) -> [Node] {
        guard case .sequence(let sequence) = node else { throw error(node, "'\(what)' must be a list") }
        return Array(sequence)
    }

    func string(_ node: Node, what: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node else { throw error(node, "'\(what)' must be a single value, not a list or mapping") }
        let value = scalar.string.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw error(node, "'\(what)' is empty") }
        return value
    }

    func bool(_ node: Node, what: String) throws(ConfigError) -> Bool {
        guard let value = node.bool else { throw error(node, "'\(what)' must be true or false") }
        return value
    }

    func number(_ node: Node, what: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double {
        guard let value = node.float ?? node.int.map(Double.init) else { throw error(node, "'\(what)' must be a number") }
        guard range.contains(value) else {
            throw error(node, "'\(what)' is \(value), outside \(range.lowerBound.formatted())…\(range.upperBound.formatted())")
        }
        return value
    }

    func enumeration<T: RawRepresentable & CaseIterable>(_ node: Node, what: String, as type: T.Type) throws(ConfigError) -> T
    where T.RawValue == String {
        let value = try string(node, what: what)
        guard let parsed = T(rawValue: value) else {
            throw error(node, "'\(value)' is not a valid \(what) (expected one of: \(T.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return parsed
    }
}

/// Reads one `outlets:` entry.
struct OutletReader {
    let reader: NodeReader

    static let keys: Set<String> = [
        "id", "name", "domains", "bias", "factuality", "ownership", "owner", "country", "language", "ratings",
    ]

    func outlet(_ node: Node) throws(ConfigError) -> Outlet {
        let map = try reader.mapping(node, what: "an outlet", allowed: Self.keys)
        guard let idNode = map["id"] else { throw reader.error(node, "an outlet needs an 'id'") }
        let id = try reader.string(idNode, what: "id")
        guard id.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            throw reader.error(idNode, "outlet id '\(id)' may only use a-z, 0-9 and '-'")
        }
        guard let nameNode = map["name"] else { throw reader.error(node, "outlet '\(id)' needs a 'name'") }
        guard let domainsNode = map["domains"] else { throw reader.error(node, "outlet '\(id)' needs 'domains'") }
        var domains: [String] = []
        for domainNode in try reader.sequence(domainsNode, what: "domains") {
            let domain = try reader.string(domainNode, what: "domain").lowercased()
            guard !domain.contains("/"), !domain.contains(" "), domain.contains(".") else {
                throw reader.error(domainNode, "'\(domain)' is not a domain name (write e.g. example.com, without scheme or path)")
            }
            domains.append(domain)
        }
        guard !domains.isEmpty else { throw reader.error(domainsNode, "outlet '\(id)' needs at least one domain") }
        var outlet = Outlet(id: id, name: try reader.string(nameNode, what: "name"), domains: domains)
        if let value = map["bias"] { outlet.manualBias = try reader.enumeration(value, what: "bias", as: Bias.self) }
        if let value = map["factuality"] { outlet.manualFactuality = try reader.enumeration(value, what: "factuality", as: Factuality.self) }
        if let value = map["ownership"] { outlet.ownership = try reader.enumeration(value, what: "ownership", as: Ownership.self) }
        if let value = map["owner"] { outlet.owner = try reader.string(value, what: "owner") }
        if let value = map["country"] { outlet.country = try reader.string(value, what: "country").uppercased() }
        if let value = map["language"] { outlet.language = try reader.string(value, what: "language").lowercased() }
        if let value = map["ratings"] {
            for ratingNode in try reader.sequence(value, what: "ratings") {
                outlet.ratings.append(try rating(ratingNode, outletID: id))
            }
        }
        return outlet
    }

    private func rating(_ node: Node, outletID: String) throws(ConfigError) -> Rating {
        let map = try reader.mapping(node, what: "a rating", allowed: ["rater", "bias", "factuality", "label", "date", "url"])
        guard let raterNode = map["rater"] else { throw reader.error(node, "a rating of '\(outletID)' needs a 'rater'") }
        guard let dateNode = map["date"] else { throw reader.error(node, "a rating of '\(outletID)' needs a 'date' (YYYY-MM-DD)") }
        let date = try reader.string(dateNode, what: "date")
        guard date.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else {
            throw reader.error(dateNode, "rating date '\(date)' must be written YYYY-MM-DD")
        }
        var rating = Rating(rater: try reader.string(raterNode, what: "rater"), date: date)
        if let value = map["bias"] { rating.bias = try reader.enumeration(value, what: "bias", as: Bias.self) }
        if let value = map["factuality"] { rating.factuality = try reader.enumeration(value, what: "factuality", as: Factuality.self) }
        if let value = map["label"] { rating.label = try reader.string(value, what: "label") }
        if let value = map["url"] { rating.url = try reader.string(value, what: "url") }
        return rating
    }
}
