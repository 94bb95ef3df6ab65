import Foundation

/// The rules of one robots.txt (RFC 9309) for one crawler: the group naming the product
/// token (`parallax`), else the `*` group. The longest matching rule wins; on a tie, Allow.
public struct RobotsTxt: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        var allow: Bool
        var pattern: String
    }

    var rules: [Rule]

    public static let allowAll = RobotsTxt(rules: [])
    public static let disallowAll = RobotsTxt(rules: [Rule(allow: false, pattern: "/")])

    init(rules: [Rule]) {
        self.rules = rules
    }

    public init(parsing text: String, productToken: String = "parallax") {
        var groups: [(agents: [String], rules: [Rule])] = []
        var collectingAgents = false
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let field = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            switch field {
            case "user-agent":
                if !collectingAgents || groups.isEmpty { groups.append(([], [])) }
                groups[groups.count - 1].agents.append(value.lowercased())
                collectingAgents = true
            case "allow", "disallow":
                collectingAgents = false
                guard !groups.isEmpty, !value.isEmpty else { continue }
                groups[groups.count - 1].rules.append(Rule(allow: field == "allow", pattern: value))
            default:
                continue
            }
        }
        let token = productToken.lowercased()
        let mine = groups.filter { $0.agents.contains(token) }
        let chosen = mine.isEmpty ? groups.filter { $0.agents.contains("*") } : mine
        rules = chosen.flatMap(\.rules)
    }

    /// Whether `path` (path and query, as requested) may be fetched.
    public func allows(_ path: String) -> Bool {
        var best: Rule?
        for rule in rules where Self.matches(rule.pattern, path) {
            if let current = best {
                if rule.pattern.count > current.pattern.count || (rule.pattern.count == current.pattern.count && rule.allow) {
                    best = rule
                }
            } else {
                best = rule
            }
        }
        return best?.allow ?? true
    }

    /// `*` matches any run of characters; a final `$` anchors the end.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        let anchored = pattern.hasSuffix("$")
        let body = anchored ? String(pattern.dropLast()) : pattern
        let pieces = body.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var remainder = Substring(path)
        for (index, piece) in pieces.enumerated() {
            if index == 0 {
                guard remainder.hasPrefix(piece) else { return false }
                remainder = remainder.dropFirst(piece.count)
            } else if index == pieces.count - 1 && anchored {
                return remainder.hasSuffix(piece)
            } else {
                guard let range = remainder.range(of: piece) else { return false }
                remainder = remainder[range.upperBound...]
            }
        }
        return !anchored || remainder.isEmpty
    }
}
