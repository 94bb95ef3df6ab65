/// Turns a headline or summary into weighted terms: stopwords of the language removed, words
/// stemmed with Snowball where the language has a stemmer (English for Latin script when the
/// language is unknown, Russian for Cyrillic), names (capitalised words inside a sentence,
/// acronyms) and numbers weighted on their own, runs of capitalised words kept as one more term
/// ("hong_kong"), Korean particles stripped with syllable bigrams added, Han and Kana as
/// overlapping character bigrams.
public struct TermExtractor: Sendable {
    public struct Weights: Sendable, Codable, Equatable {
        public var name: Double
        public var number: Double

        public init(name: Double = 1.5, number: Double = 1) {
            self.name = name
            self.number = number
        }
    }

    public let weights: Weights
    /// language → word → what it stems to: each distinct word is stemmed once.
    private var stems: [String: [String: Stemmed]] = [:]
    private var stemmers: [String: Stemmer?] = [:]
    /// The numbers `numberedTerms` gives terms, in the order they were first made.
    private var termNumbers: [String: Int32] = [:]

    /// A word's stem ("" for a stopword) and, once a caller asked for numbers, the stem's term number.
    private struct Stemmed {
        var stem: String
        var number: Int32 = Stemmed.unnumbered
        static let unnumbered = Int32.min
    }

    /// What a word contributes: nothing (a stopword, or a term of one character), or a term.
    private enum WordTerm<Term> {
        case stopword
        case none
        case term(Term)
    }

    public init(weights: Weights = Weights()) {
        self.weights = weights
    }

    /// Terms with their weights, in text order; a term may repeat.
    public mutating func terms(in text: String, language: String?) -> [(term: String, weight: Double)] {
        terms(of: Tokenizer.tokens(in: text), language: language)
    }

    /// The same from tokens a caller already has (the brief reads names and numbers from them too).
    public mutating func terms(of tokens: [Tokenizer.Token], language: String?) -> [(term: String, weight: Double)] {
        extract(
            tokens, language: language,
            word: { extractor, word, key in
                let stem = extractor.stemmed(word, key: key).stem
                return stem.isEmpty ? .stopword : stem.count > 1 ? .term(stem) : .none
            },
            literal: { _, text in text })
    }

    /// The same terms as `terms(of:language:)`, each as a number this extractor gives it (the same
    /// term always gets the same number): a word is looked up once, and no term string is made
    /// for a word seen before. For callers that compare many vectors by term.
    public mutating func numberedTerms(of tokens: [Tokenizer.Token], language: String?) -> [(term: Int32, weight: Double)] {
        extract(
            tokens, language: language,
            word: { extractor, word, key in
                let stemmed = extractor.stemmed(word, key: key)
                if stemmed.number != Stemmed.unnumbered { return stemmed.number < 0 ? (stemmed.stem.isEmpty ? .stopword : .none) : .term(stemmed.number) }
                // First sight of the word with numbers: a stopword or one-character stem is marked -1.
                let number: Int32 = stemmed.stem.isEmpty || stemmed.stem.count <= 1 ? -1 : extractor.termNumber(stemmed.stem)
                extractor.stems[key]![word]!.number = number
                return number < 0 ? (stemmed.stem.isEmpty ? .stopword : .none) : .term(number)
            },
            literal: { extractor, text in extractor.termNumber(text) })
    }

    /// The number of a term (as `terms` spells it) in `numberedTerms`, made on first sight.
    public mutating func termNumber(_ term: String) -> Int32 {
        if let known = termNumbers[term] { return known }
        let number = Int32(termNumbers.count)
        termNumbers[term] = number
        return number
    }

    /// How many term numbers exist: every number `numberedTerms` gave is below it.
    public var termNumberCount: Int { termNumbers.count }

    /// Both spellings of terms share one walk over the tokens: `word` gives a folded word's stem
    /// term, `literal` any other text as a term (numbers, names, acronyms that spell a stopword,
    /// Korean words, CJK bigrams).
    private mutating func extract<Term>(
        _ tokens: [Tokenizer.Token], language: String?, word: (inout Self, String, String) -> WordTerm<Term>, literal: (inout Self, String) -> Term
    ) -> [(term: Term, weight: Double)] {
        let language = Self.baseLanguage(language)
        // In Title Case or ALL CAPS headlines, capitals say nothing about names.
        // Words after the first of four letters or more decide: short words are often lower
        // case even in Title Case, and the first word is capitalised anyway.
        var wordCount = 0, capitalCount = 0, acronymCount = 0
        for token in tokens.dropFirst() where token.script == .word && token.shape != .number && token.text.utf8.count > 3 {
            wordCount += 1
            if token.shape == .capitalised { capitalCount += 1 }
            if token.shape == .acronym { acronymCount += 1 }
        }
        let shouting = wordCount > 0 && Double(acronymCount) >= 0.6 * Double(wordCount)
        let titleCase = wordCount > 0 && Double(capitalCount + acronymCount) >= 0.7 * Double(wordCount)

        let (nameWeight, numberWeight) = (weights.name, weights.number)
        var result: [(term: Term, weight: Double)] = []
        result.reserveCapacity(tokens.count)
        var span: [String] = []
        func closeSpan(_ extractor: inout Self) {
            if span.count >= 2 { result.append((literal(&extractor, span.joined(separator: "_")), nameWeight)) }
            span.removeAll()
        }
        for (index, token) in tokens.enumerated() {
            switch token.script {
            case .word:
                if token.shape == .number {
                    closeSpan(&self)
                    result.append((literal(&self, token.text), numberWeight))
                    continue
                }
                let isName = !shouting && (token.shape == .acronym || (token.shape == .capitalised && !titleCase && index > 0))
                let startsName = !shouting && !titleCase && index == 0 && token.shape == .capitalised
                    && tokens.count > 1 && tokens[1].shape == .capitalised
                let key = Self.isCyrillic(token.text) ? "ru" : language
                let made = word(&self, token.text, key)
                if isName || startsName {
                    span.append(token.text)
                } else {
                    closeSpan(&self)
                }
                switch made {
                case .term(let term):
                    result.append((term, isName ? nameWeight : 1))
                case .stopword:
                    // An acronym that spells a stopword ("US", "IT") is still a name.
                    if token.shape == .acronym, token.text.count > 1 { result.append((literal(&self, token.text), isName ? nameWeight : 1)) }
                case .none:
                    break
                }
            case .hangul:
                closeSpan(&self)
                let word = Self.stripKoreanParticle(token.text)
                if word.count > 1 { result.append((literal(&self, word), 1)) }
                for bigram in Self.bigrams(of: word) { result.append((literal(&self, bigram), 1)) }
            case .cjk:
                closeSpan(&self)
                if token.text.count == 1 {
                    result.append((literal(&self, token.text), 1))
                } else {
                    for bigram in Self.bigrams(of: token.text) { result.append((literal(&self, bigram), 1)) }
                }
            }
        }
        closeSpan(&self)
        return result
    }

    /// The stem ("" for a stopword), found once per word and language key.
    private mutating func stemmed(_ word: String, key: String) -> Stemmed {
        if let known = stems[key]?[word] { return known }
        let stem: String
        if Self.stopwords[key]?.contains(word) == true || (key != "en" && Self.stopwords["en"]!.contains(word) && word.allSatisfy(\.isASCII)) {
            stem = ""
        } else if let stemmer = stemmer(for: key) {
            stem = stemmer.stem(word)
        } else {
            stem = word
        }
        let made = Stemmed(stem: stem)
        stems[key, default: [:]][word] = made
        return made
    }

    private mutating func stemmer(for language: String) -> Stemmer? {
        if let known = stemmers[language] { return known }
        let made = Stemmer.forLanguage(language)
        stemmers[language] = made
        return made
    }

    /// The stopword lists of a language (its own and English): a folded word in one of them says
    /// nothing about a story in that language (the clusterer drops it too).
    public static func stopwordSets(for language: String?) -> [Set<String>] {
        let key = baseLanguage(language)
        return key == "en" ? [stopwords["en"]!] : [stopwords[key], stopwords["en"]].compactMap { $0 }
    }

    /// A Korean word without its trailing particle ("서울에서" → "서울").
    public static func koreanStem(_ word: String) -> String { stripKoreanParticle(word) }

    /// "en" for nil, "pt-BR" → "pt".
    static func baseLanguage(_ language: String?) -> String {
        guard let language, !language.isEmpty else { return "en" }
        // Most tags are a base already ("en"): asked per sentence, it is answered without a copy.
        if language.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) { return language }
        guard let base = language.lowercased().split(separator: "-").first, !base.isEmpty else { return "en" }
        return String(base)
    }

    private static func isCyrillic(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first else { return false }
        return (0x0400...0x04FF).contains(first.value)
    }

    static func bigrams(of token: String) -> [String] {
        let characters = Array(token)
        guard characters.count > 1 else { return [] }
        return (0..<characters.count - 1).map { String(characters[$0...$0 + 1]) }
    }

    private static let koreanParticles = [
        "에서는", "으로는", "에게서", "까지", "부터", "에서", "으로", "에게", "보다", "처럼", "은", "는", "이", "가", "을", "를",
        "의", "에", "로", "와", "과", "도", "만",
    ]

    /// The particles as scalars: a precomposed syllable is one scalar and one character.
    private static let koreanParticleScalars = koreanParticles.map { Array($0.unicodeScalars) }

    static func stripKoreanParticle(_ word: String) -> String {
        let scalars = word.unicodeScalars
        // Words of precomposed syllables (what the tokenizer's NFKC makes of nearly all Korean) are
        // compared by scalar: String's suffix test by character was a tenth of a Korean brief.
        guard scalars.allSatisfy({ (0xAC00...0xD7A3).contains($0.value) }) else {
            for particle in koreanParticles where word.hasSuffix(particle) && word.count - particle.count >= 2 {
                return String(word.dropLast(particle.count))
            }
            return word
        }
        let count = scalars.count
        for particle in koreanParticleScalars where count - particle.count >= 2 && scalars.suffix(particle.count).elementsEqual(particle) {
            return String(String.UnicodeScalarView(scalars.dropLast(particle.count)))
        }
        return word
    }

    static let stopwords: [String: Set<String>] = [
        "en": [
            "a", "about", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
            "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does",
            "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
            "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just",
            "may", "me", "might", "more", "most", "much", "must", "my", "new", "no", "nor", "not", "now", "of", "off",
            "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over", "own", "said", "same", "says",
            "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there",
            "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we",
            "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you",
            "your", "yours", "s", "t", "amid", "say", "told", "tells", "report", "reports", "news", "today", "week",
            "day", "year", "two", "three", "first", "last", "still", "yet", "get", "gets", "got", "make", "makes",
            "made", "like", "video", "photos", "update", "updated", "live", "watch", "via",
        ],
        "de": [
            "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen", "und", "oder",
            "aber", "ist", "sind", "war", "wird", "werden", "hat", "haben", "mit", "von", "zu", "zum", "zur", "im", "in",
            "auf", "an", "am", "für", "nach", "bei", "aus", "als", "auch", "nicht", "sich", "es", "er", "sie", "wir",
            "ich", "noch", "wie", "so", "über", "vor", "um", "dass", "neue", "neuen",
        ],
        "fr": [
            "le", "la", "les", "un", "une", "des", "du", "de", "d", "l", "et", "ou", "mais", "est", "sont", "a", "ont",
            "au", "aux", "en", "dans", "sur", "pour", "par", "avec", "sans", "que", "qui", "ce", "cette", "ces", "il",
            "elle", "ils", "elles", "se", "sa", "son", "ses", "ne", "pas", "plus", "nouveau", "nouvelle",
        ],
        "es": [
            "el", "la", "los", "las", "un", "una", "unos", "unas", "y", "o", "pero", "es", "son", "fue", "ha", "han",
            "de", "del", "al", "a", "en", "con", "por", "para", "sin", "sobre", "que", "se", "su", "sus", "lo", "le",
            "les", "no", "más", "como", "este", "esta", "nuevo", "nueva",
        ],
        "ru": [
            "и", "в", "во", "не", "что", "он", "на", "я", "с", "со", "как", "а", "то", "все", "она", "так", "его", "но",
            "по", "к", "у", "из", "за", "от", "о", "об", "для", "это", "при", "до",
        ],
    ]
}
