import Brief
import Coverage
import Foundation
import Outlets

/// What the index pages, feeds and CSV need of one story. Kept between runs, so a story that
/// did not change is neither tallied nor rendered again.
public struct StorySummary: Sendable, Equatable {
    public struct OutletRef: Sendable, Hashable {
        public var key: String
        public var name: String
        public var bias: Bias

        public init(key: String, name: String, bias: Bias) {
            self.key = key
            self.name = name
            self.bias = bias
        }
    }

    public let id: Int64
    public let title: String
    public let firstSeenAt: Date
    public let lastSeenAt: Date
    public let articleCount: Int
    public let uniqueArticleCount: Int
    public let ratedOutletCount: Int
    public let biasByOutlet: [Bias: Int]
    public let blindspot: BlindspotVerdict
    /// In the order they first covered the story.
    public let outlets: [OutletRef]
    /// The brief's lead, quoted, and the outlet it is quoted from ("" when there is none): the
    /// Atom entries carry it.
    public let lead: String
    public let leadOutlet: String
    /// A hash of every field above (which is why they are constants): a page listing this story
    /// changes only when it does.
    public let signature: String

    public init(_ coverage: Coverage, brief: StoryBrief) {
        self.init(
            id: coverage.story.id, title: coverage.story.title, firstSeenAt: coverage.story.firstSeenAt,
            lastSeenAt: coverage.story.lastSeenAt, articleCount: coverage.articleCount,
            uniqueArticleCount: coverage.uniqueArticleCount, ratedOutletCount: coverage.ratedOutletCount,
            biasByOutlet: coverage.biasByOutlet.counts, blindspot: coverage.blindspot,
            outlets: coverage.outlets.map { OutletRef(key: $0.key, name: $0.name, bias: $0.bias) },
            lead: brief.lead.map(\.text).joined(separator: " "), leadOutlet: brief.lead.first?.outletName ?? "")
    }

    /// - Parameter signature: the one computed when the summary was made, when it is read back
    ///   from the reports folder's manifest; nil computes it.
    public init(
        id: Int64, title: String, firstSeenAt: Date, lastSeenAt: Date, articleCount: Int, uniqueArticleCount: Int,
        ratedOutletCount: Int, biasByOutlet: [Bias: Int], blindspot: BlindspotVerdict, outlets: [OutletRef], lead: String = "",
        leadOutlet: String = "", signature: String? = nil
    ) {
        self.id = id
        self.title = title
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
        self.articleCount = articleCount
        self.uniqueArticleCount = uniqueArticleCount
        self.ratedOutletCount = ratedOutletCount
        self.biasByOutlet = biasByOutlet
        self.blindspot = blindspot
        self.outlets = outlets
        self.lead = lead
        self.leadOutlet = leadOutlet
        self.signature = signature ?? Self.signature(
            id: id, title: title, firstSeenAt: firstSeenAt, lastSeenAt: lastSeenAt,
            counts: [articleCount, uniqueArticleCount, ratedOutletCount], biasByOutlet: biasByOutlet, blindspot: blindspot, outlets: outlets,
            lead: [lead, leadOutlet])
    }

    static func signature(
        id: Int64, title: String, firstSeenAt: Date, lastSeenAt: Date, counts: [Int], biasByOutlet: [Bias: Int], blindspot: BlindspotVerdict,
        outlets: [OutletRef], lead: [String]
    ) -> String {
        var hash = Hash.FNV1a()
        for part in lead { hash.add(part) }
        hash.add(String(id))
        hash.add(title)
        hash.add(String(firstSeenAt.timeIntervalSinceReferenceDate))
        hash.add(String(lastSeenAt.timeIntervalSinceReferenceDate))
        for count in counts { hash.add(String(count)) }
        for bias in Bias.allCases { hash.add(String(biasByOutlet[bias] ?? 0)) }
        hash.add(blindspot.missingSide?.rawValue ?? "-")
        hash.add(blindspot.smallSample ? "small" : "enough")
        hash.add(blindspot.explanation)
        for outlet in outlets {
            hash.add(outlet.key)
            hash.add(outlet.name)
            hash.add(outlet.bias.rawValue)
        }
        return hash.hex
    }

    public var outletCount: Int { outlets.count }
    public var distribution: BiasDistribution { BiasDistribution(counts: biasByOutlet) }

}

/// File names for reports. Story files are named by their numeric id; outlet pages by the
/// outlet's key, which may be a domain taken from a feed, so it is reduced to a safe slug.
public enum FileName {
    static let maximumSlugLength = 80

    /// `a-z`, `0-9`, `-` and inner dots, at most 80 characters. A key that is not already such a
    /// slug gets a hash of the whole key appended, so two keys never share a name and `..` or `/`
    /// can never reach the file system.
    public static func slug(_ key: String) -> String {
        let allowed = key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
        if allowed, !key.isEmpty, key.count <= maximumSlugLength, !key.hasPrefix("."), !key.hasSuffix("."), !key.contains("..") {
            return key
        }
        var cleaned = ""
        for scalar in key.lowercased().unicodeScalars.prefix(maximumSlugLength - 17) {
            let keep = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            if keep { cleaned.unicodeScalars.append(scalar) } else if !cleaned.hasSuffix("-") { cleaned.append("-") }
        }
        // The hash suffix makes the name differ from any clean key of the same letters.
        return (cleaned.isEmpty ? "x" : cleaned) + "_" + Hash.fnv1a(Data(key.utf8))
    }

    public static func storyFiles(_ id: Int64) -> [String] {
        ["stories/\(id).md", "stories/\(id).json", "stories/\(id).html"]
    }

    public static func outletPage(_ key: String) -> String { "outlets/\(slug(key)).html" }
}

public enum Hash {
    /// 64-bit FNV-1a as 16 hex digits: cheap change detection, not security.
    public static func fnv1a(_ data: Data) -> String {
        var hash = FNV1a()
        data.withUnsafeBytes { bytes in
            for byte in bytes { hash.add(byte) }
        }
        return hash.hex
    }

    /// FNV-1a over a sequence of strings; each is followed by a separator byte that UTF-8 text
    /// never contains, so ("ab", "c") and ("a", "bc") differ.
    public struct FNV1a: Sendable {
        private var state: UInt64 = 0xcbf2_9ce4_8422_2325

        public init() {}

        mutating func add(_ byte: UInt8) {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01B3
        }

        public mutating func add(_ text: String) {
            for byte in text.utf8 { add(byte) }
            add(0xFF)
        }

        public var hex: String {
            let hex = String(state, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
    }
}
