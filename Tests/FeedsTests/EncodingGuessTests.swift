import Foundation
import Testing
import XMLSupport
@testable import Feeds

@Suite("Guessing undeclared legacy encodings")
struct EncodingGuessTests {
    /// Our own news sentences, converted with iconv, with no declaration anywhere.
    @Test(arguments: [
        ("zh-gb2312.xml", "GB2312", "市政府发布新的交通计划"), ("zh-big5.xml", "Big5", "市政府發布新的交通計畫"),
        ("ja-eucjp.xml", "EUC-JP", "市役所が新しい交通計画を発表"), ("ja-sjis.xml", "Shift_JIS", "市役所が新しい交通計画を発表"),
        ("ko-euckr.xml", "EUC-KR", "시청이 새로운 교통 계획을 발표했다"),
        ("ru-koi8r.xml", "KOI8-R", "Мэрия представила новый план развития транспорта"),
        ("ru-cp1251.xml", "windows-1251", "Мэрия представила новый план развития транспорта"),
        ("he-cp1255.xml", "windows-1255", "העירייה הציגה תוכנית תחבורה חדשה"),
        ("th-tis620.xml", "TIS-620", "เทศบาลประกาศแผนการจราจรใหม่"),
    ])
    func anUndeclaredFeedIsReadInItsEncoding(file: String, encoding: String, title: String) throws {
        let feed = try parseFixture("undeclared/\(file)")
        #expect(feed.encoding == encoding)
        #expect(feed.items.first?.title == title)
        // Guessed, so flagged: the publisher should declare it.
        #expect(feed.problems.first?.contains("guessed") == true)
        // And the guess is no near thing.
        let ranked = EncodingGuess.rank(Array(try fixture("undeclared/\(file)")))
        #expect(ranked[0].name == encoding)
        #expect(ranked[0].score - (ranked.count > 1 ? ranked[1].score : 0) > 0.2, "\(ranked.prefix(3))")
    }

    @Test(arguments: ["fr-cp1252.xml", "de-latin1.xml"])
    func westernTextKeepsTheWindows1252Repair(file: String) throws {
        #expect(EncodingGuess.guess(undeclared: try fixture("undeclared/\(file)")) == nil)
        let feed = try parseFixture("undeclared/\(file)")
        #expect(feed.encoding == "UTF-8")
        #expect(feed.items.first?.title.contains("é") == true || feed.items.first?.title.contains("ö") == true)
    }

    /// Languages with no candidate must not be taken for one: they keep the windows-1252 repair
    /// and lose no item (a wrong guess would stop libxml2 at the first undefined byte).
    @Test(arguments: ["pt-cp1252.xml", "pl-latin2.xml", "el-cp1253.xml", "ar-cp1256.xml"])
    func otherLegacyTextIsNotTakenForACandidate(file: String) throws {
        let data = try fixture("undeclared/\(file)")
        #expect(EncodingGuess.guess(undeclared: data) == nil, "\(EncodingGuess.rank(Array(data)).prefix(3))")
        let feed = try FeedParser.parse(data)
        #expect(feed.encoding == "UTF-8")
        #expect(feed.items.count == 1 && feed.items[0].title.count > 40)
    }

    @Test func aGuessMustReadTheWholeDocumentNotOnlyTheSample() throws {
        let bytes = Array(try fixture("undeclared/ko-euckr.xml"))
        let itemStart = try #require(bytes.firstRange(of: Array("<item>".utf8))).lowerBound
        let itemEnd = try #require(bytes.firstRange(of: Array("</item>".utf8))).upperBound
        var long = Array(bytes[..<itemStart])
        while long.count < EncodingGuess.sampleBytes + 1000 { long += bytes[itemStart..<itemEnd] }
        // Past the sample, a byte EUC-KR does not define.
        long += Array("<item><title>".utf8) + [0xFF] + Array("</title></item>".utf8)
        long += bytes[itemStart..<itemEnd]
        long += bytes[itemEnd...]
        #expect(EncodingGuess.rank(Array(long.prefix(EncodingGuess.sampleBytes))).first?.name == "EUC-KR")
        #expect(EncodingGuess.guess(undeclared: Data(long)) == nil)
        // Read as before the guess existed: every item is kept, the last one too.
        let feed = try FeedParser.parse(Data(long))
        #expect(feed.items.count > 200)
        #expect(feed.items.last?.title.isEmpty == false)
    }

    @Test func aDeclarationAnHTTPCharsetOrABOMIsNeverSecondGuessed() throws {
        let koi8 = try fixture("undeclared/ru-koi8r.xml")
        // Declared wrongly as windows-1251: the declaration is what the publisher said.
        let declared = Data(#"<?xml version="1.0" encoding="windows-1251"?>"#.utf8) + koi8
        #expect(EncodingGuess.guess(undeclared: declared) == nil)
        #expect(try FeedParser.parse(declared).encoding?.lowercased() == "windows-1251")
        let overHTTP = try FeedParser.parse(koi8, url: "https://news.example/rss", response: ResponseHeaders(contentType: "text/xml; charset=koi8-u"))
        #expect(overHTTP.encoding?.lowercased() == "koi8-u")
        #expect(EncodingGuess.guess(undeclared: Data([0xEF, 0xBB, 0xBF]) + koi8) == nil)
    }

    @Test func utf8AndTooLittleEvidenceAreLeftAlone() throws {
        #expect(EncodingGuess.guess(undeclared: Data("<rss><channel><title>Новости 新闻</title></channel></rss>".utf8)) == nil)
        // One stray byte in an English feed says nothing about a language.
        var bytes = Array("<rss version=\"2.0\"><channel><title>Caf".utf8)
        bytes += [0xE9]
        bytes += Array("s reopen</title></channel></rss>".utf8)
        #expect(EncodingGuess.guess(undeclared: Data(bytes)) == nil)
        #expect(try FeedParser.parse(Data(bytes)).title == "Cafés reopen")
    }

    @Test func binaryNoiseIsNotTakenForALanguage() throws {
        // A deterministic stream of high bytes: no candidate reads it as text.
        var state: UInt32 = 12345
        var noise = Array("<rss version=\"2.0\"><channel><title>".utf8)
        for _ in 0..<400 {
            state = state &* 1_103_515_245 &+ 12345
            noise.append(UInt8(0x80 + (state >> 16) % 0x80))
        }
        noise += Array("</title></channel></rss>".utf8)
        #expect(EncodingGuess.guess(undeclared: Data(noise)) == nil, "\(EncodingGuess.rank(noise).prefix(2))")
        #expect(throws: Never.self) { try FeedParser.parse(Data(noise)) }
    }

    @Test func aLongFeedIsJudgedOnItsStartEvenWithACharacterCutInTwo() throws {
        let bytes = Array(try fixture("undeclared/ko-euckr.xml"))
        let itemStart = try #require(bytes.firstRange(of: Array("<item>".utf8))).lowerBound
        let itemEnd = try #require(bytes.firstRange(of: Array("</item>".utf8))).upperBound
        var long = Array(bytes[..<itemStart])
        // An odd number of ASCII bytes first, so the sample is likely to end inside a character.
        long += Array("<item><title>x</title></item>".utf8)
        while long.count < EncodingGuess.sampleBytes + 1000 { long += bytes[itemStart..<itemEnd] }
        long += bytes[itemEnd...]
        #expect(EncodingGuess.guess(undeclared: Data(long))?.name == "EUC-KR")
        let feed = try FeedParser.parse(Data(long))
        #expect(feed.items.count > 200)
        #expect(feed.items.last?.title == "시청이 새로운 교통 계획을 발표했다")
    }
}

@Suite("Strict decoding with iconv")
struct StrictDecodingTests {
    @Test func invalidSequencesAreCountedNotReplaced() throws {
        // "한" in EUC-KR, a lone lead byte followed by ASCII, then "국".
        let decoded = try #require(StrictDecoding.decode([0xC7, 0xD1, 0xB0, 0x41, 0xB1, 0xB9], from: "EUC-KR"))
        #expect(decoded.text == "한A국")
        #expect(decoded.invalid == 1)
    }

    @Test func aCharacterCutAtTheEndIsDroppedWithoutCounting() throws {
        let decoded = try #require(StrictDecoding.decode([0x41, 0xC7, 0xD1, 0xC7], from: "EUC-KR"))
        #expect(decoded.text == "A한")
        #expect(decoded.invalid == 0)
    }

    @Test func longInputIsDecodedWholeThroughAFixedBuffer() throws {
        // 100,000 Thai characters: 300 KB of UTF-8 from 100 KB of TIS-620, past any one buffer.
        let bytes = [UInt8](repeating: 0xA1, count: 100_000) + [0xFF] + [0xA1]
        let decoded = try #require(StrictDecoding.decode(bytes, from: "TIS-620"))
        #expect(decoded.text.unicodeScalars.count == 100_001)
        #expect(decoded.text.unicodeScalars.allSatisfy { $0 == "\u{0E01}" })
        #expect(decoded.invalid == 1)
        #expect(StrictDecoding.invalidSequences(in: Data(bytes), encoding: "TIS-620") == 1)
    }

    @Test func anUnknownEncodingIsNil() {
        #expect(StrictDecoding.decode([0x41], from: "x-no-such-encoding") == nil)
        #expect(StrictDecoding.invalidSequences(in: Data([0x41]), encoding: "x-no-such-encoding") == nil)
        #expect(StrictDecoding.decode([], from: "KOI8-R")?.text == "")
    }
}

