import Foundation

/// What an import did, for the user to check.
public struct MergeReport: Sendable, Equatable {
    /// Records that updated an outlet already listed (a rater's earlier rating replaced).
    public var matched = 0
    /// Outlets added for records with a domain that no listed outlet has.
    public var added = 0
    /// Reason → how many records were left out.
    public var skipped: [String: Int] = [:]

    public var skippedCount: Int { skipped.values.reduce(0, +) }
}

/// Merges a rater's records into a list of outlets. Only ratings change: manual values,
/// names, ownership and everything else set by hand stay as they were.
public enum RatingMerge {
    public static func merge(_ records: [RatingRecord], into outlets: [Outlet], addNew: Bool) -> (outlets: [Outlet], report: MergeReport) {
        var outlets = outlets
        var report = MergeReport()
        var indexByID = Dictionary(outlets.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        var indexByName: [String: Int] = [:]
        for (index, outlet) in outlets.enumerated() where indexByName[normalisedName(outlet.name)] == nil {
            indexByName[normalisedName(outlet.name)] = index
        }
        // Exact domains only: a rater's separate entry for "blogs.example.com" is not "example.com".
        var indexByDomain: [String: Int] = [:]
        for (index, outlet) in outlets.enumerated() {
            for domain in outlet.domains where indexByDomain[OutletRegistry.normalise(domain)] == nil {
                indexByDomain[OutletRegistry.normalise(domain)] = index
            }
        }
        var updatedInThisImport: Set<String> = []

        for record in records {
            if record.name.lowercased().contains("(opinion") {
                report.skipped["an opinion section (the news rating is used)", default: 0] += 1
                continue
            }
            if record.domains.contains(where: { !isDomain($0) }) {
                report.skipped["a section of a site (a domain with a path), not a whole outlet", default: 0] += 1
                continue
            }
            let byDomain = record.domains.lazy.compactMap { indexByDomain[OutletRegistry.normalise($0)] }.first
            let target = byDomain ?? indexByName[normalisedName(record.name)]
            if let index = target {
                let key = outlets[index].id + "\u{0}" + record.rating.rater
                guard updatedInThisImport.insert(key).inserted else {
                    report.skipped["a second row for an outlet already matched", default: 0] += 1
                    continue
                }
                if let current = outlets[index].ratings.first(where: { $0.rater == record.rating.rater }), current.date > record.rating.date {
                    report.skipped["older than the rating of that rater already recorded", default: 0] += 1
                    continue
                }
                outlets[index].ratings.removeAll { $0.rater == record.rating.rater }
                outlets[index].ratings.append(record.rating)
                for domain in record.domains where !outlets[index].domains.contains(domain) && byDomain != nil {
                    outlets[index].domains.append(domain)
                    indexByDomain[OutletRegistry.normalise(domain)] = index
                }
                report.matched += 1
                continue
            }
            guard let domain = record.domains.first else {
                report.skipped["no outlet of that name, and no domain to add one by", default: 0] += 1
                continue
            }
            guard addNew else {
                report.skipped["no outlet with that domain or name (not added: --match-only)", default: 0] += 1
                continue
            }
            var outlet = Outlet(id: uniqueID(for: domain, taken: indexByID), name: record.name, domains: record.domains, ratings: [record.rating])
            outlet.rule = outlets.first?.rule ?? .mean
            indexByID[outlet.id] = outlets.count
            for domain in outlet.domains { indexByDomain[OutletRegistry.normalise(domain)] = outlets.count }
            if indexByName[normalisedName(outlet.name)] == nil { indexByName[normalisedName(outlet.name)] = outlets.count }
            outlets.append(outlet)
            updatedInThisImport.insert(outlet.id + "\u{0}" + record.rating.rater)
            report.added += 1
        }
        return (outlets, report)
    }

    /// What a config accepts as a domain: a host name with a dot, no scheme, path or space.
    static func isDomain(_ value: String) -> Bool {
        value.contains(".") && !value.hasPrefix(".") && !value.hasSuffix(".")
            && value.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "." || $0 == "-" }
    }

    /// "The New York Times (News)" and "new york times" are one name: case, a leading "the",
    /// a parenthesised note and punctuation do not count.
    public static func normalisedName(_ name: String) -> String {
        var value = name.lowercased()
        if let open = value.firstIndex(of: "(") { value = String(value[..<open]) }
        value = value.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("the ") { value.removeFirst(4) }
        return String(value.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }.map(Character.init))
    }

    /// An outlet id from a domain ("bbc.co.uk" → "bbc-co-uk"), made unique with a number.
    static func uniqueID(for domain: String, taken: [String: Int]) -> String {
        let base = String(domain.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        var candidate = base.isEmpty ? "outlet" : base
        var number = 2
        while taken[candidate] != nil {
            candidate = "\(base)-\(number)"
            number += 1
        }
        return candidate
    }
}
