import Coverage
import Foundation
import Outlets
import Reports

/// What the reports folder remembers between runs, in a compact line format read and written
/// on every run (JSON with each story's outlets spelled out cost more than the rest of an
/// incremental run). UTF-8, one record per line, fields separated by tabs:
///
///     parallax-reports-manifest 3
///     o  key  name  bias                        one line per outlet, numbered from 0 in order
///     s  id  story signature  summary signature  title  first seen  last seen  articles
///        unique articles  rated outlets  bias=count …  missing side or -  small sample 0|1
///        explanation  outlet numbers …  lead  lead outlet  language  anchors …  page signature
///                                               (first/last seen: seconds since 2001, exact)
///     p  path  inputs                           a shared page and the hash of its inputs
///
/// In text fields `\` is written `\\`, a tab `\t`, a line feed `\n`, a carriage return `\r`.
struct Manifest: Equatable {
    static let header = "parallax-reports-manifest 3"

    struct Entry: Equatable {
        /// Of the story's own inputs (its articles, outlets, rules, renderers).
        var signature: String
        var summary: StorySummary
        /// What relates the story to others (see `RelatedStories.Profile`).
        var language = ""
        var anchors: [String] = []
        /// Of everything its files show: its own signature and its related stories' summaries.
        var pageSignature = ""
    }

    var stories: [Int64: Entry] = [:]
    /// Path → hash of the inputs the page was last rendered from.
    var shared: [String: String] = [:]

    init() {}

    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: Self.header.utf8)
        out.append(Self.lineFeed)
        var lines: [UInt8] = []
        lines.reserveCapacity(stories.count * 256)
        var numbers: [StorySummary.OutletRef: Int] = [:]
        for id in stories.keys.sorted() {
            let entry = stories[id]!
            let summary = entry.summary
            lines.append(UInt8(ascii: "s"))
            Self.field(String(id), into: &lines)
            Self.field(entry.signature, into: &lines)
            Self.field(summary.signature, into: &lines)
            Self.field(summary.title, into: &lines)
            Self.field(String(summary.firstSeenAt.timeIntervalSinceReferenceDate), into: &lines)
            Self.field(String(summary.lastSeenAt.timeIntervalSinceReferenceDate), into: &lines)
            Self.field(String(summary.articleCount), into: &lines)
            Self.field(String(summary.uniqueArticleCount), into: &lines)
            Self.field(String(summary.ratedOutletCount), into: &lines)
            Self.field(Bias.allCases.compactMap { bias in summary.biasByOutlet[bias].map { "\(bias.rawValue)=\($0)" } }.joined(separator: " "), into: &lines)
            Self.field(summary.blindspot.missingSide?.rawValue ?? "-", into: &lines)
            Self.field(summary.blindspot.smallSample ? "1" : "0", into: &lines)
            Self.field(summary.blindspot.explanation, into: &lines)
            lines.append(Self.tab)
            for (index, outlet) in summary.outlets.enumerated() {
                let number: Int
                if let known = numbers[outlet] {
                    number = known
                } else {
                    number = numbers.count
                    numbers[outlet] = number
                    out.append(UInt8(ascii: "o"))
                    Self.field(outlet.key, into: &out)
                    Self.field(outlet.name, into: &out)
                    Self.field(outlet.bias.rawValue, into: &out)
                    out.append(Self.lineFeed)
                }
                if index > 0 { lines.append(UInt8(ascii: " ")) }
                lines.append(contentsOf: String(number).utf8)
            }
            Self.field(summary.lead, into: &lines)
            Self.field(summary.leadOutlet, into: &lines)
            Self.field(entry.language, into: &lines)
            Self.field(entry.anchors.joined(separator: " "), into: &lines)
            Self.field(entry.pageSignature, into: &lines)
            lines.append(Self.lineFeed)
        }
        out.append(contentsOf: lines)
        for path in shared.keys.sorted() {
            out.append(UInt8(ascii: "p"))
            Self.field(path, into: &out)
            Self.field(shared[path]!, into: &out)
            out.append(Self.lineFeed)
        }
        return out
    }

    /// Nil when the bytes are not a manifest of this version or are damaged anywhere: a
    /// manifest that cannot be trusted whole means "nothing is known".
    init?(decoding bytes: [UInt8]) {
        var outlets: [StorySummary.OutletRef] = []
        var lines = bytes.split(separator: Self.lineFeed, omittingEmptySubsequences: false)[...]
        guard lines.popFirst().map({ String(decoding: $0, as: UTF8.self) }) == Self.header, lines.last?.isEmpty == true else { return nil }
        lines.removeLast()
        for line in lines {
            let fields = line.split(separator: Self.tab, omittingEmptySubsequences: false)
            let kind = fields[0].count == 1 ? fields[0].first! : 0
            switch (kind, fields.count) {
            case (UInt8(ascii: "o"), 4):
                guard let bias = Bias(rawValue: Self.text(fields[3])) else { return nil }
                outlets.append(StorySummary.OutletRef(key: Self.text(fields[1]), name: Self.text(fields[2]), bias: bias))
            case (UInt8(ascii: "s"), 20):
                guard let entry = Self.story(fields, outlets: outlets) else { return nil }
                stories[entry.summary.id] = entry
            case (UInt8(ascii: "p"), 3):
                shared[Self.text(fields[1])] = Self.text(fields[2])
            default:
                return nil
            }
        }
    }

    private static func story(_ fields: [ArraySlice<UInt8>], outlets: [StorySummary.OutletRef]) -> Entry? {
        guard let id = Int64(text(fields[1])),
            let firstSeen = Double(text(fields[5])), let lastSeen = Double(text(fields[6])),
            let articles = Int(text(fields[7])), let unique = Int(text(fields[8])), let rated = Int(text(fields[9]))
        else { return nil }
        var biasByOutlet: [Bias: Int] = [:]
        for pair in fields[10].split(separator: UInt8(ascii: " ")) {
            let parts = pair.split(separator: UInt8(ascii: "="))
            guard parts.count == 2, let bias = Bias(rawValue: text(parts[0])), let count = Int(text(parts[1])) else { return nil }
            biasByOutlet[bias] = count
        }
        let side = text(fields[11])
        let missingSide = Side(rawValue: side)
        guard missingSide != nil || side == "-" else { return nil }
        var refs: [StorySummary.OutletRef] = []
        for number in fields[14].split(separator: UInt8(ascii: " ")) {
            guard let index = Int(text(number)), outlets.indices.contains(index) else { return nil }
            refs.append(outlets[index])
        }
        let summary = StorySummary(
            id: id, title: text(fields[4]), firstSeenAt: Date(timeIntervalSinceReferenceDate: firstSeen),
            lastSeenAt: Date(timeIntervalSinceReferenceDate: lastSeen), articleCount: articles, uniqueArticleCount: unique,
            ratedOutletCount: rated, biasByOutlet: biasByOutlet,
            blindspot: BlindspotVerdict(missingSide: missingSide, smallSample: text(fields[12]) == "1", explanation: text(fields[13])),
            outlets: refs, lead: text(fields[15]), leadOutlet: text(fields[16]), signature: text(fields[3]))
        let anchors = text(fields[18]).split(separator: " ").map(String.init)
        return Entry(signature: text(fields[2]), summary: summary, language: text(fields[17]), anchors: anchors, pageSignature: text(fields[19]))
    }

    private static let lineFeed = UInt8(ascii: "\n")
    private static let tab = UInt8(ascii: "\t")
    private static let backslash = UInt8(ascii: "\\")

    /// A tab, then the text with its separators escaped.
    private static func field(_ value: String, into out: inout [UInt8]) {
        out.append(tab)
        for byte in value.utf8 {
            switch byte {
            case backslash: out.append(contentsOf: [backslash, backslash])
            case tab: out.append(contentsOf: [backslash, UInt8(ascii: "t")])
            case lineFeed: out.append(contentsOf: [backslash, UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [backslash, UInt8(ascii: "r")])
            default: out.append(byte)
            }
        }
    }

    private static func text(_ field: ArraySlice<UInt8>) -> String {
        guard field.contains(backslash) else { return String(decoding: field, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(field.count)
        var escaped = false
        for byte in field {
            if escaped {
                switch byte {
                case UInt8(ascii: "t"): bytes.append(tab)
                case UInt8(ascii: "n"): bytes.append(lineFeed)
                case UInt8(ascii: "r"): bytes.append(UInt8(ascii: "\r"))
                default: bytes.append(byte)
                }
                escaped = false
            } else if byte == backslash {
                escaped = true
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
