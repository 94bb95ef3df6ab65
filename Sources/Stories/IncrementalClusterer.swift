import Foundation

public struct ClusteringSettings: Sendable, Codable, Equatable {
    /// The similarity an article needs to join a story rather than open a new one.
    public var threshold: Double
    /// Articles further apart in time than this never share a story; stories idle this long
    /// leave the clusterer.
    public var windowHours: Double
    /// How much more a headline term counts than a summary term.
    public var titleWeight: Double
    /// Document frequencies count the articles of this many recent hours.
    public var documentFrequencyHours: Double
    /// Two stories whose centroids are at least this similar after a batch become one.
    public var mergeThreshold: Double
    /// Near-identical texts (wire copies) are at most this many SimHash bits apart (at most 9:
    /// the band search finds no further).
    public var duplicateBits: Int
    public var weights: TermExtractor.Weights
    /// How much a word of the link's slug counts, relative to a summary word.
    public var slugWeight: Double
    /// A story takes articles (and merges) only this many hours after its first article: an
    /// event's coverage arrives within a day or so, and a story that keeps absorbing for longer
    /// is a topic whose later developments are stories of their own.
    public var storyHours: Double
    /// A join whose similarity comes for more than this share from one shared term is refused
    /// when at least `dominantTermStories` active stories have that term in their centroid: one
    /// name that several of the day's stories share (a company, a celebrity, "climate change")
    /// says which topic an article is about, not which story. 1: never refused.
    public var dominantTermShare: Double
    public var dominantTermStories: Int
    /// The same for the merge pass, on the two centroids' shared terms.
    public var mergeDominantTermShare: Double

    public init(
        threshold: Double = 0.12, windowHours: Double = 48, titleWeight: Double = 2, documentFrequencyHours: Double = 720,
        mergeThreshold: Double = 0.3, duplicateBits: Int = 8, weights: TermExtractor.Weights = TermExtractor.Weights(),
        slugWeight: Double = 1, storyHours: Double = 24, dominantTermShare: Double = 0.8, dominantTermStories: Int = 3,
        mergeDominantTermShare: Double = 0.9
    ) {
        self.threshold = threshold
        self.windowHours = windowHours
        self.titleWeight = titleWeight
        self.documentFrequencyHours = documentFrequencyHours
        self.mergeThreshold = mergeThreshold
        self.duplicateBits = duplicateBits
        self.weights = weights
        self.slugWeight = slugWeight
        self.storyHours = storyHours
        self.dominantTermShare = dominantTermShare
        self.dominantTermStories = dominantTermStories
        self.mergeDominantTermShare = mergeDominantTermShare
    }

    // Decoded with defaults for the fields later versions added, so a stored or configured
    // settings value from before them still reads.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ClusteringSettings()
        threshold = try container.decodeIfPresent(Double.self, forKey: .threshold) ?? defaults.threshold
        windowHours = try container.decodeIfPresent(Double.self, forKey: .windowHours) ?? defaults.windowHours
        titleWeight = try container.decodeIfPresent(Double.self, forKey: .titleWeight) ?? defaults.titleWeight
        documentFrequencyHours = try container.decodeIfPresent(Double.self, forKey: .documentFrequencyHours) ?? defaults.documentFrequencyHours
        mergeThreshold = try container.decodeIfPresent(Double.self, forKey: .mergeThreshold) ?? defaults.mergeThreshold
        duplicateBits = try container.decodeIfPresent(Int.self, forKey: .duplicateBits) ?? defaults.duplicateBits
        weights = try container.decodeIfPresent(TermExtractor.Weights.self, forKey: .weights) ?? defaults.weights
        slugWeight = try container.decodeIfPresent(Double.self, forKey: .slugWeight) ?? defaults.slugWeight
        storyHours = try container.decodeIfPresent(Double.self, forKey: .storyHours) ?? defaults.storyHours
        dominantTermShare = try container.decodeIfPresent(Double.self, forKey: .dominantTermShare) ?? defaults.dominantTermShare
        dominantTermStories = try container.decodeIfPresent(Int.self, forKey: .dominantTermStories) ?? defaults.dominantTermStories
        mergeDominantTermShare = try container.decodeIfPresent(Double.self, forKey: .mergeDominantTermShare) ?? defaults.mergeDominantTermShare
    }

    public static let version = "lexical-centroid-4"

    public var summary: String {
        "\(Self.version): Snowball-stemmed TF-IDF of headline (×\(titleWeight.formatted())) + summary + link-slug (×\(slugWeight.formatted())) terms, "
            + "names ×\(weights.name.formatted()), document frequencies over \(documentFrequencyHours.formatted()) h, "
            + "cosine to the story centroid decayed with the time gap; join at ≥ \(threshold.formatted()), "
            + "no join carried by one term (> \(dominantTermShare.formatted()) of it) that \(dominantTermStories) or more open stories share, "
            + "stories open for \(storyHours.formatted()) h after their first article, window \(windowHours.formatted()) h, "
            + "merge stories at ≥ \(mergeThreshold.formatted()) unless one such term carries > \(mergeDominantTermShare.formatted()) of it"
    }
}

/// What the clusterer decided for one article.
public struct Assignment: Sendable, Equatable {
    public enum Reason: String, Sendable, Codable {
        /// No story was similar enough: the article opened one.
        case newStory = "new"
        /// The most similar story, at or above the threshold.
        case joined
        /// An aggregator grouped it with articles already in this story.
        case group
        /// A user's correction put it in this story.
        case corrected
    }

    public var storyID: Int64
    /// The similarity to the story joined; for a new story, to the best story it did not reach.
    public var similarity: Double
    public var reason: Reason
    /// The fingerprint of an earlier near-identical text (a wire copy), when this is one.
    public var duplicateOf: String?

    public var isNewStory: Bool { reason == .newStory }

    public init(storyID: Int64, similarity: Double, reason: Reason, duplicateOf: String? = nil) {
        self.storyID = storyID
        self.similarity = similarity
        self.reason = reason
        self.duplicateOf = duplicateOf
    }
}

/// Two stories found to be one: `from` is folded into the older `into`, which keeps its id.
public struct StoryMerge: Sendable, Equatable {
    public enum Reason: String, Sendable { case similar, group }
    public var from: Int64
    public var into: Int64
    public var similarity: Double
    public var reason: Reason

    public init(from: Int64, into: Int64, similarity: Double, reason: Reason) {
        self.from = from
        self.into = into
        self.similarity = similarity
        self.reason = reason
    }
}

/// Groups articles into stories one at a time, in the order they arrive, as cron runs see them.
/// One value lives across batches: it learns document frequencies, outlet suffixes and wire
/// copies as it goes, and forgets stories idle past the window, so the cost per article stays
/// flat however long it runs.
///
/// An article joins the active story whose centroid (the sum of its members' normalised term
/// vectors, pruned to its strongest terms) is most similar by TF-IDF cosine, lowered linearly
/// with the time gap, when that reaches the threshold; otherwise it opens a story. Comparing to
/// the centroid, not to the nearest member, keeps chains of pairwise-similar articles from
/// growing into one giant story. Candidates come from an inverted index over active stories'
/// terms. A story is open for `storyHours` after its first article: a centroid that drifts with
/// its newest members would otherwise keep a story alive as long as its topic is in the news.
/// After each batch, `endBatch()` merges stories that turned out to be one and re-chooses the
/// shown headline of stories that grew.
public struct IncrementalClusterer: Sendable {
    public let settings: ClusteringSettings
    private var extractor: TermExtractor
    private var nextStoryID: Int64

    // Vocabulary and document frequencies over the recent window.
    private var termIDs: [String: Int32] = [:]
    private var termIsLatin: [Bool] = []
    private var documentFrequency: [Int32] = []
    private var recentDocuments: [(time: Double, terms: [Int32])] = []
    private var recentHead = 0
    private var documentsSeen = 0

    // Active stories live in slots, reused after a story leaves, so that scoring indexes arrays
    // instead of hashing story ids for every posting it reads.
    private var slots: [StoryState] = []
    private var freeSlots: [Int32] = []
    private var slotOf: [Int64: Int32] = [:]
    /// Per term, where it sits in the centroids of active stories. An entry whose generation is
    /// no longer its slot's (the story was pruned, merged or left since) is stale: skipped when
    /// read, dropped when the index is rebuilt.
    private var postings: [[Posting]] = []
    private var postingEntries = 0
    private var liveCentroidTerms = 0
    /// Per slot: what the article being placed shares with that story (and, in the merge pass,
    /// whether the story was already compared); valid only where `mark` is the current `epoch`.
    private var shared: [SharedTerms] = []
    private var epoch = 0
    private var candidateSlots: [Int32] = []
    /// Per term: one story's IDF²-weighted centroid while it is compared with others, zero elsewhere.
    private var centroidScratch: [Double] = []

    private var latest = -Double.infinity
    private var lastSweep = -Double.infinity
    private var touched: Set<Int64> = []
    private var mergedInto: [Int64: Int64] = [:]
    private var groupStories: [String: Int64] = [:]
    private var groupMerges: [(Int64, Int64)] = []
    private var titles: [Int64: String] = [:]
    /// The user's corrections: set before a batch, obeyed by `assign` and the merge pass.
    public var constraints = ClusteringConstraints()

    // Outlet suffixes learned per domain, and recent texts for near-duplicate detection.
    private var suffixCounts: [String: [String: Int]] = [:]
    private var copyHashes: [UInt64] = []
    private var copyTimes: [Double] = []
    private var copyFingerprints: [String] = []
    private var copiesHead = 0
    /// Per band bucket (band × 8,192 values): the latest copy whose band has that value, or -1.
    /// `copyLinks[copy × bands + band]` holds that copy's hash and the copy before it in the
    /// bucket. Copies are numbered in time order, so a chain runs newest first and ends at the
    /// first copy past the window. Flat arrays, one read per step: a search probes seventy buckets.
    private var copyHeads = [Int32](repeating: -1, count: IncrementalClusterer.bands << IncrementalClusterer.bandBits)
    private var copyLinks: [(hash: UInt64, previous: Int32)] = []

    /// The most terms a story's centroid keeps: big stories stay as cheap to compare as small ones.
    static let centroidTerms = 160

    /// A story's centroid (the sum of its members' unit term vectors) as parallel arrays, with
    /// each term's position for updates.
    private struct StoryState: Sendable {
        var id: Int64 = -1
        var live = false
        /// Bumped whenever the centroid's positions change or the slot is freed: it invalidates
        /// the postings that point here.
        var generation: UInt32 = 0
        var terms: [Int32] = []
        var weights: [Double] = []
        var positions: [Int32: Int32] = [:]
        var first = 0.0
        var last = 0.0
        var members = 0
        var norm = 0.0
        var latinNorm = 0.0
        var latinShare = 0.0
        /// `documentsSeen` when the norms were computed; -1 when the centroid changed since.
        var normsAt = -1
        /// Every member's term vector, to choose the headline closest to the centroid.
        var memberVectors: [MemberVector] = []
        /// The member whose headline the story shows, and the story's size when it was chosen.
        var titleURL: String?
        var titleChosenAt = 0
    }

    private struct MemberVector: Sendable {
        var canonicalURL: String
        var language: String
        var time: Double
        var vector: [(Int32, Double)]
    }

    private struct Posting: Sendable {
        var slot: Int32
        var position: Int32
        var generation: UInt32
    }

    public init(settings: ClusteringSettings, nextStoryID: Int64) {
        self.settings = settings
        self.nextStoryID = nextStoryID
        extractor = TermExtractor(weights: settings.weights)
    }

    /// Restores the stories of earlier runs, replaying their articles oldest first.
    public mutating func seed(_ seeded: [(storyID: Int64, members: [Article])]) {
        var all: [(Int64, Article)] = []
        for (storyID, members) in seeded {
            nextStoryID = max(nextStoryID, storyID + 1)
            for article in members { all.append((storyID, article)) }
        }
        all.sort { ($0.1.time, $0.1.canonicalURL) < ($1.1.time, $1.1.canonicalURL) }
        for (storyID, article) in all {
            let time = article.time.timeIntervalSinceReferenceDate
            advance(to: time)
            rememberCopy(of: article, at: time)
            let vector = termVector(of: article)
            count(vector, at: time)
            add(vector, of: article, at: time, to: storyID)
            if let key = article.groupKey, groupStories[key] == nil { groupStories[key] = storyID }
        }
        for slot in slots.indices where slots[slot].live { chooseTitle(slot) }
        touched.removeAll()
    }

    /// Places a new article: joins its aggregator group's story, or the most similar story at or
    /// above the threshold, or opens a story.
    public mutating func assign(_ article: Article) -> Assignment {
        let time = article.time.timeIntervalSinceReferenceDate
        advance(to: time)
        let duplicateOf = nearDuplicate(of: article, at: time)
        let vector = termVector(of: article)
        count(vector, at: time)
        let query = makeQuery(vector)

        var best: (id: Int64, similarity: Double)?
        // Term at a time: each posting adds its term's share to its story's sums, so a story is
        // read once per shared term. The sums run in query-term order, as `sharedTerms` does.
        epoch += 1
        candidateSlots.removeAll(keepingCapacity: true)
        for (term, weight, isLatin) in query.terms where Int(term) < postings.count {
            for posting in postings[Int(term)] {
                let slot = Int(posting.slot)
                guard slots[slot].generation == posting.generation else { continue }
                let c = slots[slot].weights[Int(posting.position)]
                if shared[slot].mark != epoch {
                    shared[slot] = SharedTerms(mark: epoch)
                    candidateSlots.append(posting.slot)
                }
                shared[slot].dot += weight * c
                if weight * c > shared[slot].top {
                    shared[slot].top = weight * c
                    shared[slot].topTerm = term
                }
                if isLatin {
                    shared[slot].latinDot += weight * c
                    shared[slot].latin += 1
                }
            }
        }
        // `best` is the most similar story; `joinable` the most similar one the article may join.
        var joinable: (id: Int64, similarity: Double)?
        for index in candidateSlots.indices {
            let slot = Int(candidateSlots[index])
            let similarity = self.similarity(query, shared[slot], slot: slot, at: time)
            let id = slots[slot].id
            if similarity > (best?.similarity ?? 0) || (similarity == best?.similarity && id < best!.id) {
                best = (id, similarity)
            }
            if similarity >= settings.threshold,
                similarity > (joinable?.similarity ?? 0) || (similarity == joinable?.similarity && id < joinable!.id),
                !carriedByCrowdedTerm(shared[slot])
            {
                joinable = (id, similarity)
            }
        }

        var decision: Assignment
        if let pinned = constraints.pinnedStory(of: article.canonicalURL).map(resolve) {
            let slot = slotOf[pinned].map(Int.init)
            let score = slot.map { similarity(query, sharedTerms(query, $0), slot: $0, at: time) } ?? 0
            decision = Assignment(storyID: pinned, similarity: score, reason: .corrected)
        } else if let key = article.groupKey, let groupStory = groupStories[key].map(resolve), let groupSlot = slotOf[groupStory] {
            if let best, best.id != groupStory, best.similarity >= settings.threshold {
                // The aggregator says this is the group's event, and the text says it is also
                // that story's: the two are one.
                groupMerges.append((groupStory, best.id))
            }
            let similarity = similarity(query, sharedTerms(query, Int(groupSlot)), slot: Int(groupSlot), at: time)
            decision = Assignment(storyID: groupStory, similarity: similarity, reason: .group)
        } else if let joinable {
            decision = Assignment(storyID: joinable.id, similarity: joinable.similarity, reason: .joined)
        } else {
            decision = Assignment(storyID: nextStoryID, similarity: best?.similarity ?? 0, reason: .newStory)
            nextStoryID += 1
        }
        decision.duplicateOf = duplicateOf
        add(vector, of: article, at: time, to: decision.storyID)
        if let key = article.groupKey, groupStories[key].map(resolve).flatMap({ slotOf[$0] }) == nil {
            groupStories[key] = decision.storyID
        }
        touched.insert(decision.storyID)
        return decision
    }

    /// The bounded merge pass after a batch: each story that changed is compared with the active
    /// stories sharing its strongest terms, and folded into an older one it matches at or above
    /// `mergeThreshold` (or that an aggregator group tied it to). The older id survives.
    public mutating func endBatch() -> [StoryMerge] {
        var merges: [StoryMerge] = []
        for (a, b) in groupMerges {
            let (x, y) = (resolve(a), resolve(b))
            guard x != y, constraints.mayMerge(x, y), let slotX = slotOf[x], let slotY = slotOf[y] else { continue }
            fillScratch(Int(slotX))
            let similarity = storySimilarity(Int(slotX), Int(slotY))
            clearScratch(Int(slotX))
            merges.append(merge(max(x, y), into: min(x, y), similarity: similarity, reason: .group))
        }
        groupMerges.removeAll()
        for id in touched.sorted().prefix(Self.mergeCandidatesPerBatch) {
            guard let slot = slotOf[id].map(Int.init) else { continue }
            epoch += 1
            shared[slot].mark = epoch
            candidateSlots.removeAll(keepingCapacity: true)
            for term in strongestTerms(of: slot, count: 8) where Int(term) < postings.count {
                for posting in postings[Int(term)] where slots[Int(posting.slot)].generation == posting.generation {
                    guard shared[Int(posting.slot)].mark != epoch else { continue }
                    shared[Int(posting.slot)].mark = epoch
                    candidateSlots.append(posting.slot)
                }
            }
            var best: (id: Int64, similarity: Double)?
            fillScratch(slot)
            for index in candidateSlots.indices {
                let other = Int(candidateSlots[index])
                guard constraints.mayMerge(id, slots[other].id) else { continue }
                let (similarity, shares) = storyComparison(slot, other)
                // Two stories that share one crowded name and little else stay two, as an article would.
                if similarity >= settings.mergeThreshold, carriedByCrowdedTerm(shares, share: settings.mergeDominantTermShare) { continue }
                let otherID = slots[other].id
                if similarity > (best?.similarity ?? 0) || (similarity == best?.similarity && otherID < best!.id) {
                    best = (otherID, similarity)
                }
            }
            clearScratch(slot)
            if let best, best.similarity >= settings.mergeThreshold {
                merges.append(merge(max(id, best.id), into: min(id, best.id), similarity: best.similarity, reason: .similar))
            }
        }
        titles.removeAll(keepingCapacity: true)
        for id in touched {
            guard let slot = slotOf[id].map(Int.init) else { continue }
            // Re-chosen whenever the story has grown by a quarter: the centre moves as it grows,
            // and a story of n members costs O(n) a few times over its life, not once per article.
            if slots[slot].titleURL == nil || Double(slots[slot].members) >= 1.25 * Double(slots[slot].titleChosenAt) { chooseTitle(slot) }
            if let url = slots[slot].titleURL { titles[id] = url }
        }
        touched.removeAll()
        return merges
    }

    /// The article whose headline each story changed in the last batch shows (story id →
    /// canonical URL): of the members in the language most of them use, the one closest to the
    /// story's centroid, re-chosen as the story grows.
    public var chosenTitles: [Int64: String] { titles }

    private mutating func chooseTitle(_ slot: Int) {
        if slots[slot].normsAt < 0 { computeNorms(slot) }
        var languageCounts: [String: Int] = [:]
        for member in slots[slot].memberVectors { languageCounts[member.language, default: 0] += 1 }
        let language = languageCounts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        var best: (score: Double, time: Double, url: String)?
        for member in slots[slot].memberVectors where member.language == language {
            var dot = 0.0, normSquared = 0.0
            for (term, weight) in member.vector {
                let idf = inverseDocumentFrequency(term)
                normSquared += weight * idf * weight * idf
                if let position = slots[slot].positions[term] { dot += weight * idf * idf * slots[slot].weights[Int(position)] }
            }
            let score = normSquared > 0 ? dot / normSquared.squareRoot() : 0
            if let current = best, (score, -member.time, current.url) <= (current.score, -current.time, member.canonicalURL) { continue }
            best = (score, member.time, member.canonicalURL)
        }
        slots[slot].titleURL = best?.url
        slots[slot].titleChosenAt = slots[slot].members
    }

    /// At most this many changed stories are compared per batch, so a huge batch stays bounded.
    static let mergeCandidatesPerBatch = 2_000

    /// How many stories are open to new articles.
    public var activeStoryCount: Int { slotOf.count }

    // MARK: - Vectors

    /// Unit-length term weights of an article, as (term id, weight), headline terms weighted up.
    private mutating func termVector(of article: Article) -> [(Int32, Double)] {
        var weights: [Int32: Double] = Dictionary(minimumCapacity: 32)
        for (term, weight) in extractor.terms(in: strippedTitle(of: article), language: article.language) {
            weights[termID(term), default: 0] += weight * settings.titleWeight
        }
        if !article.summary.isEmpty {
            for (term, weight) in extractor.terms(in: article.summary, language: article.language) {
                weights[termID(term), default: 0] += weight
            }
        }
        if settings.slugWeight > 0, let slug = Self.slugText(of: article.url) {
            for (term, weight) in extractor.terms(in: slug, language: article.language) {
                weights[termID(term), default: 0] += weight * settings.slugWeight
            }
        }
        let norm = weights.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return [] }
        return weights.map { ($0.key, $0.value / norm) }.sorted { $0.0 < $1.0 }
    }

    /// The words of the URL's slug, the outlet's own words for the article
    /// ("…/2014/05/20/paul-mccartney-cancels-tour/"): the path segment with the most words joined
    /// by "-" or "_", when it has at least three. Segments with digits in a word (ids, dates) and
    /// section names (one or two words) say nothing about the event.
    static func slugText(of url: String) -> String? {
        // On the UTF-8 bytes: this runs for every article, and Character-wise splitting cost a
        // quarter of the clustering. Bytes of non-ASCII letters count as letters.
        var url = url
        return url.withUTF8 { bytes -> String? in
            let slash = UInt8(ascii: "/"), colon = UInt8(ascii: ":")
            var index = 0
            while index + 2 < bytes.count, !(bytes[index] == colon && bytes[index + 1] == slash && bytes[index + 2] == slash) { index += 1 }
            guard index + 2 < bytes.count else { return nil }
            index += 3
            while index < bytes.count, bytes[index] != slash { index += 1 }
            var pathEnd = index
            while pathEnd < bytes.count, bytes[pathEnd] != UInt8(ascii: "?"), bytes[pathEnd] != UInt8(ascii: "#") { pathEnd += 1 }
            var best: [Range<Int>] = []
            var words: [Range<Int>] = []
            var segmentStart = index
            while segmentStart < pathEnd {
                var segmentEnd = segmentStart
                while segmentEnd < pathEnd, bytes[segmentEnd] != slash { segmentEnd += 1 }
                var end = segmentEnd
                if let dot = (segmentStart..<segmentEnd).last(where: { bytes[$0] == UInt8(ascii: ".") }), segmentEnd - dot <= 6 { end = dot }
                words.removeAll(keepingCapacity: true)
                var wordStart = segmentStart, lettersOnly = true
                for position in segmentStart...end {
                    let byte: UInt8 = position < end ? bytes[position] : UInt8(ascii: "-")
                    if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "+") {
                        if position > wordStart, lettersOnly { words.append(wordStart..<position) }
                        wordStart = position + 1
                        lettersOnly = true
                    } else if !(byte >= 0x80 || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))) {
                        lettersOnly = false
                    }
                }
                if words.count > best.count { best = words }
                segmentStart = segmentEnd + 1
            }
            guard best.count >= 3 else { return nil }
            var text: [UInt8] = []
            for word in best {
                if !text.isEmpty { text.append(UInt8(ascii: " ")) }
                text.append(contentsOf: bytes[word])
            }
            return String(decoding: text, as: UTF8.self)
        }
    }

    private mutating func termID(_ term: String) -> Int32 {
        if let id = termIDs[term] { return id }
        let id = Int32(termIsLatin.count)
        termIDs[term] = id
        termIsLatin.append(term.unicodeScalars.allSatisfy { $0.value < 0x0250 })
        documentFrequency.append(0)
        postings.append([])
        centroidScratch.append(0)
        return id
    }

    private mutating func count(_ vector: [(Int32, Double)], at time: Double) {
        documentsSeen += 1
        for (term, _) in vector { documentFrequency[Int(term)] += 1 }
        recentDocuments.append((time, vector.map(\.0)))
    }

    private func inverseDocumentFrequency(_ term: Int32) -> Double {
        let documents = recentDocuments.count - recentHead
        return log(Double(documents + 1) / Double(Int(documentFrequency[Int(term)]) + 1)) + 1
    }

    /// An article's vector prepared for comparisons: each term's weight × IDF², so a dot product
    /// with a raw centroid needs one multiplication per shared term.
    private struct Query {
        var terms: [(term: Int32, weight: Double, isLatin: Bool)]
        var norm: Double
        var latinNorm: Double
        var latinShare: Double
    }

    /// Built here rather than in an initialiser taking the clusterer, which would copy it per article.
    private func makeQuery(_ vector: [(Int32, Double)]) -> Query {
        var query = Query(terms: [], norm: 0, latinNorm: 0, latinShare: 0)
        query.terms.reserveCapacity(vector.count)
        var normSquared = 0.0, latinSquared = 0.0, latinWeight = 0.0, totalWeight = 0.0
        for (term, weight) in vector {
            let idf = inverseDocumentFrequency(term)
            let isLatin = termIsLatin[Int(term)]
            query.terms.append((term, weight * idf * idf, isLatin))
            let weighted = weight * idf
            normSquared += weighted * weighted
            totalWeight += weight
            if isLatin {
                latinSquared += weighted * weighted
                latinWeight += weight
            }
        }
        query.norm = normSquared.squareRoot()
        query.latinNorm = latinSquared.squareRoot()
        query.latinShare = totalWeight > 0 ? latinWeight / totalWeight : 0
        return query
    }

    /// What a query and a story's centroid share: the dot products, overall and over Latin-script terms.
    private struct SharedTerms {
        var mark = 0
        var dot = 0.0
        var latinDot = 0.0
        var latin = 0
        /// The shared term that adds most to `dot`, and how much.
        var top = 0.0
        var topTerm: Int32 = -1
    }

    /// Whether one shared term makes more than `dominantTermShare` of the similarity while at
    /// least `dominantTermStories` active stories have it in their centroid. Only read for a
    /// story the article would otherwise join (or a pair the merge pass would otherwise merge,
    /// with `share` = `mergeDominantTermShare`), so the postings walk is rare.
    private func carriedByCrowdedTerm(_ shared: SharedTerms, share: Double? = nil) -> Bool {
        let share = share ?? settings.dominantTermShare, limit = settings.dominantTermStories
        guard share < 1, shared.top > share * shared.dot, shared.topTerm >= 0,
            Int(shared.topTerm) < postings.count
        else { return false }
        var stories = 0
        for posting in postings[Int(shared.topTerm)] where slots[Int(posting.slot)].generation == posting.generation {
            stories += 1
            if stories >= limit { return true }
        }
        return false
    }

    private func sharedTerms(_ query: Query, _ slot: Int) -> SharedTerms {
        var shared = SharedTerms()
        for (term, weight, isLatin) in query.terms {
            guard let position = slots[slot].positions[term] else { continue }
            let c = slots[slot].weights[Int(position)]
            shared.dot += weight * c
            if weight * c > shared.top {
                shared.top = weight * c
                shared.topTerm = term
            }
            if isLatin {
                shared.latinDot += weight * c
                shared.latin += 1
            }
        }
        return shared
    }

    private mutating func similarity(_ query: Query, _ shared: SharedTerms, slot: Int, at time: Double) -> Double {
        guard time - slots[slot].first <= settings.storyHours * 3600 else { return 0 }
        guard let decay = timeDecay(time, slots[slot].first, slots[slot].last), query.norm > 0 else { return 0 }
        if slots[slot].normsAt < 0 || documentsSeen - slots[slot].normsAt > Self.normRefreshDocuments {
            computeNorms(slot)
        }
        let story = (norm: slots[slot].norm, latinNorm: slots[slot].latinNorm, latinShare: slots[slot].latinShare)
        guard story.norm > 0 else { return 0 }
        var similarity = shared.dot / (query.norm * story.norm)
        // Articles in different scripts share mostly names, acronyms and numbers written in Latin
        // letters ("Meridian-7", "ESA"): compared on those alone, a Korean article can join the
        // English story it reports. Only when one side is mostly another script, and only on at
        // least three shared terms, so that a lone number never joins two stories.
        if min(query.latinShare, story.latinShare) < 0.5, shared.latin >= 3, query.latinNorm > 0, story.latinNorm > 0 {
            similarity = max(similarity, shared.latinDot / (query.latinNorm * story.latinNorm))
        }
        return similarity * decay
    }

    /// Norms follow the IDF, which drifts slowly: they are refreshed after this many articles.
    static let normRefreshDocuments = 2_000

    private mutating func computeNorms(_ slot: Int) {
        var normSquared = 0.0, latinSquared = 0.0, latinWeight = 0.0, totalWeight = 0.0
        for index in slots[slot].terms.indices {
            let term = slots[slot].terms[index], weight = slots[slot].weights[index]
            let weighted = weight * inverseDocumentFrequency(term)
            normSquared += weighted * weighted
            totalWeight += weight
            if termIsLatin[Int(term)] {
                latinSquared += weighted * weighted
                latinWeight += weight
            }
        }
        slots[slot].norm = normSquared.squareRoot()
        slots[slot].latinNorm = latinSquared.squareRoot()
        slots[slot].latinShare = totalWeight > 0 ? latinWeight / totalWeight : 0
        slots[slot].normsAt = documentsSeen
    }

    /// Spreads a story's centroid, each weight × IDF², over `centroidScratch` for `storySimilarity`.
    private mutating func fillScratch(_ slot: Int) {
        for index in slots[slot].terms.indices {
            let term = slots[slot].terms[index]
            let idf = inverseDocumentFrequency(term)
            centroidScratch[Int(term)] = slots[slot].weights[index] * idf * idf
        }
    }

    private mutating func clearScratch(_ slot: Int) {
        for term in slots[slot].terms { centroidScratch[Int(term)] = 0 }
    }

    /// IDF-weighted cosine of story `a` (spread over the scratch) and story `b`, decayed with the
    /// gap between their spans.
    private mutating func storySimilarity(_ a: Int, _ b: Int) -> Double { storyComparison(a, b).similarity }

    /// `storySimilarity`, with what the two centroids share (for the one-name rule).
    private mutating func storyComparison(_ a: Int, _ b: Int) -> (similarity: Double, shared: SharedTerms) {
        var shared = SharedTerms()
        let gap = max(0, max(slots[a].first, slots[b].first) - min(slots[a].last, slots[b].last))
        let window = settings.windowHours * 3600
        guard gap <= window, abs(slots[a].first - slots[b].first) <= settings.storyHours * 3600 else { return (0, shared) }
        if slots[a].normsAt < 0 { computeNorms(a) }
        if slots[b].normsAt < 0 { computeNorms(b) }
        guard slots[a].norm > 0, slots[b].norm > 0 else { return (0, shared) }
        for index in slots[b].terms.indices {
            let term = slots[b].terms[index]
            let product = slots[b].weights[index] * centroidScratch[Int(term)]
            shared.dot += product
            if product > shared.top {
                shared.top = product
                shared.topTerm = term
            }
        }
        return (shared.dot / (slots[a].norm * slots[b].norm) * (1 - 0.5 * gap / window), shared)
    }

    private func strongestTerms(of slot: Int, count: Int) -> [Int32] {
        zip(slots[slot].terms, slots[slot].weights).map { ($0, $1 * inverseDocumentFrequency($0)) }
            .sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(count).map(\.0)
    }

    /// The slot of story `id`, opening it when new.
    private mutating func openSlot(for id: Int64, at time: Double) -> Int {
        if let known = slotOf[id] { return Int(known) }
        let slot: Int
        if let reused = freeSlots.popLast() {
            slot = Int(reused)
        } else {
            slot = slots.count
            slots.append(StoryState())
            shared.append(SharedTerms())
        }
        slots[slot].id = id
        slots[slot].live = true
        slots[slot].first = time
        slots[slot].last = time
        slotOf[id] = Int32(slot)
        return slot
    }

    /// Adds `weight` of `term` to a story's centroid, indexing the term when it is new there.
    private mutating func addTerm(_ term: Int32, _ weight: Double, to slot: Int) {
        if let position = slots[slot].positions[term] {
            slots[slot].weights[Int(position)] += weight
            return
        }
        let position = Int32(slots[slot].terms.count)
        slots[slot].terms.append(term)
        slots[slot].weights.append(weight)
        slots[slot].positions[term] = position
        postings[Int(term)].append(Posting(slot: Int32(slot), position: position, generation: slots[slot].generation))
        postingEntries += 1
        liveCentroidTerms += 1
    }

    private mutating func add(_ vector: [(Int32, Double)], of article: Article, at time: Double, to id: Int64) {
        let slot = openSlot(for: id, at: time)
        slots[slot].memberVectors.append(MemberVector(canonicalURL: article.canonicalURL, language: article.language ?? "", time: time, vector: vector))
        for (term, weight) in vector { addTerm(term, weight, to: slot) }
        if slots[slot].terms.count > 2 * Self.centroidTerms { prune(slot) }
        slots[slot].first = min(slots[slot].first, time)
        slots[slot].last = max(slots[slot].last, time)
        slots[slot].members += 1
        slots[slot].normsAt = -1
    }

    /// Keeps a centroid's strongest terms; the kept ones are indexed again at their new positions.
    private mutating func prune(_ slot: Int) {
        let story = slots[slot]
        let kept = story.terms.indices.sorted { (story.weights[$0], story.terms[$1]) > (story.weights[$1], story.terms[$0]) }
            .prefix(Self.centroidTerms)
        liveCentroidTerms -= story.terms.count
        slots[slot].generation &+= 1
        slots[slot].terms.removeAll(keepingCapacity: true)
        slots[slot].weights.removeAll(keepingCapacity: true)
        slots[slot].positions.removeAll(keepingCapacity: true)
        for index in kept { addTerm(story.terms[index], story.weights[index], to: slot) }
    }

    /// Empties a slot for reuse; the postings pointing at it become stale.
    private mutating func free(_ slot: Int) {
        slotOf[slots[slot].id] = nil
        liveCentroidTerms -= slots[slot].terms.count
        slots[slot] = StoryState(generation: slots[slot].generation &+ 1)
        freeSlots.append(Int32(slot))
    }

    private mutating func merge(_ from: Int64, into: Int64, similarity: Double, reason: StoryMerge.Reason) -> StoryMerge {
        let source = Int(slotOf[from]!), target = Int(slotOf[into]!)
        for index in slots[source].terms.indices {
            addTerm(slots[source].terms[index], slots[source].weights[index], to: target)
        }
        slots[target].first = min(slots[target].first, slots[source].first)
        slots[target].last = max(slots[target].last, slots[source].last)
        slots[target].members += slots[source].members
        slots[target].normsAt = -1
        slots[target].memberVectors += slots[source].memberVectors
        slots[target].titleChosenAt = 0
        free(source)
        mergedInto[from] = into
        constraints.merged(from, into: into)
        touched.remove(from)
        touched.insert(into)
        return StoryMerge(from: from, into: into, similarity: similarity, reason: reason)
    }

    private func resolve(_ id: Int64) -> Int64 {
        var id = id
        while let next = mergedInto[id] { id = next }
        return id
    }

    /// 1 inside the story's time span, falling linearly to 0.5 at the window's edge; nil beyond it.
    private func timeDecay(_ time: Double, _ first: Double, _ last: Double) -> Double? {
        let gap = time < first ? first - time : (time > last ? time - last : 0)
        let window = settings.windowHours * 3600
        guard gap <= window else { return nil }
        return 1 - 0.5 * gap / window
    }

    // MARK: - Forgetting

    /// Moves the clock: documents leave the frequency window, idle stories leave the index.
    private mutating func advance(to time: Double) {
        guard time > latest else { return }
        latest = time
        let frequencyHorizon = time - settings.documentFrequencyHours * 3600
        while recentHead < recentDocuments.count, recentDocuments[recentHead].time < frequencyHorizon {
            for term in recentDocuments[recentHead].terms { documentFrequency[Int(term)] -= 1 }
            recentHead += 1
        }
        if recentHead > 4_096, recentHead * 2 > recentDocuments.count {
            recentDocuments.removeFirst(recentHead)
            recentHead = 0
        }
        guard time - lastSweep >= 3600 else { return }
        lastSweep = time
        let horizon = time - settings.windowHours * 3600
        // A story past its open hours takes nothing more: it leaves the index too.
        let closed = time - settings.storyHours * 3600
        for slot in slots.indices where slots[slot].live && (slots[slot].last < horizon || slots[slot].first < closed) { free(slot) }
        mergedInto = mergedInto.filter { slotOf[$0.value] != nil || mergedInto[$0.value] != nil }
        groupStories = groupStories.filter { slotOf[resolve($0.value)] != nil }
        let stale = postingEntries - liveCentroidTerms
        if stale > 4_096, stale > liveCentroidTerms { rebuildPostings() }
        while copiesHead < copyTimes.count, copyTimes[copiesHead] < horizon { copiesHead += 1 }
        if copiesHead > 4_096, copiesHead * 2 > copyTimes.count { rebuildCopyBands() }
    }

    private mutating func rebuildPostings() {
        for index in postings.indices where !postings[index].isEmpty { postings[index].removeAll(keepingCapacity: true) }
        for slot in slots.indices where slots[slot].live {
            let generation = slots[slot].generation
            for (position, term) in slots[slot].terms.enumerated() {
                postings[Int(term)].append(Posting(slot: Int32(slot), position: Int32(position), generation: generation))
            }
        }
        postingEntries = liveCentroidTerms
    }

    // MARK: - Wire copies

    /// The fingerprint of the latest recent text at most `duplicateBits` SimHash bits from this
    /// one, if any; the article is remembered under that fingerprint (or its own) for later copies.
    private mutating func nearDuplicate(of article: Article, at time: Double) -> String? {
        guard let hash = SimHash.hash(title: article.title, summary: article.summary) else { return nil }
        // Five bands of 13 or 12 bits: texts up to 9 bits apart differ in at most one bit of some
        // band, so looking up each band's value and its one-bit neighbours finds every such text
        // while reading about one recent text per bucket (nine exact 7-bit bands read ~60 each).
        var found = -1
        for band in 0..<Self.bands {
            let value = Self.bandValue(hash, band)
            for flip in -1..<Self.bandWidth(band) {
                var copy = Int(copyHeads[band << Self.bandBits | (flip < 0 ? value : value ^ 1 << flip)])
                while copy >= copiesHead, copy > found {
                    let link = copyLinks[copy * Self.bands + band]
                    if SimHash.distance(link.hash, hash) <= settings.duplicateBits {
                        found = copy
                        break
                    }
                    copy = Int(link.previous)
                }
            }
        }
        let fingerprint = found >= 0 ? copyFingerprints[found] : nil
        copyHashes.append(hash)
        copyTimes.append(time)
        copyFingerprints.append(fingerprint ?? article.fingerprint)
        link(copyHashes.count - 1)
        return fingerprint == article.fingerprint ? nil : fingerprint
    }

    /// Remembers a seeded article's text for later copies under its stored fingerprint, without
    /// looking for its own original: that was decided when it was placed, and the store kept the
    /// original's fingerprint. (Looking again read every text in 70 bands of the open window for
    /// each seeded article, the costliest part of a run on a feed list of 60,000 articles a day.)
    private mutating func rememberCopy(of article: Article, at time: Double) {
        guard let hash = SimHash.hash(title: article.title, summary: article.summary) else { return }
        copyHashes.append(hash)
        copyTimes.append(time)
        copyFingerprints.append(article.fingerprint)
        link(copyHashes.count - 1)
    }

    private static let bands = 5
    private static let bandBits = 13

    /// 13, 13, 13, 13 and 12 bits: the 64 bits of the hash.
    private static func bandWidth(_ band: Int) -> Int { band == bands - 1 ? 64 - (bands - 1) * bandBits : bandBits }

    private static func bandValue(_ hash: UInt64, _ band: Int) -> Int {
        Int((hash >> UInt64(band * bandBits)) & ((1 << UInt64(bandWidth(band))) - 1))
    }

    private mutating func rebuildCopyBands() {
        copyHashes.removeFirst(copiesHead)
        copyTimes.removeFirst(copiesHead)
        copyFingerprints.removeFirst(copiesHead)
        copiesHead = 0
        copyLinks.removeAll(keepingCapacity: true)
        for key in copyHeads.indices { copyHeads[key] = -1 }
        for index in copyHashes.indices { link(index) }
    }

    /// Puts copy `index` at the head of its bucket in every band.
    private mutating func link(_ index: Int) {
        for band in 0..<Self.bands {
            let hash = copyHashes[index]
            let key = band << Self.bandBits | Self.bandValue(hash, band)
            copyLinks.append((hash, copyHeads[key]))
            copyHeads[key] = Int32(index)
        }
    }

    // MARK: - Outlet names in headlines

    /// The headline without a trailing "  ..." and without an outlet's suffix ("… - Reuters",
    /// "… | CNN"): a tail after a separator that this domain has used before is the outlet's
    /// name, not news. Learned from the stream, so no list of outlets is needed.
    private mutating func strippedTitle(of article: Article) -> String {
        // On the bytes: trimming a Substring character by character measured its length each time.
        var utf8 = Array(article.title.utf8)
        while let last = utf8.last {
            if last == 0x2E || last == 0x20 {
                utf8.removeLast()
            } else if utf8.count >= 3, last == 0xA6, utf8[utf8.count - 2] == 0x80, utf8[utf8.count - 3] == 0xE2 {
                utf8.removeLast(3)  // "…"
            } else {
                break
            }
        }
        var cuts: [Int] = []
        var index = 1
        while index + 2 < utf8.count {
            if utf8[index - 1] == 0x20 {
                if (utf8[index] == 0x2D || utf8[index] == 0x7C), utf8[index + 1] == 0x20 {
                    cuts.append(index - 1)
                } else if utf8[index] == 0xE2, index + 3 < utf8.count, utf8[index + 1] == 0x80,
                    utf8[index + 2] == 0x93 || utf8[index + 2] == 0x94, utf8[index + 3] == 0x20
                {
                    cuts.append(index - 1)
                }
            }
            index += 1
        }
        guard !cuts.isEmpty else { return String(decoding: utf8, as: UTF8.self) }
        let domain = article.sourceName ?? article.domain
        // Taken out and put back, so that it is updated in place rather than copied.
        var known = suffixCounts.removeValue(forKey: domain) ?? [:]
        var strip: Int?
        for cut in cuts {
            let tail = Self.trimmed(String(decoding: utf8[(cut + 2)...], as: UTF8.self)).lowercased()
            guard !tail.isEmpty, tail.split(separator: " ").count <= 6 else { continue }
            if strip == nil, (known[tail] ?? 0) >= 1 { strip = cut }
            known[tail, default: 0] += 1
        }
        if known.count > 64 { known = known.filter { $0.value > 1 } }
        suffixCounts[domain] = known
        guard let strip else { return String(decoding: utf8, as: UTF8.self) }
        return String(decoding: utf8[..<strip], as: UTF8.self)
    }

    /// `trimmingCharacters(in: .whitespaces)` without the trip through NSString, which cost more
    /// than the rest of the suffix learning.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !CharacterSet.whitespaces.contains($0) }),
            let last = scalars.lastIndex(where: { !CharacterSet.whitespaces.contains($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
