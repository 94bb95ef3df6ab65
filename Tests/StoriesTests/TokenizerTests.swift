import Foundation
import Testing
@testable import Stories

@Suite("Tokenizer")
struct TokenizerTests {
    @Test func tokensRememberHowTheyWereWritten() {
        let tokens = Tokenizer.tokens(in: "NASA picks Boeing for 3.2 billion deal")
        #expect(tokens.map(\.text) == ["nasa", "picks", "boeing", "for", "3.2", "billion", "deal"])
        #expect(tokens.map(\.shape) == [.acronym, .lower, .capitalised, .lower, .number, .lower, .lower])
        #expect(tokens.allSatisfy { $0.script == .word })
    }

    @Test func theASCIIFastPathAgreesWithTheUnicodePath() {
        // The trailing "é" sends the second text through Foundation's normalisation.
        let text = "Fed's Yellen: U.S. rates 0.25%, 14,000 jobs; G7 meets in ROME"
        let fast = Tokenizer.tokens(in: text)
        let slow = Tokenizer.tokens(in: text + " é").dropLast()
        #expect(Array(slow) == fast)
        #expect(fast.map(\.text) == ["fed", "s", "yellen", "u", "s", "rates", "0.25", "14000", "jobs", "g7", "meets", "in", "rome"])
    }

    @Test func typographicPunctuationSeparatesWordsOnBothPaths() {
        let text = "Obama\u{2019}s \u{201C}pivot\u{201D} \u{2013} Asia\u{2026}"
        #expect(Tokenizer.words(in: text) == ["obama", "s", "pivot", "asia"])
        #expect(Tokenizer.words(in: text + " é").dropLast() == ["obama", "s", "pivot", "asia"])
    }

    @Test func caseAndDiacriticsAreFolded() {
        #expect(Tokenizer.words(in: "Café ZÜRICH Résumé São Paulo") == ["cafe", "zurich", "resume", "sao", "paulo"])
        #expect(Tokenizer.tokens(in: "ZÜRICH").first?.shape == .acronym)
    }

    @Test func numbersKeepTheirDecimalPointAndLoseThousandsSeparators() {
        #expect(Tokenizer.words(in: "Magnitude 3.2 quake; 14,000 evacuated, 1,250,000 affected") == [
            "magnitude", "3.2", "quake", "14000", "evacuated", "1250000", "affected",
        ])
        #expect(Tokenizer.words(in: "ends. 5, then") == ["ends", "5", "then"])
    }

    @Test func scriptsSplitAtTheBoundary() {
        let tokens = Tokenizer.tokens(in: "ESA의 Meridian-7 위성 中国经济 東京タワー")
        #expect(tokens.map(\.text) == ["esa", "의", "meridian", "7", "위성", "中国经济", "東京タワー"])
        #expect(tokens.map(\.script) == [.word, .hangul, .word, .word, .hangul, .cjk, .cjk])
    }

    @Test func hashedWordsAreTheTokensTexts() {
        // Fingerprints and SimHash read `wordBytes`, the clusterer reads `tokens`: one text, one split.
        for text in ["Fed's Yellen: U.S. rates 0.25, 14,000 jobs", "Obama\u{2019}s \u{201C}pivot\u{201D}", "Café ZÜRICH 3,5 Mio", "ESA의 위성 東京タワー", "", " ,.1,2. "] {
            #expect(Tokenizer.wordBytes(in: text).map { String(decoding: $0, as: UTF8.self) } == Tokenizer.tokens(in: text).map(\.text), "\(text)")
        }
    }

    @Test func tokenBytesAreTheTokensWhereTheByteScannerReads() {
        for text in ["Fed's Yellen: U.S. rates 0.25, 14,000 jobs", "Obama\u{2019}s \u{201C}pivot\u{201D} NASA McDonald", "", " ,.1,2. "] {
            let bytes = Tokenizer.asciiTokenBytes(in: text)
            #expect(bytes?.map { String(decoding: $0.bytes, as: UTF8.self) } == Tokenizer.tokens(in: text).map(\.text), "\(text)")
            #expect(bytes?.map(\.shape) == Tokenizer.tokens(in: text).map(\.shape), "\(text)")
        }
        #expect(Tokenizer.asciiTokenBytes(in: "Café ZÜRICH") == nil)
        #expect(Tokenizer.asciiTokenBytes(in: "ESA의 위성") == nil)
    }

    @Test func compatibilityFormsAreNormalised() {
        #expect(Tokenizer.words(in: "ＮＡＳＡ ２０２６") == ["nasa", "2026"])
    }

    @Test func emptyAndPunctuationOnlyTextsHaveNoTokens() {
        #expect(Tokenizer.tokens(in: "").isEmpty)
        #expect(Tokenizer.tokens(in: "!!! ... --- “”").isEmpty)
    }
}

@Suite("Stemmer (libstemmer)")
struct StemmerTests {
    @Test func englishAndRussianStemsFoldInflections() throws {
        let english = try #require(Stemmer.forLanguage("en"))
        #expect(english.stem("running") == english.stem("runs"))
        #expect(english.stem("cities") == english.stem("city"))
        #expect(english.stem("bridges") == english.stem("bridge"))
        let russian = try #require(Stemmer.forLanguage("ru-RU"))
        #expect(russian.stem("выборы") == russian.stem("выборов"))
    }

    @Test func languagesWithoutASnowballStemmerHaveNone() {
        #expect(Stemmer.forLanguage("ko") == nil)
        #expect(Stemmer.forLanguage("zh") == nil)
        #expect(Stemmer(algorithm: "klingon") == nil)
    }
}

@Suite("TermExtractor")
struct TermExtractorTests {
    func terms(_ text: String, language: String? = "en") -> [String] {
        var extractor = TermExtractor()
        return extractor.terms(in: text, language: language).map(\.term)
    }

    @Test func stopwordsGoAndInflectionsMeet() {
        #expect(terms("The bridges and the cities") == terms("bridge city"))
        #expect(terms("the of and to").isEmpty)
    }

    @Test func namesInASentenceAreWeightedAndRunsKeptWhole() {
        var extractor = TermExtractor(weights: .init(name: 1.5, number: 1))
        let weighted = extractor.terms(in: "Protesters in Hong Kong defy police", language: "en")
        #expect(weighted.contains { $0.term == "hong_kong" && $0.weight == 1.5 })
        #expect(weighted.contains { $0.term == "hong" && $0.weight == 1.5 })
        #expect(weighted.contains { $0.term == "protest" && $0.weight == 1 })
    }

    @Test func titleCaseSaysNothingButAcronymsStillCount() {
        var extractor = TermExtractor(weights: .init(name: 1.5, number: 2))
        let weighted = extractor.terms(in: "Apple Unveils Bigger iPhone As US Sales Slow In 2014", language: "en")
        #expect(!weighted.contains { $0.term.contains("_") })
        #expect(weighted.first { $0.term == "appl" }?.weight == 1)
        // "US" spells a stopword but is a name.
        #expect(weighted.first { $0.term == "us" }?.weight == 1.5)
        #expect(weighted.first { $0.term == "2014" }?.weight == 2)
    }

    @Test func stopwordsFollowTheLanguage() {
        #expect(terms("Die Wahl in Berlin", language: "de") == ["wahl", "berlin"])
        #expect(terms("Выборы в Москве", language: nil).count == 2)
    }

    @Test func koreanParticlesAreStrippedAndSyllableBigramsAdded() {
        // 대통령이 → 대통령 (+ 대통, 통령); 서울에서 → 서울 (+ 서울).
        #expect(terms("대통령이 서울에서", language: "ko") == ["대통령", "대통", "통령", "서울", "서울"])
        #expect(terms("나는", language: "ko") == ["나는", "나는"])
    }

    @Test func hanAndKanaBecomeOverlappingBigrams() {
        #expect(terms("中国经济", language: "zh") == ["中国", "国经", "经济"])
        #expect(terms("東京タワー", language: "ja") == ["東京", "京タ", "タワ", "ワー"])
        #expect(terms("中", language: "zh") == ["中"])
    }

    /// Numbered terms are the string terms, numbered: on every kind of token (names, runs of
    /// names, acronyms spelling stopwords, numbers, one-letter stems, Cyrillic, Hangul, Han), on
    /// words seen for the first time and again, in either order of the two calls.
    @Test func numberedTermsAreTheStringTermsNumbered() {
        let texts = [
            "Protesters in Hong Kong defy police as US and UK talks stall", "Apple Unveils Bigger iPhone As US Sales Slow In 2014",
            "The IT chief of A.B.C. Holdings quit on Nov. 4 after 3.2 million records leaked", "Выборы в Москве и в Санкт-Петербурге",
            "대통령이 서울에서 OPCON 전환을 논의했다", "中国经济 grows 6.5% in Q3, says Li Keqiang", "a b c d e f u s x", "NASA AND ESA SAY THE MOON IS FAR",
            "Protesters in Hong Kong defy police as US and UK talks stall again", "Die Wahl in Berlin und die Wahl in Bonn",
        ]
        for (language, reversed) in [("en", false), ("de", true), ("ko", false)] {
            var strings = TermExtractor(), numbered = TermExtractor()
            var spelled: [Int32: String] = [:]
            for text in reversed ? texts.reversed() : texts {
                let tokens = Tokenizer.tokens(in: text)
                // The same extractor's string terms first, on half of the texts: numbering must not depend on it.
                if text.count % 2 == 0 { _ = numbered.terms(of: tokens, language: language) }
                let expected = strings.terms(of: tokens, language: language)
                let got = numbered.numberedTerms(of: tokens, language: language)
                #expect(got.map(\.weight) == expected.map(\.weight), "\(text)")
                #expect(got.count == expected.count, "\(text)")
                for (number, term) in zip(got.map(\.term), expected.map(\.term)) {
                    if let known = spelled[number] { #expect(known == term, "\(text): \(number) is both \(known) and \(term)") }
                    spelled[number] = term
                    #expect(numbered.termNumber(term) == number)
                }
            }
            #expect(Set(spelled.values).count == spelled.count)
        }
    }
}

@Suite("SimHash")
struct SimHashTests {
    let wire = "Officials in the coastal city said the storm surge flooded hundreds of homes overnight and closed the main highway"

    @Test func aCopyWithASmallEditIsNearAndOtherNewsIsFar() throws {
        let original = try #require(SimHash.hash(title: "Storm floods coastal city", summary: wire))
        let copy = try #require(SimHash.hash(title: "Storm floods coastal city", summary: wire.replacingOccurrences(of: "overnight", with: "on Sunday")))
        let other = try #require(SimHash.hash(title: "Central bank holds rates", summary: "The bank kept its main rate unchanged and said inflation would ease next year as energy prices fall"))
        #expect(SimHash.distance(original, original) == 0)
        #expect(SimHash.distance(original, copy) <= ClusteringSettings().duplicateBits)
        #expect(SimHash.distance(original, other) > 16)
    }

    @Test func shortTextsAreNotHashed() {
        #expect(SimHash.hash(title: "Storm floods city", summary: "") == nil)
    }
}

@Suite("Article fingerprint")
struct FingerprintTests {
    @Test func caseAndPunctuationDoNotMatter() {
        let a = Article.fingerprint(title: "Bridge Reopens After Repairs!", summary: "Traffic flows — again.")
        let b = Article.fingerprint(title: "bridge reopens after repairs", summary: "TRAFFIC FLOWS AGAIN")
        #expect(a == b)
        #expect(a.count == 16)
        #expect(a.allSatisfy { $0.isHexDigit })
    }

    @Test func differentTextGivesDifferentFingerprints() {
        let base = Article.fingerprint(title: "Bridge reopens after repairs", summary: "Traffic flows again")
        #expect(base != Article.fingerprint(title: "Bridge closes after repairs", summary: "Traffic flows again"))
        #expect(base != Article.fingerprint(title: "Bridge reopens after repairs", summary: "Traffic stops"))
        #expect(base != Article.fingerprint(title: "Repairs after reopens bridge", summary: "Traffic flows again"))
        #expect(Article.fingerprint(title: "ab c", summary: "") != Article.fingerprint(title: "a bc", summary: ""))
    }

    @Test func articleInitSetsTheFingerprint() {
        let article = Article(
            canonicalURL: "https://a.example/1", url: "https://a.example/1", outletID: nil, domain: "a.example",
            title: "Wire copy", summary: "Same text", language: "en", publishedAt: nil, firstSeenAt: Date(timeIntervalSince1970: 0),
            feedURL: "file:///f.xml")
        #expect(article.fingerprint == Article.fingerprint(title: "WIRE COPY", summary: "same text."))
        #expect(article.groupKey == nil)
    }
}
