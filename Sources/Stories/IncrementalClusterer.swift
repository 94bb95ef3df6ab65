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
    /// Near-identical texts (wire copies) are at most this many SimHash bits apart.
    public var duplicateBits: Int
    public var weights: TermExtractor.Weights

    public init(
        threshold: Double = 0.12, windowHours: Double = 48, titleWeight: Double = 2, documentFrequencyHours: Double = 720,
        mergeThreshold: Double = 0.3, duplicateBits: Int = 8, weights: TermExtractor.Weights = TermExtractor.Weights()
    ) {
        self.threshold = threshold
        self.windowHours = windowHours
        self.titleWeight = titleWeight
        self.documentFrequencyHours = documentFrequencyHours
        self.mergeThreshold = mergeThreshold
        self.duplicateBits = duplicateBits
        self.weights = weights
    }

    public static let version = "lexical-centroid-2"

    public var summary: String {
        "\(Self.version): Snowball-stemmed TF-IDF of headline (×\(titleWeight.formatted())) + summary terms, names ×\(weights.name.formatted()), "
            + "document frequencies over \(documentFrequencyHours.formatted()) h, cosine to the story centroid decayed with the time gap; "
            + "join at ≥ \(threshold.formatted()), window \(windowHours.formatted()) h, merge stories at ≥ \(mergeThreshold.formatted())"
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
/// terms. After each batch, `endBatch()` merges stories that turned out to be one.
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

    // Active stories and the inverted index over their terms.
    private var stories: [Int64: StoryState] = [:]
    private var postings: [[Int64]] = []
    private var stalePostings = 0
    private var latest = -Double.infinity
    private var lastSweep = -Double.infinity
    private var touched: Set<Int64> = []
    private var mergedInto: [Int64: Int64] = [:]
    private var groupStories: [String: Int64] = [:]
    private var groupMerges: [(Int64, Int64)] = []

    // Outlet suffixes learned per domain, and recent texts for near-duplicate detection.
    private var suffixCounts: [String: [String: Int]] = [:]
    // Parallel arrays: the band search reads only the hashes.
    private var copyHashes: [UInt64] = []
    private var copyTimes: [Double] = []
    private var copyFingerprints: [String] = []
    private var copiesHead = 0
    /// Band buckets (band × 128 values), each holding (copy index, hash) oldest first: the scan
    /// reads the hashes in order instead of jumping to them.
    private var copyBands: [[(index: Int, hash: UInt64)]] = Array(repeating: [], count: IncrementalClusterer.bands * 128)

    /// The most terms a story's centroid keeps: big stories stay as cheap to compare as small ones.
    static let centroidTerms = 160

    private struct StoryState: Sendable {
        var centroid: [Int32: Double] = [:]
        var first: Double
        var last: Double
        var members = 0
        var norm = 0.0
        var latinNorm = 0.0
        var latinShare = 0.0
        /// `documentsSeen` when the norms were computed; -1 when the centroid changed since.
        var normsAt = -1
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
            _ = nearDuplicate(of: article, at: time)
            let vector = termVector(of: article)
            count(vector, at: time)
            add(vector, at: time, to: storyID)
            if let key = article.groupKey, groupStories[key] == nil { groupStories[key] = storyID }
        }
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
        let query = Query(vector: vector, clusterer: self)

        var best: (id: Int64, similarity: Double)?
        // Term at a time: each story sharing a term is looked up once per shared term, instead
        // of every query term being looked up in every candidate's centroid. The sums run in
        // query-term order, as `sharedTerms` does, so the scores are the same to the bit.
        var candidates: [Int64: SharedTerms] = [:]
        for (term, weight) in query.terms where Int(term) < postings.count {
            let isLatin = termIsLatin[Int(term)]
            for id in postings[Int(term)] {
                Self.accumulate(&candidates[id, default: SharedTerms()]) { shared in
                    // A term pruned and added again is listed twice; it counts once.
                    guard shared.lastTerm != term else { return }
                    shared.lastTerm = term
                    guard let c = stories[id]?.centroid[term] else { return }
                    shared.dot += weight * c
                    if isLatin {
                        shared.latinDot += weight * c
                        shared.latin += 1
                    }
                }
            }
        }
        for (id, shared) in candidates {
            let similarity = self.similarity(query, shared, to: id, at: time)
            if similarity > (best?.similarity ?? 0) || (similarity == best?.similarity && id < best!.id) {
                best = (id, similarity)
            }
        }

        var decision: Assignment
        if let key = article.groupKey, let groupStory = groupStories[key].map(resolve), stories[groupStory] != nil {
            if let best, best.id != groupStory, best.similarity >= settings.threshold {
                // The aggregator says this is the group's event, and the text says it is also
                // that story's: the two are one.
                groupMerges.append((groupStory, best.id))
            }
            decision = Assignment(storyID: groupStory, similarity: similarity(query, to: groupStory, at: time), reason: .group)
        } else if let best, best.similarity >= settings.threshold {
            decision = Assignment(storyID: best.id, similarity: best.similarity, reason: .joined)
        } else {
            decision = Assignment(storyID: nextStoryID, similarity: best?.similarity ?? 0, reason: .newStory)
            nextStoryID += 1
        }
        decision.duplicateOf = duplicateOf
        add(vector, at: time, to: decision.storyID)
        if let key = article.groupKey, groupStories[key].map(resolve).flatMap({ stories[$0] }) == nil {
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
            guard x != y, stories[x] != nil, stories[y] != nil else { continue }
            let similarity = storySimilarity(x, y)
            merges.append(merge(max(x, y), into: min(x, y), similarity: similarity, reason: .group))
        }
        groupMerges.removeAll()
        for id in touched.sorted().prefix(Self.mergeCandidatesPerBatch) {
            guard let story = stories[id] else { continue }
            var best: (id: Int64, similarity: Double)?
            var candidates: Set<Int64> = []
            for term in strongestTerms(of: story, count: 8) where Int(term) < postings.count {
                for other in postings[Int(term)] where other != id { candidates.insert(other) }
            }
            for other in candidates where stories[other] != nil {
                let similarity = storySimilarity(id, other)
                if similarity > (best?.similarity ?? 0) || (similarity == best?.similarity && other < best!.id) {
                    best = (other, similarity)
                }
            }
            if let best, best.similarity >= settings.mergeThreshold {
                merges.append(merge(max(id, best.id), into: min(id, best.id), similarity: best.similarity, reason: .similar))
            }
        }
        touched.removeAll()
        return merges
    }

    /// At most this many changed stories are compared per batch, so a huge batch stays bounded.
    static let mergeCandidatesPerBatch = 2_000

    /// How many stories are open to new articles.
    public var activeStoryCount: Int { stories.count }

    // MARK: - Vectors

    /// Unit-length term weights of an article, as (term id, weight), headline terms weighted up.
    private mutating func termVector(of article: Article) -> [(Int32, Double)] {
        var weights: [Int32: Double] = [:]
        for (term, weight) in extractor.terms(in: strippedTitle(of: article), language: article.language) {
            weights[termID(term), default: 0] += weight * settings.titleWeight
        }
        if !article.summary.isEmpty {
            for (term, weight) in extractor.terms(in: article.summary, language: article.language) {
                weights[termID(term), default: 0] += weight
            }
        }
        let norm = weights.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return [] }
        return weights.map { ($0.key, $0.value / norm) }.sorted { $0.0 < $1.0 }
    }

    private mutating func termID(_ term: String) -> Int32 {
        if let id = termIDs[term] { return id }
        let id = Int32(termIsLatin.count)
        termIDs[term] = id
        termIsLatin.append(term.unicodeScalars.allSatisfy { $0.value < 0x0250 })
        documentFrequency.append(0)
        postings.append([])
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
        var terms: [(term: Int32, weight: Double)]
        var norm: Double
        var latinNorm: Double
        var latinShare: Double

        init(vector: [(Int32, Double)], clusterer: IncrementalClusterer) {
            terms = []
            terms.reserveCapacity(vector.count)
            var normSquared = 0.0, latinSquared = 0.0, latinWeight = 0.0, totalWeight = 0.0
            for (term, weight) in vector {
                let idf = clusterer.inverseDocumentFrequency(term)
                terms.append((term, weight * idf * idf))
                let weighted = weight * idf
                normSquared += weighted * weighted
                totalWeight += weight
                if clusterer.termIsLatin[Int(term)] {
                    latinSquared += weighted * weighted
                    latinWeight += weight
                }
            }
            norm = normSquared.squareRoot()
            latinNorm = latinSquared.squareRoot()
            latinShare = totalWeight > 0 ? latinWeight / totalWeight : 0
        }
    }

    /// What a query and a story's centroid share: the dot products, overall and over Latin-script terms.
    private struct SharedTerms {
        var dot = 0.0
        var latinDot = 0.0
        var latin = 0
        var lastTerm: Int32 = -1
    }

    private static func accumulate(_ shared: inout SharedTerms, _ body: (inout SharedTerms) -> Void) { body(&shared) }

    private func sharedTerms(_ query: Query, _ id: Int64) -> SharedTerms {
        var shared = SharedTerms()
        guard let story = stories[id] else { return shared }
        for (term, weight) in query.terms {
            guard let c = story.centroid[term] else { continue }
            shared.dot += weight * c
            if termIsLatin[Int(term)] {
                shared.latinDot += weight * c
                shared.latin += 1
            }
        }
        return shared
    }

    private mutating func similarity(_ query: Query, to id: Int64, at time: Double) -> Double {
        similarity(query, sharedTerms(query, id), to: id, at: time)
    }

    private mutating func similarity(_ query: Query, _ shared: SharedTerms, to id: Int64, at time: Double) -> Double {
        guard var story = stories[id], let decay = timeDecay(time, story.first, story.last), query.norm > 0 else { return 0 }
        if story.normsAt < 0 || documentsSeen - story.normsAt > Self.normRefreshDocuments {
            computeNorms(&story)
            stories[id] = story
        }
        guard story.norm > 0 else { return 0 }
        let latinDot = shared.latinDot, sharedLatin = shared.latin
        var similarity = shared.dot / (query.norm * story.norm)
        // Articles in different scripts share mostly names, acronyms and numbers written in Latin
        // letters ("Meridian-7", "ESA"): compared on those alone, a Korean article can join the
        // English story it reports. Only when one side is mostly another script, and only on at
        // least three shared terms, so that a lone number never joins two stories.
        if min(query.latinShare, story.latinShare) < 0.5, sharedLatin >= 3, query.latinNorm > 0, story.latinNorm > 0 {
            similarity = max(similarity, latinDot / (query.latinNorm * story.latinNorm))
        }
        return similarity * decay
    }

    /// Norms follow the IDF, which drifts slowly: they are refreshed after this many articles.
    static let normRefreshDocuments = 2_000

    private func computeNorms(_ story: inout StoryState) {
        var normSquared = 0.0, latinSquared = 0.0, latinWeight = 0.0, totalWeight = 0.0
        for (term, weight) in story.centroid {
            let weighted = weight * inverseDocumentFrequency(term)
            normSquared += weighted * weighted
            totalWeight += weight
            if termIsLatin[Int(term)] {
                latinSquared += weighted * weighted
                latinWeight += weight
            }
        }
        story.norm = normSquared.squareRoot()
        story.latinNorm = latinSquared.squareRoot()
        story.latinShare = totalWeight > 0 ? latinWeight / totalWeight : 0
        story.normsAt = documentsSeen
    }

    /// IDF-weighted cosine of two stories' centroids, decayed with the gap between their spans.
    private mutating func storySimilarity(_ a: Int64, _ b: Int64) -> Double {
        guard var x = stories[a], var y = stories[b] else { return 0 }
        let gap = max(0, max(x.first, y.first) - min(x.last, y.last))
        let window = settings.windowHours * 3600
        guard gap <= window else { return 0 }
        if x.normsAt < 0 { computeNorms(&x); stories[a] = x }
        if y.normsAt < 0 { computeNorms(&y); stories[b] = y }
        guard x.norm > 0, y.norm > 0 else { return 0 }
        let (small, large) = x.centroid.count <= y.centroid.count ? (x, y) : (y, x)
        var dot = 0.0
        for (term, weight) in small.centroid {
            guard let other = large.centroid[term] else { continue }
            let idf = inverseDocumentFrequency(term)
            dot += weight * other * idf * idf
        }
        return dot / (x.norm * y.norm) * (1 - 0.5 * gap / window)
    }

    private func strongestTerms(of story: StoryState, count: Int) -> [Int32] {
        story.centroid.map { ($0.key, $0.value * inverseDocumentFrequency($0.key)) }
            .sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(count).map(\.0)
    }

    private mutating func add(_ vector: [(Int32, Double)], at time: Double, to id: Int64) {
        if stories[id] == nil { stories[id] = StoryState(first: time, last: time) }
        var newTerms: [Int32] = []
        var pruned = 0
        // Mutated in place through the dictionary, so the centroid is never copied.
        Self.update(&stories[id]!) { story in
            for (term, weight) in vector {
                if story.centroid[term] == nil { newTerms.append(term) }
                story.centroid[term, default: 0] += weight
            }
            if story.centroid.count > 2 * Self.centroidTerms {
                let kept = story.centroid.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(Self.centroidTerms)
                pruned = story.centroid.count - kept.count
                story.centroid = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
            }
            story.first = min(story.first, time)
            story.last = max(story.last, time)
            story.members += 1
            story.normsAt = -1
        }
        for term in newTerms { postings[Int(term)].append(id) }
        stalePostings += pruned
    }

    private static func update(_ story: inout StoryState, _ body: (inout StoryState) -> Void) { body(&story) }

    private mutating func merge(_ from: Int64, into: Int64, similarity: Double, reason: StoryMerge.Reason) -> StoryMerge {
        let source = stories.removeValue(forKey: from)!
        var newTerms: [Int32] = []
        Self.update(&stories[into]!) { target in
            for (term, weight) in source.centroid {
                if target.centroid[term] == nil { newTerms.append(term) }
                target.centroid[term, default: 0] += weight
            }
            target.first = min(target.first, source.first)
            target.last = max(target.last, source.last)
            target.members += source.members
            target.normsAt = -1
        }
        for term in newTerms { postings[Int(term)].append(into) }
        stalePostings += source.centroid.count
        mergedInto[from] = into
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
        for (id, story) in stories where story.last < horizon {
            stories[id] = nil
            stalePostings += story.centroid.count
        }
        mergedInto = mergedInto.filter { stories[$0.value] != nil || mergedInto[$0.value] != nil }
        groupStories = groupStories.filter { stories[resolve($0.value)] != nil }
        if stalePostings > 4_096, stalePostings > stories.values.reduce(0, { $0 + $1.centroid.count }) {
            rebuildPostings()
        }
        while copiesHead < copyTimes.count, copyTimes[copiesHead] < horizon { copiesHead += 1 }
        if copiesHead > 4_096, copiesHead * 2 > copyTimes.count { rebuildCopyBands() }
    }

    private mutating func rebuildPostings() {
        for index in postings.indices where !postings[index].isEmpty { postings[index].removeAll() }
        for (id, story) in stories.sorted(by: { $0.key < $1.key }) {
            for term in story.centroid.keys { postings[Int(term)].append(id) }
        }
        stalePostings = 0
    }

    // MARK: - Wire copies

    /// The fingerprint of a recent text at most `duplicateBits` SimHash bits from this one, if any;
    /// the article is remembered under that fingerprint (or its own) for later copies.
    private mutating func nearDuplicate(of article: Article, at time: Double) -> String? {
        guard let hash = SimHash.hash(title: article.title, summary: article.summary) else { return nil }
        var found: String?
        // Nine 7-bit bands: texts up to 8 bits apart agree exactly on at least one band.
        search: for band in 0..<Self.bands {
            for entry in copyBands[Self.bandKey(hash, band)].reversed() {
                if entry.index < copiesHead { break }
                if SimHash.distance(entry.hash, hash) <= settings.duplicateBits {
                    found = copyFingerprints[entry.index]
                    break search
                }
            }
        }
        let index = copyHashes.count
        copyHashes.append(hash)
        copyTimes.append(time)
        copyFingerprints.append(found ?? article.fingerprint)
        for band in 0..<Self.bands { copyBands[Self.bandKey(hash, band)].append((index, hash)) }
        return found == article.fingerprint ? nil : found
    }

    private static let bands = 9

    private static func bandKey(_ hash: UInt64, _ band: Int) -> Int {
        band << 7 | Int((hash >> UInt64(band * 7)) & 0x7F)
    }

    private mutating func rebuildCopyBands() {
        copyHashes.removeFirst(copiesHead)
        copyTimes.removeFirst(copiesHead)
        copyFingerprints.removeFirst(copiesHead)
        copiesHead = 0
        for bucket in copyBands.indices { copyBands[bucket].removeAll(keepingCapacity: true) }
        for (index, hash) in copyHashes.enumerated() {
            for band in 0..<Self.bands { copyBands[Self.bandKey(hash, band)].append((index, hash)) }
        }
    }

    // MARK: - Outlet names in headlines

    /// The headline without a trailing "  ..." and without an outlet's suffix ("… - Reuters",
    /// "… | CNN"): a tail after a separator that this domain has used before is the outlet's
    /// name, not news. Learned from the stream, so no list of outlets is needed.
    private mutating func strippedTitle(of article: Article) -> String {
        var title = Substring(article.title)
        while let last = title.last, last == "." || last == "…" || last == " " { title = title.dropLast() }
        let utf8 = Array(title.utf8)
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
        guard !cuts.isEmpty else { return String(title) }
        let domain = article.sourceName ?? article.domain
        var known = suffixCounts[domain] ?? [:]
        var strip: Int?
        for cut in cuts {
            let tail = Self.trimmed(String(decoding: utf8[(cut + 2)...], as: UTF8.self)).lowercased()
            guard !tail.isEmpty, tail.split(separator: " ").count <= 6 else { continue }
            if strip == nil, (known[tail] ?? 0) >= 1 { strip = cut }
            known[tail, default: 0] += 1
        }
        if known.count > 64 { known = known.filter { $0.value > 1 } }
        suffixCounts[domain] = known
        guard let strip else { return String(title) }
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
