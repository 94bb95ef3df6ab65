import Coverage
import Foundation
import Outlets
import Stories

/// What a report run keeps from one story's brief to the next, so that each word is stemmed,
/// judged and numbered once per run: a fresh term extractor per story was a third of choosing
/// the brief, and hashing the same words as strings again in every story most of the rest.
public struct BriefWorkspace {
    /// Numbers the terms of the TF-IDF vectors (`TermExtractor.numberedTerms`).
    var terms = TermExtractor()
    /// Language → folded word → its number in `words`, or -1 for a word Fightin' Words does not
    /// count (a stopword, a number, a word of one or two letters).
    var wordNumbers: [String: [String: Int32]] = [:]
    var words: [String] = []
    /// By term number: in how many of one story's sentences the term occurs (zero between stories).
    var documentFrequency: [Int32] = []
    /// Fact (a number, a name, a quoted phrase) → its number.
    var factNumbers: [String: Int32] = [:]

    public init() {}

    mutating func factNumber(_ fact: String) -> Int32 {
        if let known = factNumbers[fact] { return known }
        let number = Int32(factNumbers.count)
        factNumbers[fact] = number
        return number
    }

    mutating func wordNumber(_ word: String) -> Int32 {
        words.append(word)
        return Int32(words.count - 1)
    }
}

/// Chooses a story's brief, its perspectives, its picture and its article cards' first sentences
/// from the articles' own text. Nothing is written here: every sentence is a slice of a title,
/// description or content field, quoted with its article.
public enum BriefBuilder {
    /// Changes whenever the choice changes, so every report is rewritten once.
    public static let version = "brief-3"
    public static let maximumPoints = 5
    /// No two sentences of one brief (lead and points) have a TF-IDF cosine above this.
    public static let maximumSimilarity = 0.5
    /// MMR's balance between centrality and novelty (Carbonell and Goldstein 1998).
    public static let lambda = 0.7
    /// Content sentences read per article: the lead paragraphs say what happened.
    static let contentSentencesPerArticle = 12
    /// A side needs this many words, and the rest of the story too, before words are compared.
    public static let minimumSideWords = 40

    struct Candidate {
        var quote: Quote
        var article: Int
        var side: Side?
        /// TF-IDF weights by term number (`Vocabulary`), in ascending term order.
        var vector: [(term: Int32, weight: Double)] = []
        var norm = 0.0
        /// Outlets whose articles carry this very sentence (wire copies, shared leads), by their
        /// number in the story (`Pool.outletKeys`), ascending.
        var outlets: [Int32]
        var score = 0.0
        /// The sentence that follows it in the same field, if any (for a two-sentence lead).
        var next: Int?
        /// Numbers, names and quoted words, by their number in the workspace, ascending, once each.
        var facts: [Int32] = []
        /// The words Fightin' Words counts (`words(of:language:)`), by their number in the
        /// workspace, as often as the sentence has them; from the same tokens as the vector.
        var words: [Int32] = []
    }

    /// A story's candidate sentences, vectorised and scored, and its headlines.
    struct Pool {
        var candidates: [Candidate]
        var titles: [Candidate]
        var articles: [Article]
        var language: String
        var languageCounts: [String: Int]
        /// Per article (of `articles`): its headline in `titles`, and the candidates its sentences are
        /// (a sentence several articles carry is one candidate), for counting each side's words.
        var titleOfArticle: [Int?]
        var sentencesOfArticle: [[Int]]
        /// Each article's first showable sentence of its description (or content), for its card.
        var firstSentences: [String: Quote]
    }

    static func pool(
        for coverage: Coverage, repeated: Set<Boilerplate.RepeatKey>, workspace: inout BriefWorkspace, outletOf outlet: (Article) -> OutletCoverage?
    ) -> Pool {
        // The brief's language: the one most articles use; a mixed story says so.
        var languageCounts: [String: Int] = [:]
        for article in coverage.articles { languageCounts[baseLanguage(article.language), default: 0] += 1 }
        let language = languageCounts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? ""
        let articles = coverage.articles.filter { baseLanguage($0.language) == language }
        var candidates: [Candidate] = []
        var byText: [Substring: Int] = [:]
        var titles: [Candidate] = []
        var titleOfArticle = [Int?](repeating: nil, count: articles.count)
        var sentencesOfArticle = [[Int]](repeating: [], count: articles.count)
        var firstSentences: [String: Quote] = [:]
        var rejected: Set<Substring> = []
        var outletNumbers: [String: Int32] = [:]
        for (index, article) in articles.enumerated() {
            guard let source = outlet(article) else { continue }
            let outletNumber = outletNumbers[source.key] ?? {
                let next = Int32(outletNumbers.count)
                outletNumbers[source.key] = next
                return next
            }()
            func quote(_ text: Substring, _ field: Quote.Field, cut: Bool) -> Quote {
                Quote(text: String(text), url: article.url, outletKey: source.key, outletName: source.name, bias: source.bias, field: field, isCut: cut)
            }
            titleOfArticle[index] = titles.count
            titles.append(Candidate(quote: quote(Substring(article.title), .title, cut: false), article: index, side: source.bias.side, outlets: [outletNumber]))
            let summaryIsTitle = readTheSame(article.summary, article.title)
            for (field, text) in [(Quote.Field.summary, summaryIsTitle ? "" : article.summary), (.content, article.content)] where !text.isEmpty {
                var sentences = SentenceSplitter.sentences(in: text)
                if field == .content { sentences = Array(sentences.prefix(contentSentencesPerArticle)) }
                // The card quotes the description, or the content when there is none.
                let isCardField = field == .summary || summaryIsTitle || article.summary.isEmpty
                var previous: Int?
                for (position, whole) in sentences.enumerated() {
                    let sentence = Boilerplate.withoutLeadingByline(whole)
                    let isLast = position == sentences.count - 1
                    // Parallax itself keeps only the start of a long field: a last sentence that the
                    // limit cut off is not shown as if it were whole. (UTF-8 bytes are never fewer
                    // than characters: most fields are decided without counting characters.)
                    let limit = field == .summary ? Article.summaryLimit : Article.contentLimit
                    if isLast, text.utf8.count >= limit, text.count >= limit, !endsCleanly(sentence) { continue }
                    let cut = isLast && isCut(sentence)
                    // A sentence that reads the same as one already judged is judged once (wire
                    // copies and shared leads repeat across a story's articles).
                    let key = normalizedKey(sentence)
                    let known = byText[key]
                    if known == nil, rejected.contains(key) || !isShowable(sentence) {
                        rejected.insert(key)
                        previous = nil
                        continue
                    }
                    guard repeated.isEmpty || !repeated.contains(Boilerplate.RepeatKey(outlet: source.key, sentence: Boilerplate.sentenceHash(sentence))) else {
                        previous = nil
                        continue
                    }
                    if isCardField, firstSentences[article.url] == nil { firstSentences[article.url] = quote(sentence, field, cut: cut) }
                    if let known {
                        if case let outlets = candidates[known].outlets, !outlets.contains(outletNumber) {
                            candidates[known].outlets.insert(outletNumber, at: outlets.firstIndex { $0 > outletNumber } ?? outlets.count)
                        }
                        sentencesOfArticle[index].append(known)
                        previous = nil
                        continue
                    }
                    sentencesOfArticle[index].append(candidates.count)
                    byText[key] = candidates.count
                    if let previous { candidates[previous].next = candidates.count }
                    previous = cut ? nil : candidates.count
                    candidates.append(Candidate(quote: quote(sentence, field, cut: cut), article: index, side: source.bias.side, outlets: [outletNumber]))
                }
            }
        }
        // A story whose feeds carry no description is briefed from its headlines.
        if candidates.isEmpty { candidates = titles }

        vectorize(&candidates, language: language, workspace: &workspace)
        vectorize(&titles, language: language, workspace: &workspace)
        score(&candidates)

        return Pool(
            candidates: candidates, titles: titles, articles: articles, language: language, languageCounts: languageCounts,
            titleOfArticle: titleOfArticle, sentencesOfArticle: sentencesOfArticle, firstSentences: firstSentences)
    }

    /// The largest cosine between two sentences of a brief (lead and points), measured as the
    /// choice measured it: what the "no repeats" rule bounds.
    public static func largestSimilarity(in brief: StoryBrief, of coverage: Coverage, repeated: Set<Boilerplate.RepeatKey> = []) -> Double {
        let outlets = Dictionary(coverage.outlets.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var workspace = BriefWorkspace()
        let pool = pool(for: coverage, repeated: repeated, workspace: &workspace) { outlets[$0.outletID ?? $0.domain] }
        let chosen = (brief.lead + brief.points).compactMap { quote in pool.candidates.first { $0.quote == quote } }
        var largest = 0.0
        for i in chosen.indices { for j in chosen.indices where j > i { largest = max(largest, cosine(chosen[i], chosen[j])) } }
        return largest
    }

    public static func brief(for coverage: Coverage, repeated: Set<Boilerplate.RepeatKey> = []) -> StoryBrief {
        var workspace = BriefWorkspace()
        return brief(for: coverage, repeated: repeated, workspace: &workspace)
    }

    /// - Parameter workspace: kept from one story to the next of a report run.
    public static func brief(for coverage: Coverage, repeated: Set<Boilerplate.RepeatKey>, workspace: inout BriefWorkspace) -> StoryBrief {
        let outlets = Dictionary(coverage.outlets.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        func outlet(_ article: Article) -> OutletCoverage? { outlets[article.outletID ?? article.domain] }
        let pool = pool(for: coverage, repeated: repeated, workspace: &workspace, outletOf: outlet)
        let (candidates, articles, language, languageCounts) = (pool.candidates, pool.articles, pool.language, pool.languageCounts)
        let (lead, points) = choose(candidates, distinctSides: Set(candidates.compactMap(\.side)).count, outletCount: coverage.outletCount)
        // The pool found the cards' sentences of the articles it read; the others (another
        // language) are split here.
        var firstSentences = pool.firstSentences
        let pooled = Set(articles.map(\.url))
        for article in coverage.articles where !pooled.contains(article.url) {
            guard let source = outlet(article), firstSentences[article.url] == nil else { continue }
            let summaryIsTitle = readTheSame(article.summary, article.title)
            let text = summaryIsTitle || article.summary.isEmpty ? article.content : article.summary
            let sentences = SentenceSplitter.sentences(in: text).map(Boilerplate.withoutLeadingByline)
            if let (position, first) = sentences.enumerated().first(where: { isShowable($0.element) && !repeated.contains(Boilerplate.RepeatKey(outlet: source.key, sentence: Boilerplate.sentenceHash($0.element))) }) {
                let field: Quote.Field = summaryIsTitle || article.summary.isEmpty ? .content : .summary
                firstSentences[article.url] = Quote(
                    text: String(first), url: article.url, outletKey: source.key, outletName: source.name, bias: source.bias, field: field,
                    isCut: position == sentences.count - 1 && isCut(first))
            }
        }
        return StoryBrief(
            lead: lead.map { candidates[$0].quote }, points: points.map { candidates[$0].quote },
            language: language.isEmpty ? nil : language,
            languageCounts: languageCounts.count > 1 ? languageCounts : [:],
            perspectives: perspectives(pool, words: workspace.words, outletOf: { outlet($0) }),
            image: image(coverage.articles, outletOf: { outlet($0) }),
            firstSentences: firstSentences, related: [])
    }

    // MARK: - Choosing

    /// TF-IDF vectors over the given sentences, and each sentence's facts and words, from one
    /// tokenising of each. Terms are numbered (in the workspace), so that a cosine is a merge of
    /// two sorted arrays rather than a dictionary lookup per term.
    static func vectorize(_ candidates: inout [Candidate], language: String, workspace: inout BriefWorkspace) {
        var raw: [[(term: Int32, weight: Double)]] = []
        raw.reserveCapacity(candidates.count)
        var counted: [Int32] = []
        for index in candidates.indices {
            let tokens = Tokenizer.tokens(in: candidates[index].quote.text)
            var pairs = workspace.terms.numberedTerms(of: tokens, language: language)
            if workspace.documentFrequency.count < workspace.terms.termNumberCount {
                workspace.documentFrequency.append(contentsOf: repeatElement(0, count: workspace.terms.termNumberCount - workspace.documentFrequency.count))
            }
            pairs.sort { $0.term < $1.term }
            var vector: [(term: Int32, weight: Double)] = []
            vector.reserveCapacity(pairs.count)
            for pair in pairs {
                if let last = vector.last, last.term == pair.term {
                    vector[vector.count - 1].weight += pair.weight
                } else {
                    vector.append(pair)
                    if workspace.documentFrequency[Int(pair.term)] == 0 { counted.append(pair.term) }
                    workspace.documentFrequency[Int(pair.term)] += 1
                }
            }
            raw.append(vector)
            var facts = facts(in: candidates[index].quote.text, tokens: tokens).map { workspace.factNumber($0) }
            facts.sort()
            candidates[index].facts = facts.enumerated().filter { $0.offset == 0 || facts[$0.offset - 1] != $0.element }.map(\.element)
            candidates[index].words = words(of: tokens, language: language, workspace: &workspace)
        }
        let count = Double(max(1, candidates.count))
        for index in candidates.indices {
            let vector = raw[index].map { term, weight in
                (term: term, weight: weight * (log((1 + count) / (1 + Double(workspace.documentFrequency[Int(term)]))) + 1))
            }
            candidates[index].vector = vector
            candidates[index].norm = vector.reduce(0) { $0 + $1.weight * $1.weight }.squareRoot()
        }
        for term in counted { workspace.documentFrequency[Int(term)] = 0 }
    }

    static func cosine(_ a: Candidate, _ b: Candidate) -> Double {
        guard a.norm > 0, b.norm > 0 else { return 0 }
        var dot = 0.0
        var i = 0, j = 0
        let x = a.vector, y = b.vector
        while i < x.count, j < y.count {
            if x[i].term == y[j].term {
                dot += x[i].weight * y[j].weight
                i += 1
                j += 1
            } else if x[i].term < y[j].term {
                i += 1
            } else {
                j += 1
            }
        }
        return dot / (a.norm * b.norm)
    }

    /// Continuous LexRank (Erkan and Radev 2004): the stationary distribution of a random walk
    /// over sentences weighted by their cosine, damping 0.85. A sentence several outlets carry
    /// word for word is one candidate but counts once per outlet, exactly as if each copy were
    /// its own node (the copies are alike, so the walk over them lumps into this one): copies
    /// link to each other with weight 1 and every neighbour's edge counts once per copy. Then
    /// raised for the facts (numbers, names, quoted words) several outlets repeat.
    static func score(_ candidates: inout [Candidate]) {
        let n = candidates.count
        guard n > 0 else { return }
        let copies = candidates.map { Double(max(1, $0.outlets.count)) }
        let nodes = copies.reduce(0, +)
        // weight[i * n + j]: from one copy of i to all copies of j.
        var weight = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            weight[i * n + i] = copies[i] - 1
            for j in (i + 1)..<max(i + 1, n) {
                let value = cosine(candidates[i], candidates[j])
                weight[i * n + j] = value * copies[j]
                weight[j * n + i] = value * copies[i]
            }
        }
        let rowSums = (0..<n).map { i in weight[(i * n)..<(i * n + n)].reduce(0, +) }
        var rank = copies.map { $0 / nodes }
        var next = [Double](repeating: 0, count: n)
        weight.withUnsafeBufferPointer { weight in
            for _ in 0..<30 {
                for j in 0..<n { next[j] = 0.15 * copies[j] / nodes }
                for i in 0..<n where rowSums[i] > 0 {
                    let share = 0.85 * rank[i] / rowSums[i]
                    for j in 0..<n { next[j] += share * weight[i * n + j] }
                }
                // Sentences like no other keep their mass on themselves rather than leaking it.
                for i in 0..<n where rowSums[i] == 0 { next[i] += 0.85 * rank[i] }
                swap(&rank, &next)
            }
        }

        // Facts: numbers, names and quoted words, counted by the outlets that mention them.
        // As (fact, outlet) pairs, sorted and counted once each: no set of outlets per fact.
        var pairs: [UInt64] = []
        for candidate in candidates {
            for fact in candidate.facts { for outlet in candidate.outlets { pairs.append(UInt64(UInt32(fact)) << 32 | UInt64(UInt32(outlet))) } }
        }
        pairs.sort()
        var outletsOfFact: [Int32: Int] = [:]
        for (position, pair) in pairs.enumerated() where position == 0 || pairs[position - 1] != pair {
            outletsOfFact[Int32(truncatingIfNeeded: pair >> 32), default: 0] += 1
        }
        for index in candidates.indices {
            let shared = candidates[index].facts.filter { (outletsOfFact[$0] ?? 0) >= 2 }.count
            var value = rank[index] * nodes * (1 + 0.1 * Double(min(shared, 4)))
            // A whole sentence reads better than one the feed cut off.
            if candidates[index].quote.isCut { value *= 0.5 }
            candidates[index].score = value
        }
    }

    /// Numbers, capitalised words inside a sentence and acronyms, and words in quotation marks
    /// (as often as they occur).
    static func facts(in text: String, tokens: [Tokenizer.Token]) -> [String] {
        var result: [String] = []
        for (index, token) in tokens.enumerated() where token.script == .word {
            switch token.shape {
            case .number: if token.text.count >= 2 { result.append(token.text) }
            case .acronym: result.append(token.text)
            case .capitalised: if index > 0 { result.append(token.text) }
            case .lower: break
            }
        }
        // Quoted words: scanned by scalar (most sentences have no quotation mark at all).
        guard text.utf8.contains(where: { $0 == 0x22 || $0 == 0xE2 }) else { return result }
        var inQuote = false
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "“" || scalar == "”" || scalar == "\"" {
                if inQuote, !current.isEmpty { result.append("quote:" + String(current).lowercased()) }
                inQuote.toggle()
                current = String.UnicodeScalarView()
            } else if inQuote {
                current.append(scalar)
            }
        }
        return result
    }

    /// The lead (the best sentence, with the one after it when both are short) and the points,
    /// by MMR with outlet and side diversity, none more similar than `maximumSimilarity` to any
    /// sentence already chosen.
    static func choose(_ candidates: [Candidate], distinctSides: Int, outletCount: Int) -> (lead: [Int], points: [Int]) {
        guard !candidates.isEmpty else { return ([], []) }
        let best = candidates.indices.max { (candidates[$0].score, -$0) < (candidates[$1].score, -$1) }!
        var lead = [best]
        if wordCount(candidates[best].quote.text) < 12, let next = candidates[best].next, wordCount(candidates[next].quote.text) < 16,
            cosine(candidates[best], candidates[next]) <= maximumSimilarity
        {
            lead.append(next)
        }
        var chosen = lead
        var usedOutlets = Set(lead.flatMap { candidates[$0].outlets })
        var usedSides = Set(lead.compactMap { candidates[$0].side })
        let topScore = max(candidates[best].score, .leastNonzeroMagnitude)
        var points: [Int] = []
        // Each candidate's largest cosine to a chosen sentence, brought up to date as sentences are chosen.
        var redundancy = [Double](repeating: 0, count: candidates.count)
        var isChosen = [Bool](repeating: false, count: candidates.count)
        func chose(_ index: Int) {
            isChosen[index] = true
            for other in candidates.indices where !isChosen[other] { redundancy[other] = max(redundancy[other], cosine(candidates[other], candidates[index])) }
        }
        for index in chosen { chose(index) }
        while points.count < maximumPoints {
            var pick: (index: Int, value: Double)?
            for index in candidates.indices where !isChosen[index] && redundancy[index] <= maximumSimilarity {
                var value = lambda * candidates[index].score / topScore - (1 - lambda) * redundancy[index]
                if usedOutlets.isSuperset(of: candidates[index].outlets), usedOutlets.count < outletCount { value -= 0.15 }
                if let side = candidates[index].side, usedSides.contains(side), usedSides.count < distinctSides { value -= 0.1 }
                if pick == nil || value > pick!.value { pick = (index, value) }
            }
            guard let pick else { break }
            points.append(pick.index)
            chosen.append(pick.index)
            chose(pick.index)
            usedOutlets.formUnion(candidates[pick.index].outlets)
            if let side = candidates[pick.index].side { usedSides.insert(side) }
        }
        return (lead, points)
    }

    // MARK: - Perspectives

    /// Words are counted in each article's headline and in the sentences the brief reads of it
    /// (not its boilerplate), as often as the articles carry them.
    static func perspectives(_ pool: Pool, words: [String], outletOf: (Article) -> OutletCoverage?) -> [Perspective] {
        let (candidates, titles) = (pool.candidates, pool.titles)
        var wordsBySide: [Side: [Int32]] = [:]
        var allWords: [Int32] = []
        var articlesBySide: [Side: Int] = [:]
        for (index, article) in pool.articles.enumerated() {
            let side = outletOf(article)?.bias.side
            var these = pool.titleOfArticle[index].map { titles[$0].words } ?? []
            for candidate in pool.sentencesOfArticle[index] { these += candidates[candidate].words }
            allWords += these
            if let side {
                wordsBySide[side, default: []] += these
                articlesBySide[side, default: 0] += 1
            }
        }
        let allCounts = FightinWords.counts(allWords)
        // Headlines are ranked by their cosine to all headlines of the story.
        var centroid = Candidate(quote: titles.first?.quote ?? Quote(text: "", url: "", outletKey: "", outletName: "", bias: .unrated, field: .title, isCut: false), article: 0, outlets: [])
        var sum: [Int32: Double] = [:]
        for title in titles { for (term, weight) in title.vector { sum[term, default: 0] += weight } }
        centroid.vector = sum.map { (term: $0.key, weight: $0.value) }.sorted { $0.term < $1.term }
        centroid.norm = centroid.vector.reduce(0) { $0 + $1.weight * $1.weight }.squareRoot()

        var result: [Perspective] = []
        for side in Side.allCases {
            guard let count = articlesBySide[side], count > 0 else { continue }
            // By index: a candidate is a quote and vectors, too much to copy for a comparison.
            let headline = titles.indices.filter { titles[$0].side == side }.map { (index: $0, similarity: cosine(titles[$0], centroid)) }
                .max { ($0.similarity, titles[$1.index].quote.url) < ($1.similarity, titles[$0.index].quote.url) }.map { titles[$0.index] }
            let sentence = candidates.indices.filter { candidates[$0].side == side && candidates[$0].quote.field != .title }
                .max { (candidates[$0].score, candidates[$1].quote.text) < (candidates[$1].score, candidates[$0].quote.text) }.map { candidates[$0] }
            let group = FightinWords.counts(wordsBySide[side] ?? [])
            let rest = FightinWords.subtracting(group, from: allCounts)
            let groupSize = group.reduce(0) { $0 + $1.count }, restSize = rest.reduce(0) { $0 + $1.count }
            let tooLittle = count < 2 || groupSize < minimumSideWords || restSize < minimumSideWords
            var distinctive: [DistinctiveWord] = []
            if !tooLittle {
                distinctive = FightinWords.zScores(group: group, rest: rest)
                    .filter { $0.z >= FightinWords.threshold }
                    .map { DistinctiveWord(word: words[Int($0.word)], z: $0.z) }
                    .sorted { ($0.z, $1.word) > ($1.z, $0.word) }
                    .prefix(8).map { $0 }
            }
            result.append(Perspective(side: side, headline: headline?.quote, sentence: sentence?.quote, words: distinctive, tooLittleText: tooLittle))
        }
        return result
    }

    /// Folded words without stopwords, numbers or one- and two-letter words; Korean words without
    /// their particle; Chinese and Japanese runs as character bigrams. Each by its number in the
    /// workspace, judged once per run and language.
    static func words(of tokens: [Tokenizer.Token], language: String, workspace: inout BriefWorkspace) -> [Int32] {
        var result: [Int32] = []
        var table = workspace.wordNumbers.removeValue(forKey: language) ?? [:]
        defer { workspace.wordNumbers[language] = table }
        func number(_ word: String) -> Int32 {
            if let known = table[word] { return known }
            let made = workspace.wordNumber(word)
            table[word] = made
            return made
        }
        let stopwords = TermExtractor.stopwordSets(for: language)
        for token in tokens {
            switch token.script {
            case .word:
                if let known = table[token.text] {
                    if known >= 0 { result.append(known) }
                    continue
                }
                // More than two characters (an ASCII word's are its bytes, counted without grapheme breaking).
                let bytes = token.text.utf8
                let counted = token.shape != .number && bytes.count > 2 && (Tokenizer.isASCII(token.text) || token.text.count > 2)
                    && !stopwords.contains { $0.contains(token.text) }
                let made = counted ? workspace.wordNumber(token.text) : -1
                table[token.text] = made
                if made >= 0 { result.append(made) }
            case .hangul:
                let word = TermExtractor.koreanStem(token.text)
                if word.count > 1 { result.append(number(word)) }
            case .cjk:
                let characters = Array(token.text)
                guard characters.count > 1 else { continue }
                for start in 0..<(characters.count - 1) { result.append(number(String(characters[start...start + 1]))) }
            }
        }
        return result
    }

    // MARK: - Picture

    /// The image most outlets carry (ties: the earliest article's), credited to the outlet of the
    /// earliest article carrying it. Only http(s) images.
    static func image(_ articles: [Article], outletOf: (Article) -> OutletCoverage?) -> StoryImage? {
        var carriers: [String: Set<String>] = [:]
        var first: [String: (article: Article, outlet: OutletCoverage, order: Int)] = [:]
        for (order, article) in articles.enumerated() {
            guard let url = article.imageURL, let outlet = outletOf(article) else { continue }
            let lower = url.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { continue }
            carriers[url, default: []].insert(outlet.key)
            if first[url] == nil { first[url] = (article, outlet, order) }
        }
        guard let url = carriers.keys.max(by: { (carriers[$0]!.count, -first[$0]!.order) < (carriers[$1]!.count, -first[$1]!.order) }) else { return nil }
        let origin = first[url]!
        return StoryImage(url: url, articleURL: origin.article.url, outletKey: origin.outlet.key, outletName: origin.outlet.name, outletCount: carriers[url]!.count)
    }

    // MARK: - Sentences

    /// A sentence a reader can be shown: not furniture, long enough to say something, not a wall.
    static func isShowable(_ sentence: Substring) -> Bool {
        let utf8 = sentence.utf8
        if Tokenizer.isASCII(sentence) {
            // ASCII: characters are bytes, and no CJK.
            guard utf8.count <= 400, !Boilerplate.isBoilerplate(sentence) else { return false }
            // Six words or more, counted without splitting.
            var words = 0, previousWasSpace = true
            for byte in utf8 {
                let isSpace = byte == 0x20
                if !isSpace, previousWasSpace { words += 1 }
                previousWasSpace = isSpace
            }
            return words >= 6
        }
        guard sentence.count <= 400, !Boilerplate.isBoilerplate(sentence) else { return false }
        let hasCJK = sentence.unicodeScalars.contains { SentenceSplitter.isCJK($0) || SentenceSplitter.isHangul($0) }
        return hasCJK ? sentence.count >= 10 : wordCount(String(sentence)) >= 6
    }

    /// "…", "...", "[…]" or "[...]" at the end of a description: the feed cut the text there.
    static func isCut(_ sentence: Substring) -> Bool {
        var end = sentence.utf8.endIndex
        // Trailing spaces and tabs (the splitter trims its sentences; a title may not be).
        while end > sentence.utf8.startIndex, case let byte = sentence.utf8[sentence.utf8.index(before: end)], byte == 0x20 || byte == 0x09 {
            end = sentence.utf8.index(before: end)
        }
        let trimmed = sentence.utf8[..<end]
        func endsWith(_ suffix: [UInt8]) -> Bool { trimmed.count >= suffix.count && trimmed.suffix(suffix.count).elementsEqual(suffix) }
        // "…" is E2 80 A6 in UTF-8.
        return endsWith([0xE2, 0x80, 0xA6]) || endsWith([0x2E, 0x2E, 0x2E]) || endsWith([0x5B, 0xE2, 0x80, 0xA6, 0x5D]) || endsWith([0x5B, 0x2E, 0x2E, 0x2E, 0x5D])
    }

    static func endsCleanly(_ sentence: Substring) -> Bool {
        guard let last = sentence.unicodeScalars.last else { return false }
        return SentenceSplitter.isLatinEnd(last) || SentenceSplitter.isCJKEnd(last) || SentenceSplitter.isCloser(last)
    }

    static func wordCount(_ text: String) -> Int { text.split { $0 == " " }.count }

    /// Whitespace folded, case kept: two quotes are the same sentence when they read the same.
    public static func normalized<S: StringProtocol>(_ text: S) -> String {
        // Most feed text is ASCII with single spaces already: then it is its own normal form
        // (splitting and joining every sentence was a tenth of choosing a brief).
        if isNormal(text) { return String(text) }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `normalized`, without a copy of a text that is its own normal form.
    static func normalizedKey(_ text: Substring) -> Substring {
        isNormal(text) ? text : Substring(normalized(text))
    }

    /// Whether two texts are one when whitespace is folded (`normalized(a) == normalized(b)`),
    /// compared in place for ASCII text: every article's description is compared with its headline.
    static func readTheSame(_ a: String, _ b: String) -> Bool {
        guard Tokenizer.isASCII(a), Tokenizer.isASCII(b) else { return normalized(a) == normalized(b) }
        // ASCII whitespace is what `Character.isWhitespace` calls whitespace in ASCII.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        var x = a.utf8.makeIterator(), y = b.utf8.makeIterator()
        // Compares the two byte streams with every run of whitespace read as one space, none at the ends.
        func next(_ iterator: inout String.UTF8View.Iterator, _ pendingSpace: inout Bool, _ started: inout Bool) -> UInt8? {
            while let byte = iterator.next() {
                if isSpace(byte) {
                    if started { pendingSpace = true }
                    continue
                }
                started = true
                if pendingSpace {
                    pendingSpace = false
                    // A space, then this byte: the caller reads the space first.
                    return byte | 0x80
                }
                return byte
            }
            return nil
        }
        var (spaceX, spaceY, startedX, startedY) = (false, false, false, false)
        while true {
            let p = next(&x, &spaceX, &startedX), q = next(&y, &spaceY, &startedY)
            guard p == q else { return false }
            if p == nil { return true }
        }
    }

    private static func isNormal<S: StringProtocol>(_ text: S) -> Bool {
        func isNormal<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
            var previousWasSpace = true
            for byte in bytes {
                if byte >= 0x80 || (byte < 0x20 || byte == 0x7F) || (byte == 0x20 && previousWasSpace) { return false }
                previousWasSpace = byte == 0x20
            }
            return !previousWasSpace
        }
        return text.utf8.withContiguousStorageIfAvailable { isNormal($0) } ?? isNormal(text.utf8)
    }

    static func baseLanguage(_ language: String?) -> String {
        guard let language else { return "" }
        // Most tags are a base already ("en"): asked per article, it is answered without a copy.
        if language.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) { return language }
        guard let base = language.lowercased().split(separator: "-").first else { return "" }
        return String(base)
    }
}
