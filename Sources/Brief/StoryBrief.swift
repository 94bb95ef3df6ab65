import Foundation
import Outlets

/// A sentence exactly as an outlet published it, with where it came from.
public struct Quote: Sendable, Codable, Equatable, Hashable {
    public enum Field: String, Sendable, Codable { case title, summary, content }

    /// The sentence, character for character as it stands in the article's field.
    public var text: String
    /// The article it came from (its link as the feed gave it).
    public var url: String
    public var outletKey: String
    public var outletName: String
    public var bias: Bias
    public var field: Field
    /// The feed cut the text here ("…", "[…]"): shown as cut, never completed.
    public var isCut: Bool

    public init(text: String, url: String, outletKey: String, outletName: String, bias: Bias, field: Field, isCut: Bool) {
        self.text = text
        self.url = url
        self.outletKey = outletKey
        self.outletName = outletName
        self.bias = bias
        self.field = field
        self.isCut = isCut
    }
}

/// A word one side uses more than the rest of the story, with its Fightin' Words z-score.
public struct DistinctiveWord: Sendable, Codable, Equatable {
    public var word: String
    public var z: Double

    public init(word: String, z: Double) {
        self.word = word
        self.z = z
    }
}

/// How one side (Left = Left + Lean Left, Center, Right = Lean Right + Right) tells the story.
public struct Perspective: Sendable, Codable, Equatable {
    public var side: Side
    public var headline: Quote?
    public var sentence: Quote?
    /// Words with z ≥ 1.96, strongest first; empty when none stands out or the text is too little.
    public var words: [DistinctiveWord]
    /// The side (or the rest of the story) has too little text for word statistics.
    public var tooLittleText: Bool
}

/// The picture a story is shown with: an image its articles carry, credited to an outlet.
public struct StoryImage: Sendable, Codable, Equatable {
    public var url: String
    public var articleURL: String
    public var outletKey: String
    public var outletName: String
    /// How many outlets carry this image.
    public var outletCount: Int
}

/// Another story on the same thread (shared people, places, organisations, numbers).
public struct RelatedStory: Sendable, Codable, Equatable {
    public var id: Int64
    public var title: String
    public var score: Double
    public var firstSeenAt: Date
    public var outletCount: Int
    public var biasByOutlet: [Bias: Int]

    public init(id: Int64, title: String, score: Double, firstSeenAt: Date, outletCount: Int, biasByOutlet: [Bias: Int]) {
        self.id = id
        self.title = title
        self.score = score
        self.firstSeenAt = firstSeenAt
        self.outletCount = outletCount
        self.biasByOutlet = biasByOutlet
    }
}

/// What happened, in the outlets' own sentences: the analysis every story renderer lays out.
public struct StoryBrief: Sendable, Codable, Equatable {
    /// The most central sentence (or two short ones).
    public var lead: [Quote]
    /// Up to five key points, no two more similar than `BriefBuilder.maximumSimilarity`.
    public var points: [Quote]
    /// The language the brief is in (the one most articles use; nil when unknown).
    public var language: String?
    /// Articles per language, when the story mixes languages; empty otherwise.
    public var languageCounts: [String: Int]
    public var perspectives: [Perspective]
    public var image: StoryImage?
    /// The first sentence of each article's description, by article URL (for the article cards).
    public var firstSentences: [String: Quote]
    public var related: [RelatedStory]

    public static let empty = StoryBrief(lead: [], points: [], language: nil, languageCounts: [:], perspectives: [], image: nil, firstSentences: [:], related: [])

    /// Every quote the brief shows, for renderers that check or list them.
    public var allQuotes: [Quote] {
        lead + points + perspectives.flatMap { [$0.headline, $0.sentence].compactMap { $0 } } + firstSentences.keys.sorted().map { firstSentences[$0]! }
    }

    public var isMixedLanguage: Bool { languageCounts.count > 1 }
}
