import Foundation
import Stories
import Yams

/// The corrections file `parallax corrections export` writes and `import` reads: YAML a person
/// can read and edit, naming stories by their articles' URLs so that it means the same in
/// any state.
///
///     corrections:
///       - kind: move
///         date: 2026-12-03T09:12:00Z
///         articles: [https://example.com/a]
///         into: [https://example.com/b, https://example.com/c]
///         from: [https://example.com/d]
public enum CorrectionsFile {
    public static func render(_ corrections: [Correction], generatedAt: Date) -> String {
        var lines = [
            "# Parallax corrections, exported \(timestamp(generatedAt)).",
            "# Stories are named by their articles (canonical URLs): `into` and `from` list a few of a story's",
            "# earliest articles, `articles` those moved or split off. Apply with `parallax corrections import FILE`.",
            "corrections:",
        ]
        if corrections.isEmpty { lines[lines.count - 1] += " []" }
        for correction in corrections {
            var comment = ""
            switch correction.kind {
            case .merge: comment = correction.otherStoryID.map { id in "story \(id) merged into \(correction.storyID.map(String.init) ?? "?")" } ?? ""
            case .split: comment = correction.storyID.map { "split off as story \($0)" } ?? ""
            case .move: comment = correction.storyID.map { "moved to story \($0)" } ?? ""
            }
            lines.append("  - kind: \(correction.kind.rawValue)" + (comment.isEmpty ? "" : "  # \(comment) in the exporting state"))
            lines.append("    date: \(timestamp(correction.createdAt))")
            for (key, urls) in [("articles", correction.articles), ("into", correction.into), ("from", correction.from)] where !urls.isEmpty {
                lines.append("    \(key):")
                for url in urls { lines.append("      - \(quoted(url))") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func parse(_ text: String, file: String) throws(ConfigError) -> [Correction] {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw ConfigError(file: file, line: nil, message: "the file is empty") }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw ConfigError(
                file: file, line: ConfigLoader.yamlErrorLine(error), message: "not valid YAML: \(ConfigLoader.yamlErrorSummary(error))")
        } catch {
            throw ConfigError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
        let reader = NodeReader(file: file)
        let top = try reader.mapping(root, what: "a corrections file", allowed: ["corrections"])
        guard let list = top["corrections"] else { throw reader.error(root, "a corrections file needs a 'corrections' list") }
        var corrections: [Correction] = []
        for node in try reader.sequence(list, what: "corrections") {
            let map = try reader.mapping(node, what: "a correction", allowed: ["kind", "date", "articles", "into", "from"])
            guard let kindNode = map["kind"] else { throw reader.error(node, "a correction needs a 'kind' (merge, split or move)") }
            guard let dateNode = map["date"] else { throw reader.error(node, "a correction needs a 'date' (e.g. 2026-12-03T09:12:00Z)") }
            let kind = try reader.enumeration(kindNode, what: "kind", as: Correction.Kind.self)
            let dateText = try reader.string(dateNode, what: "date")
            guard let date = ISO8601DateFormatter().date(from: dateText) else {
                throw reader.error(dateNode, "date '\(dateText)' must be written like 2026-12-03T09:12:00Z")
            }
            func urls(_ key: String) throws(ConfigError) -> [String] {
                guard let value = map[key] else { return [] }
                var urls: [String] = []
                for item in try reader.sequence(value, what: key) {
                    let url = try reader.string(item, what: key)
                    guard let scheme = URL(string: url)?.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
                        throw reader.error(item, "'\(url)' is not an http(s) URL")
                    }
                    urls.append(url)
                }
                return urls
            }
            let correction = Correction(kind: kind, createdAt: date, articles: try urls("articles"), into: try urls("into"), from: try urls("from"))
            let needs: [(String, Bool)] =
                switch kind {
                case .merge: [("into", !correction.into.isEmpty), ("from", !correction.from.isEmpty)]
                case .split: [("articles", !correction.articles.isEmpty), ("from", !correction.from.isEmpty)]
                case .move: [("articles", !correction.articles.isEmpty), ("into", !correction.into.isEmpty)]
                }
            for (key, present) in needs where !present { throw reader.error(node, "a \(kind.rawValue) correction needs '\(key)' URLs") }
            corrections.append(correction)
        }
        return corrections
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// A URL as a YAML scalar: quoted, since '#' or ': ' inside one would change its meaning.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
