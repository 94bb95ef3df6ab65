import Foundation
import Testing
@testable import Stories

@Suite("Tokenizer")
struct TokenizerTests {
    @Test func stopwordsAreRemovedAndPluralsFolded() {
        #expect(Tokenizer.terms(in: "The bridges and the cities of the boxes") == ["bridge", "city", "box"])
    }

    @Test(arguments: [
        ("bridges", "bridge"), ("cities", "city"), ("churches", "church"), ("boxes", "box"), ("classes", "class"),
        ("wishes", "wish"), ("glass", "glass"), ("status", "status"), ("analysis", "analysis"), ("bus", "bus"),
        ("votes", "vote"), ("g7s", "g7s"),
    ])
    func lightStem(_ word: String, _ stem: String) {
        #expect(Tokenizer.lightStem(word) == stem)
    }

    @Test func caseAndDiacriticsAreFolded() {
        #expect(Tokenizer.terms(in: "Café ZÜRICH Résumé São Paulo") == ["cafe", "zurich", "resume", "sao", "paulo"])
    }

    @Test func numbersKeepTheirDecimalPointAndLoseThousandsSeparators() {
        #expect(Tokenizer.terms(in: "Magnitude 3.2 quake; 14,000 evacuated, 1,250,000 affected") == [
            "magnitude", "3.2", "quake", "14000", "evacuated", "1250000", "affected",
        ])
        // Punctuation that is not between digits still splits.
        #expect(Tokenizer.terms(in: "ends. 5, then") == ["end", "5"])
    }

    @Test func singleLettersAreDroppedButSingleDigitsKept() {
        #expect(Tokenizer.terms(in: "Plan B for 5 x") == ["plan", "5"])
    }

    @Test func koreanParticlesAreStrippedAndSyllableBigramsAdded() {
        // 대통령이 → 대통령 (+ 대통, 통령); 서울에서 → 서울 (+ 서울).
        #expect(Tokenizer.terms(in: "대통령이 서울에서") == ["대통령", "대통", "통령", "서울", "서울"])
        // A particle is not stripped when too little of the word would be left.
        #expect(Tokenizer.terms(in: "나는") == ["나는", "나는"])
    }

    @Test func hanAndKanaBecomeOverlappingBigrams() {
        #expect(Tokenizer.terms(in: "中国经济") == ["中国", "国经", "经济"])
        #expect(Tokenizer.terms(in: "東京タワー") == ["東京", "京タ", "タワ", "ワー"])
        #expect(Tokenizer.terms(in: "中") == ["中"])
    }

    @Test func mixedScriptsSplitAtTheBoundary() {
        #expect(Tokenizer.terms(in: "ESA의 Meridian-7 위성") == ["esa", "meridian", "7", "위성", "위성"])
        #expect(Tokenizer.terms(in: "NASA和ESA") == ["nasa", "和", "esa"])
    }

    @Test func compatibilityFormsAreNormalised() {
        // Full-width Latin letters and digits read as their ASCII selves.
        #expect(Tokenizer.terms(in: "ＮＡＳＡ ２０２６") == ["nasa", "2026"])
    }

    @Test func wordsKeepEverything() {
        #expect(Tokenizer.words(in: "The Bridges, of 3.2 km!") == ["the", "bridges", "of", "3.2", "km"])
        #expect(Tokenizer.terms(in: "").isEmpty)
        #expect(Tokenizer.terms(in: "!!! ... ---").isEmpty)
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
        // Word order and word boundaries count.
        #expect(base != Article.fingerprint(title: "Repairs after reopens bridge", summary: "Traffic flows again"))
        #expect(Article.fingerprint(title: "ab c", summary: "") != Article.fingerprint(title: "a bc", summary: ""))
    }

    @Test func articleInitSetsTheFingerprint() {
        let article = Article(
            canonicalURL: "https://a.example/1", url: "https://a.example/1", outletID: nil, domain: "a.example",
            title: "Wire copy", summary: "Same text", language: "en", publishedAt: nil, firstSeenAt: Date(timeIntervalSince1970: 0),
            feedURL: "file:///f.xml")
        #expect(article.fingerprint == Article.fingerprint(title: "WIRE COPY", summary: "same text."))
    }
}
