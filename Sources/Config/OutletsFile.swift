import Foundation
import Outlets

/// Writes outlets in the config's own `outlets:` form, for a file a config includes
/// (`include: [outlets.yaml]`). Only what is set is written; strings are always quoted.
public enum OutletsFile {
    public static func render(_ outlets: [Outlet], header: [String]) -> String {
        var lines = header.map { "# " + $0 }
        lines.append("outlets:")
        for outlet in outlets {
            lines.append("  - id: \(outlet.id)")
            lines.append("    name: \(quote(outlet.name))")
            lines.append("    domains: [\(outlet.domains.map(quote).joined(separator: ", "))]")
            if let bias = outlet.manualBias { lines.append("    bias: \(bias.rawValue)") }
            if let factuality = outlet.manualFactuality { lines.append("    factuality: \(factuality.rawValue)") }
            if outlet.ownership != .unknown { lines.append("    ownership: \(outlet.ownership.rawValue)") }
            if let owner = outlet.owner { lines.append("    owner: \(quote(owner))") }
            if let country = outlet.country { lines.append("    country: \(quote(country))") }
            if let language = outlet.language { lines.append("    language: \(quote(language))") }
            guard !outlet.ratings.isEmpty else { continue }
            lines.append("    ratings:")
            for rating in outlet.ratings {
                lines.append("      - rater: \(quote(rating.rater))")
                if let bias = rating.bias { lines.append("        bias: \(bias.rawValue)") }
                if let factuality = rating.factuality { lines.append("        factuality: \(factuality.rawValue)") }
                if let label = rating.label { lines.append("        label: \(quote(label))") }
                if let category = rating.category { lines.append("        category: \(quote(category))") }
                lines.append("        date: \(quote(rating.date))")
                if let url = rating.url { lines.append("        url: \(quote(url))") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar; JSON's string escapes are a subset of YAML's.
    static func quote(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
