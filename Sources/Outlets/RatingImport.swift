import Foundation

/// One rater's verdict on one outlet as a rater's data file gives it, before it is matched
/// to an outlet: by domain when the file has one, else by name.
public struct RatingRecord: Sendable, Equatable {
    public var name: String
    /// The outlet's domain and its aliases, when the file has them.
    public var domains: [String]
    public var rating: Rating
}

public enum RatingFormat: String, Sendable, CaseIterable {
    case mbfc, allsides, adfontes, csv

    public var rater: String {
        switch self {
        case .mbfc: "MBFC"
        case .allsides: "AllSides"
        case .adfontes: "Ad Fontes Media"
        case .csv: "(per row)"
        }
    }
}

/// A rater's file that cannot be read as the format it was said to be.
public struct RatingImportError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// The records of a rater's file, plus the rows skipped and why.
public struct ParsedRatings: Sendable, Equatable {
    public var records: [RatingRecord] = []
    /// Reason → how many rows.
    public var skipped: [String: Int] = [:]
}

/// Readers for the raters' own file formats. Each maps the rater's labels onto Parallax's
/// scales by the rules the README states; a category that is not a lean (MBFC's
/// "questionable", "satire", …) is kept as a category and never turned into a bias.
public enum RatingImport {
    public static func parse(_ data: Data, format: RatingFormat, file: String, date: String?) throws(RatingImportError) -> ParsedRatings {
        switch format {
        case .mbfc:
            // MBFC's data comes as the browser extension's JSON or as the TSV of Baly et al.
            if data.first(where: { !$0.isWhitespace }) == UInt8(ascii: "{") { return try mbfcJSON(data, file: file, date: date) }
            return try mbfcTSV(data, file: file, date: try required(date, file: file, format: format))
        case .allsides: return try allSides(data, file: file, date: try required(date, file: file, format: format))
        case .adfontes: return try adFontes(data, file: file, date: try required(date ?? dateInFileName(file), file: file, format: format))
        case .csv: return try generic(data, file: file, date: date)
        }
    }

    static func required(_ date: String?, file: String, format: RatingFormat) throws(RatingImportError) -> String {
        guard let date else {
            throw RatingImportError(file: file, line: nil, message: "this \(format.rawValue) file carries no date: give the snapshot's date with --date YYYY-MM-DD")
        }
        return date
    }

    /// "…ratings__2022_01_17.csv" → "2022-01-17".
    static func dateInFileName(_ file: String) -> String? {
        guard let match = URL(fileURLWithPath: file).lastPathComponent.firstMatch(of: /(\d{4})[_-](\d{2})[_-](\d{2})/) else { return nil }
        return "\(match.1)-\(match.2)-\(match.3)"
    }

    // MARK: MBFC

    static let mbfcBias: [String: Bias] = [
        "left": .left, "extreme-left": .left, "left-center": .leanLeft, "center": .center, "least-biased": .center,
        "right-center": .leanRight, "right": .right, "extreme-right": .right,
    ]
    /// MBFC codes that are categories, not leans.
    static let mbfcCategories: [String: String] = [
        "fake-news": "questionable", "questionable": "questionable", "conspiracy-pseudoscience": "conspiracy-pseudoscience",
        "satire": "satire", "pro-science": "pro-science",
    ]

    struct MBFCFile: Decodable {
        var date: String?
        var aliases: [String: String]?
        var sources: [Source]

        struct Source: Decodable {
            var domain: String?
            var name: String?
            var url: String?
            var bias: String?
            var reporting: String?
            var questionable: [String]?
        }
    }

    static func mbfcJSON(_ data: Data, file: String, date: String?) throws(RatingImportError) -> ParsedRatings {
        let decoded: MBFCFile
        do {
            decoded = try JSONDecoder().decode(MBFCFile.self, from: data)
        } catch {
            throw RatingImportError(file: file, line: nil, message: "not MBFC JSON ({date, aliases, sources: [{domain, name, bias, reporting, …}]}): \(error)")
        }
        guard let snapshot = date ?? decoded.date.map({ String($0.prefix(10)) }), snapshot.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else {
            throw RatingImportError(file: file, line: nil, message: "the file has no usable 'date': give one with --date YYYY-MM-DD")
        }
        var aliasesByDomain: [String: [String]] = [:]
        for (alias, domain) in decoded.aliases ?? [:] { aliasesByDomain[domain.lowercased(), default: []].append(alias.lowercased()) }
        var result = ParsedRatings()
        for source in decoded.sources {
            guard let domain = source.domain?.lowercased(), !domain.isEmpty else {
                result.skipped["no domain", default: 0] += 1
                continue
            }
            let rawBias = source.bias ?? ""
            var label = "bias=\(rawBias); reporting=\(source.reporting ?? "")"
            if let questionable = source.questionable, !questionable.isEmpty { label += "; questionable=\(questionable.joined(separator: ","))" }
            let rating = Rating(
                rater: RatingFormat.mbfc.rater, bias: mbfcBias[rawBias], factuality: source.reporting.flatMap(factuality),
                label: label, category: mbfcCategories[rawBias], date: snapshot, url: source.url)
            guard rating.bias != nil || rating.factuality != nil || rating.category != nil else {
                result.skipped["neither a lean, a factual rating nor a category", default: 0] += 1
                continue
            }
            result.records.append(RatingRecord(name: source.name ?? domain, domains: [domain] + (aliasesByDomain[domain] ?? []).sorted(), rating: rating))
        }
        return result
    }

    /// Baly et al.'s corpus: `source_url, source_url_normalized, ref, fact, bias` (tab-separated).
    static func mbfcTSV(_ data: Data, file: String, date: String) throws(RatingImportError) -> ParsedRatings {
        let rows = try table(data, separator: "\t", file: file, required: ["source_url_normalized", "fact", "bias"])
        var result = ParsedRatings()
        for row in rows.rows {
            let domain = row["source_url_normalized"]!.lowercased()
            let rawBias = row["bias"]!, fact = row["fact"]!
            let rating = Rating(
                rater: RatingFormat.mbfc.rater, bias: mbfcBias[rawBias], factuality: factuality(fact), label: "bias=\(rawBias); fact=\(fact)",
                category: mbfcCategories[rawBias], date: date, url: row["ref"])
            guard !domain.isEmpty, rating.bias != nil || rating.factuality != nil || rating.category != nil else {
                result.skipped[domain.isEmpty ? "no domain" : "neither a lean, a factual rating nor a category", default: 0] += 1
                continue
            }
            result.records.append(RatingRecord(name: domain, domains: [domain], rating: rating))
        }
        return result
    }

    static func factuality(_ raw: String) -> Factuality? {
        switch raw.lowercased() {
        case "very-high", "very high": .veryHigh
        case "high": .high
        case "mostly-factual", "mostly factual": .mostlyFactual
        case "mixed": .mixed
        case "low": .low
        case "very-low", "very low": .veryLow
        default: nil
        }
    }

    // MARK: AllSides and Ad Fontes (keyed by name)

    static let allSidesBias: [String: Bias] = [
        "left": .left, "left-center": .leanLeft, "center": .center, "right-center": .leanRight, "right": .right,
    ]

    /// `news_source, rating, …, url, …`; the "allsides" rating (a mixed panel) is kept as a category.
    static func allSides(_ data: Data, file: String, date: String) throws(RatingImportError) -> ParsedRatings {
        let rows = try table(data, separator: ",", file: file, required: ["news_source", "rating"])
        var result = ParsedRatings()
        for row in rows.rows {
            let name = row["news_source"]!, raw = row["rating"]!
            let bias = allSidesBias[raw]
            guard !name.isEmpty, bias != nil || raw == "allsides" else {
                result.skipped["no name or unknown rating", default: 0] += 1
                continue
            }
            let rating = Rating(rater: RatingFormat.allsides.rater, bias: bias, label: raw, category: bias == nil ? "allsides" : nil, date: date, url: row["url"])
            result.records.append(RatingRecord(name: name, domains: [], rating: rating))
        }
        return result
    }

    /// Ad Fontes' bias (−42 … +42) in buckets of 12 around the centre; reliability stays in the label.
    public static func adFontesBias(_ score: Double) -> Bias {
        switch score {
        case ..<(-18): .left
        case ..<(-6): .leanLeft
        case ...6: .center
        case ...18: .leanRight
        default: .right
        }
    }

    /// `source, reliability, bias`; a row of 0 and 0 means "not rated" and is skipped.
    static func adFontes(_ data: Data, file: String, date: String) throws(RatingImportError) -> ParsedRatings {
        let rows = try table(data, separator: ",", file: file, required: ["source", "reliability", "bias"])
        var result = ParsedRatings()
        for (index, row) in rows.rows.enumerated() {
            guard let bias = Double(row["bias"]!), let reliability = Double(row["reliability"]!) else {
                throw RatingImportError(file: file, line: index + 2, message: "bias '\(row["bias"]!)' and reliability '\(row["reliability"]!)' must be numbers")
            }
            guard !(bias == 0 && reliability == 0), !row["source"]!.isEmpty else {
                result.skipped["no rating (0, 0) or no name", default: 0] += 1
                continue
            }
            let rating = Rating(
                rater: RatingFormat.adfontes.rater, bias: adFontesBias(bias), label: "bias \(row["bias"]!), reliability \(row["reliability"]!)", date: date)
            result.records.append(RatingRecord(name: row["source"]!, domains: [], rating: rating))
        }
        return result
    }

    // MARK: Generic CSV

    public static let genericColumns = ["rater", "domain", "name", "bias", "factuality", "label", "category", "date", "url"]

    /// The documented generic CSV: a header naming some of `genericColumns` (rater and date,
    /// and domain or name, are required per row); values on Parallax's own scales.
    static func generic(_ data: Data, file: String, date: String?) throws(RatingImportError) -> ParsedRatings {
        let rows = try table(data, separator: ",", file: file, required: ["rater"])
        guard rows.header.contains("domain") || rows.header.contains("name") else {
            throw RatingImportError(file: file, line: 1, message: "the header needs a 'domain' or a 'name' column (columns: \(genericColumns.joined(separator: ", ")))")
        }
        if let unknown = rows.header.first(where: { !genericColumns.contains($0) }) {
            throw RatingImportError(file: file, line: 1, message: "unknown column '\(unknown)' (columns: \(genericColumns.joined(separator: ", ")))")
        }
        var result = ParsedRatings()
        for (index, row) in rows.rows.enumerated() {
            let line = index + 2
            let value = { (key: String) -> String? in row[key].flatMap { $0.isEmpty ? nil : $0 } }
            guard let rater = value("rater"), let rowDate = value("date") ?? date else {
                throw RatingImportError(file: file, line: line, message: "each row needs a 'rater' and a 'date' (or --date)")
            }
            guard rowDate.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else {
                throw RatingImportError(file: file, line: line, message: "date '\(rowDate)' must be written YYYY-MM-DD")
            }
            var rating = Rating(rater: rater, label: value("label"), category: value("category"), date: rowDate, url: value("url"))
            if let raw = value("bias") {
                guard let bias = Bias(rawValue: raw) else {
                    throw RatingImportError(file: file, line: line, message: "'\(raw)' is not a bias (expected one of: \(Bias.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                rating.bias = bias == .unrated ? nil : bias
            }
            if let raw = value("factuality") {
                guard let factuality = Factuality(rawValue: raw) else {
                    throw RatingImportError(file: file, line: line, message: "'\(raw)' is not a factuality (expected one of: \(Factuality.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                rating.factuality = factuality == .unrated ? nil : factuality
            }
            let domain = value("domain")?.lowercased()
            guard let name = value("name") ?? domain else {
                result.skipped["no domain and no name", default: 0] += 1
                continue
            }
            result.records.append(RatingRecord(name: name, domains: domain.map { [$0] } ?? [], rating: rating))
        }
        return result
    }

    // MARK: Tables

    struct Table {
        var header: [String]
        var rows: [[String: String]]
    }

    static func table(_ data: Data, separator: Character, file: String, required: [String]) throws(RatingImportError) -> Table {
        guard let text = String(data: data, encoding: .utf8) else {
            throw RatingImportError(file: file, line: nil, message: "not UTF-8 text")
        }
        let records = separator == "\t" ? text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            : CSV.parse(text)
        guard let header = records.first?.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw RatingImportError(file: file, line: nil, message: "the file is empty")
        }
        for column in required where !header.contains(column) {
            throw RatingImportError(file: file, line: 1, message: "no '\(column)' column in the header (found: \(header.joined(separator: ", ")))")
        }
        var rows: [[String: String]] = []
        for (index, record) in records.dropFirst().enumerated() {
            if record.count == 1 && record[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard record.count == header.count else {
                throw RatingImportError(file: file, line: index + 2, message: "\(record.count) fields where the header has \(header.count)")
            }
            rows.append(Dictionary(zip(header, record.map { $0.trimmingCharacters(in: .whitespaces) }), uniquingKeysWith: { first, _ in first }))
        }
        return Table(header: header, rows: rows)
    }
}

/// RFC 4180 records: fields separated by commas, optionally quoted, quotes doubled inside.
enum CSV {
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",": record.append(field); field = ""
            case "\n", "\r\n", "\r":
                record.append(field)
                records.append(record)
                record = []
                field = ""
            default: field.append(character)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }
}

extension UInt8 {
    fileprivate var isWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}
