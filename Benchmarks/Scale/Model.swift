import Foundation

/// The simulated news world: sources that publish at very different rates, and stories of very
/// different sizes told by several sources over hours. Every article is a row of four numbers;
/// its text is made from them on demand, so the same seed gives the same world in the driver
/// (which bulk-loads the history) and in the feed server (which serves the days after it).
///
/// What is modelled, and why (see BENCHMARKS.md, "Scale simulation"):
/// - Publishing rates are Zipf-like over sources (weight 1/(rank + 20)): the biggest source
///   writes a few hundred items a day, the median one about one every few days, as on a real
///   feed list of tens of thousands of sources.
/// - Story sizes follow a power law (P(k) ∝ k^-1.9, 1 … 400 articles): most stories are told
///   once, a few by hundreds of sources. A story's articles arrive over hours (2 h plus 20 min
///   per article, at most 48 h), most of them early.
/// - The day has a rhythm: twice as many articles at the busiest hour as at the quietest.
/// - Headlines are 6–10 words: the story's two names and its topic word, among common words
///   drawn Zipf-like (1/(rank + 50), no stopwords) from a 20,000-word vocabulary; descriptions are two or three sentences of
///   25–40 words with the story's names, place, topic, a number and a weekday among common words. The words are invented (syllables), so
///   nothing of any real feed is copied, and the clusterer meets names, shared topics and
///   common words in realistic proportions.
struct World: Sendable {
    struct Parameters: Sendable, Equatable {
        var sources = 50_000
        var articlesPerDay = 60_000
        var historyDays = 90
        var simulatedDays = 3
        var seed: UInt64 = 1
        /// Real time of the first history second: the whole world lies in the past.
        var origin: Date

        var totalHours: Int { (historyDays + simulatedDays) * 24 }
        var historyEnd: Date { origin.addingTimeInterval(Double(historyDays) * 86_400) }
    }

    let parameters: Parameters
    /// Seconds since `origin`, ascending; the other arrays are parallel to it.
    private(set) var times: [Int32] = []
    private(set) var sourceOf: [Int32] = []
    private(set) var storyOf: [Int32] = []
    /// The article's place within its story (varies its wording).
    private(set) var variant: [UInt16] = []
    /// Per source, its articles' indices in time order.
    private(set) var bySource: [[Int32]] = []

    init(_ parameters: Parameters) {
        self.parameters = parameters
        var random = SplitMix(seed: parameters.seed)
        let sourceWeights = Cumulative((0..<parameters.sources).map { 1 / Double($0 + 20) })
        let sizeWeights = Cumulative((1...400).map { pow(Double($0), -1.9) })
        let span = Double(parameters.totalHours) * 3600
        let target = parameters.articlesPerDay * (parameters.historyDays + parameters.simulatedDays)
        var rows: [(time: Int32, source: Int32, story: Int32, variant: UInt16)] = []
        rows.reserveCapacity(target + 1000)
        var story: Int32 = 0
        while rows.count < target {
            let size = sizeWeights.pick(random.unit()) + 1
            // Stories start more often at busy hours: rejection against the daily rhythm.
            var start = random.unit() * span
            while random.unit() > Self.rhythm(start) { start = random.unit() * span }
            let life = min(48 * 3600, 7200 + Double(size) * 1200)
            var used: Set<Int32> = []
            for index in 0..<size {
                let offset = index == 0 ? 0 : life * pow(random.unit(), 2)
                let time = start + offset
                guard time < span else { continue }
                var source = Int32(sourceWeights.pick(random.unit()))
                // A source tells a story once, as a rule.
                for _ in 0..<3 where used.contains(source) { source = Int32(sourceWeights.pick(random.unit())) }
                used.insert(source)
                rows.append((Int32(time), source, story, UInt16(min(index, 65_535))))
            }
            story += 1
        }
        rows.sort { ($0.time, $0.story, $0.variant) < ($1.time, $1.story, $1.variant) }
        times = rows.map(\.time)
        sourceOf = rows.map(\.source)
        storyOf = rows.map(\.story)
        variant = rows.map(\.variant)
        bySource = Array(repeating: [], count: parameters.sources)
        for (index, row) in rows.enumerated() { bySource[Int(row.source)].append(Int32(index)) }
    }

    /// 0.5 … 1: the share of the busiest hour's rate at this second of a (UTC) day.
    static func rhythm(_ second: Double) -> Double {
        let hour = second.truncatingRemainder(dividingBy: 86_400) / 3600
        return 0.75 + 0.25 * sin((hour - 8) / 24 * 2 * .pi)
    }

    var count: Int { times.count }

    func date(_ index: Int) -> Date { parameters.origin.addingTimeInterval(Double(times[index])) }

    /// The articles published before `date`, as an index range of the time-ordered rows.
    func indices(before date: Date) -> Range<Int> {
        let limit = Int32(max(Double(Int32.min), min(Double(Int32.max), date.timeIntervalSince(parameters.origin).rounded(.up))))
        var low = 0, high = times.count
        while low < high {
            let middle = (low + high) / 2
            if times[middle] < limit { low = middle + 1 } else { high = middle }
        }
        return 0..<low
    }

    // MARK: - Text

    func outletDomain(_ source: Int) -> String { "\(Self.word(source * 7 + 3, syllables: 3))-\(source).example" }

    func link(_ index: Int) -> String {
        let slug = headlineWords(index).prefix(6).joined(separator: "-").lowercased()
        return "https://\(outletDomain(Int(sourceOf[index])))/news/\(slug)-\(index)"
    }

    func headline(_ index: Int) -> String {
        var words = headlineWords(index)
        words[0] = words[0].prefix(1).uppercased() + words[0].dropFirst()
        return words.joined(separator: " ")
    }

    /// Two or three sentences of 25–40 words: the story's names, place, topic and number among
    /// common words in varying order, as outlets word one event differently.
    func description(_ index: Int) -> String {
        let story = Int(storyOf[index])
        var random = SplitMix(seed: UInt64(index) &* 0x9E37_79B9 &+ 17)
        let (first, second, place, topic) = storyNames(story)
        let facts = [first, second, place, topic, "\((story * 37) % 900 + 12)", Self.weekdays[story % 7]]
        var sentences: [String] = []
        for _ in 0..<(2 + Int(random.unit() * 2)) {
            var words = (0..<(8 + Int(random.unit() * 8))).map { _ in commonWord(&random) }
            for _ in 0..<2 { words.insert(facts[Int(random.unit() * Double(facts.count))], at: Int(random.unit() * Double(words.count + 1))) }
            words[0] = words[0].prefix(1).uppercased() + words[0].dropFirst()
            sentences.append(words.joined(separator: " ") + ".")
        }
        return sentences.joined(separator: " ")
    }

    private func headlineWords(_ index: Int) -> [String] {
        let story = Int(storyOf[index])
        var random = SplitMix(seed: UInt64(index) &* 0x2545_F491 &+ 5)
        let (first, second, place, topic) = storyNames(story)
        var words: [String] = []
        if random.unit() < 0.85 { words.append(second) }
        if random.unit() < 0.6 { words.append(first) }
        if random.unit() < 0.5 { words.append(place) }
        if random.unit() < 0.8 { words.append(topic) }
        if words.isEmpty { words.append(second) }
        let commons = 4 + Int(random.unit() * 4)
        for _ in 0..<commons { words.insert(commonWord(&random), at: Int(random.unit() * Double(words.count + 1))) }
        return words
    }

    /// Two names, a place and a topic word per story; names recur across stories as real names
    /// do (a pool of 400,000 names, 5,000 places, 400 topics).
    private func storyNames(_ story: Int) -> (String, String, String, String) {
        var random = SplitMix(seed: UInt64(story) &* 0x5851_F42D &+ 11)
        func name(_ pool: Int, _ salt: Int, syllables: Int) -> String {
            let word = Self.word(Int(random.unit() * Double(pool)) * 13 + salt, syllables: syllables)
            return word.prefix(1).uppercased() + word.dropFirst()
        }
        let first = name(400_000, 1, syllables: 4)
        let second = name(400_000, 2, syllables: 4)
        let place = name(5_000, 3, syllables: 3)
        let topic = Self.word(Int(random.unit() * 400) * 11 + 9, syllables: 2)
        return (first, second, place, topic)
    }

    private func commonWord(_ random: inout SplitMix) -> String {
        Self.commonWords[Self.commonWeights.pick(random.unit())]
    }

    private static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    private static let syllables = ["ka", "lo", "mi", "ren", "tas", "vo", "dor", "bel", "sun", "ti", "ra", "gon", "pe", "lu", "zan", "fi",
                                    "mar", "no", "shi", "ket"]
    private static let commonWords = (0..<20_000).map { word($0 * 3 + 1, syllables: 3 + $0 % 2) }
    /// Flatter than Zipf's 1/rank: stopwords are not in it (the tokenizer drops real ones), so the
    /// most common word is in about one article in ten, as "said" or "new" are in real feeds.
    private static let commonWeights = Cumulative((0..<20_000).map { 1 / Double($0 + 50) })

    /// An invented word: `number` written in base-20 syllables.
    static func word(_ number: Int, syllables count: Int) -> String {
        var value = number, text = ""
        for _ in 0..<count {
            text += syllables[value % syllables.count]
            value /= syllables.count
        }
        return text
    }
}

/// Picks an index with probability proportional to its weight (binary search over the sums).
struct Cumulative: Sendable {
    private let sums: [Double]

    init(_ weights: [Double]) {
        var total = 0.0
        sums = weights.map { total += $0; return total }
    }

    func pick(_ unit: Double) -> Int {
        let target = unit * sums[sums.count - 1]
        var low = 0, high = sums.count - 1
        while low < high {
            let middle = (low + high) / 2
            if sums[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// A small, fast, seeded generator (SplitMix64): the same seed, the same world.
struct SplitMix: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// In [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
