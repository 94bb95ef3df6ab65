import Coverage
import Foundation
import Outlets
import Stories
import Testing
@testable import Brief

let t0 = Date(timeIntervalSince1970: 1_795_000_000)
let outlets = [
    Outlet(id: "left", name: "Left Post", domains: ["left.example"], manualBias: .left),
    Outlet(id: "leanleft", name: "Lean Left Daily", domains: ["leanleft.example"], manualBias: .leanLeft),
    Outlet(id: "center", name: "Center Wire", domains: ["center.example"], manualBias: .center),
    Outlet(id: "right", name: "Right Herald", domains: ["right.example"], manualBias: .right),
    Outlet(id: "korea", name: "Seoul Daily", domains: ["seoul.example"], manualBias: .unrated),
]

func article(_ outlet: String, _ minutes: Double, title: String, summary: String, content: String = "", language: String = "en", image: String? = nil) -> Article {
    let url = "https://\(outlet).example/\(Int(minutes))"
    return Article(
        canonicalURL: url, url: url, outletID: outlet, domain: "\(outlet).example", title: title, summary: summary, language: language,
        publishedAt: t0.addingTimeInterval(minutes * 60), firstSeenAt: t0.addingTimeInterval(minutes * 60), feedURL: "https://\(outlet).example/rss",
        content: content, imageURL: image)
}

func coverage(_ articles: [Article], id: Int64 = 1) -> Coverage {
    CoverageTally.tally(
        story: Story(id: id, title: articles[0].title, firstSeenAt: t0, lastSeenAt: t0, articleCount: articles.count), articles: articles,
        registry: OutletRegistry(outlets), rule: BlindspotRule())
}

@Suite("Story brief: choosing sentences")
struct BriefBuilderTests {
    let bridge = [
        article("left", 0, title: "Bridge closes after cracks found",
                summary: "The Elm Street bridge was closed on Monday after inspectors found 14 cracks in its steel beams. Commuters face long detours. Read more at Left Post."),
        article("center", 10, title: "Elm Street bridge shut over cracks",
                summary: "The Elm Street bridge was closed on Monday after inspectors found 14 cracks in its steel beams. Mayor Dana Cole said repairs would take six weeks."),
        article("right", 20, title: "Mayor blames budget cuts for bridge closure",
                summary: "Mayor Dana Cole said repairs to the Elm Street bridge would take six weeks and cost 3.2 million dollars. Critics said the city ignored warnings for years."),
    ]

    @Test func theSentenceTwoOutletsCarryLeadsAndPointsComeFromOtherOutlets() {
        let brief = BriefBuilder.brief(for: coverage(bridge))
        // Two outlets carry it word for word, and its facts (Elm, Street, 14) recur: the lead.
        #expect(brief.lead.map(\.text) == ["The Elm Street bridge was closed on Monday after inspectors found 14 cracks in its steel beams."])
        #expect(brief.lead.first?.outletKey == "left")
        // The furniture ("Read more at Left Post.") never appears; "Commuters face long detours." is too short a sentence (4 words).
        let shown = (brief.lead + brief.points).map(\.text)
        #expect(!shown.contains { $0.contains("Read more") })
        #expect(!shown.contains("Commuters face long detours."))
        #expect(Set(shown) == Set([
            "The Elm Street bridge was closed on Monday after inspectors found 14 cracks in its steel beams.",
            "Mayor Dana Cole said repairs would take six weeks.",
            "Mayor Dana Cole said repairs to the Elm Street bridge would take six weeks and cost 3.2 million dollars.",
            "Critics said the city ignored warnings for years.",
        ]).subtracting(redundantWith(shown)))
        #expect(BriefBuilder.largestSimilarity(in: brief, of: coverage(bridge)) <= BriefBuilder.maximumSimilarity)
        #expect(brief.language == "en")
        #expect(brief.languageCounts.isEmpty)
    }

    /// The two Mayor sentences share most terms: at most one of them may be a point.
    func redundantWith(_ shown: [String]) -> Set<String> {
        let a = "Mayor Dana Cole said repairs would take six weeks."
        let b = "Mayor Dana Cole said repairs to the Elm Street bridge would take six weeks and cost 3.2 million dollars."
        return shown.contains(a) ? [b] : [a]
    }

    @Test func perspectivesNameTheirSidesHeadlineAndSayWhenTextIsTooLittle() {
        let brief = BriefBuilder.brief(for: coverage(bridge))
        #expect(brief.perspectives.map(\.side) == [.left, .center, .right])
        #expect(brief.perspectives[0].headline?.text == "Bridge closes after cracks found")
        #expect(brief.perspectives[2].headline?.text == "Mayor blames budget cuts for bridge closure")
        // One article per side: too little text for word statistics.
        #expect(brief.perspectives.allSatisfy { $0.tooLittleText && $0.words.isEmpty })
    }

    /// A strike told `perSide` times by each side, the same two sentences each time.
    func strike(perSide: Int) -> StoryBrief {
        let articles = (0..<perSide).map { index in
            article("left", Double(index), title: "Workers strike for fair wages at the plant \(index)",
                    summary: "Workers at the plant walked out demanding fair wages and safe conditions, the union said. "
                        + "Union members say wages have fallen behind rents while the company posted record profits this year.")
        } + (0..<perSide).map { index in
            article("right", Double(10 + index), title: "Plant strike costs the company millions \(index)",
                    summary: "The strike at the plant costs the company millions in lost orders, executives said on Monday. "
                        + "Executives warned that the strike could cost jobs and force the plant to move its orders abroad.")
        }
        return BriefBuilder.brief(for: coverage(articles))
    }

    /// Each side's article has 24 counted words (stopwords, numbers and words of two letters or
    /// less left out), so with k articles a side n_i = n_j = 24k and α₀ = 48k. A word only the
    /// Right uses twice per article (executives, costs, millions, orders: y_i = 2k, y_j = 0, α_w = 2k):
    ///   k = 4: δ = ln(16 / (96 + 192 − 16)) − ln(8 / (96 + 192 − 8)) = ln(16/272) − ln(8/280) = 0.722135,
    ///          σ² = 1/16 + 1/8 = 0.1875, z = 1.667700: below 1.96, not shown.
    ///   k = 6: δ = ln(24/408) − ln(12/420) = 0.722135 (the same shares), σ² = 1/24 + 1/12 = 0.125, z = 2.042505.
    /// "wages", three times per Left article (y_i = 3k): k = 4: δ = ln(24/264) − ln(12/276) = 0.737599,
    ///   σ² = 1/24 + 1/12, z = 2.086245; k = 6: δ = ln(36/396) − ln(18/414) = 0.737599, σ² = 1/36 + 1/18, z = 2.555118.
    @Test func aSideWithEnoughTextGetsItsDistinctiveWords() throws {
        let four = strike(perSide: 4)
        let left4 = try #require(four.perspectives.first { $0.side == .left })
        let right4 = try #require(four.perspectives.first { $0.side == .right })
        #expect(!left4.tooLittleText && !right4.tooLittleText)
        #expect(left4.words.map(\.word) == ["wages"])
        #expect(abs(left4.words[0].z - 2.086245) < 1e-5)
        // Words the Right alone uses eight times are still within the prior's reach of chance.
        #expect(right4.words.isEmpty)

        let six = strike(perSide: 6)
        let left = try #require(six.perspectives.first { $0.side == .left })
        let right = try #require(six.perspectives.first { $0.side == .right })
        #expect(left.words.first?.word == "wages")
        #expect(abs((left.words.first?.z ?? 0) - 2.555118) < 1e-5)
        #expect(Set(left.words.dropFirst().map(\.word)) == ["fair", "union", "workers"])
        #expect(right.words.map(\.word) == ["costs", "executives", "millions", "orders"])
        #expect(right.words.allSatisfy { abs($0.z - 2.042505) < 1e-5 })
        // Both sides say "plant" and "company": neither owns them.
        #expect(!(left.words + right.words).contains { ["plant", "company"].contains($0.word) })
    }

    @Test func aCutDescriptionIsShownAsCutAndHeadlinesStandInWhenThereIsNoText() {
        let cut = [article("center", 0, title: "Council votes on the harbour plan", summary: "The city council voted 7 to 2 on Tuesday to approve the harbour plan, which will […]")]
        let brief = BriefBuilder.brief(for: coverage(cut))
        #expect(brief.lead.first?.text == "The city council voted 7 to 2 on Tuesday to approve the harbour plan, which will […]")
        #expect(brief.lead.first?.isCut == true)

        let bare = [article("center", 0, title: "Council votes on the harbour plan", summary: "Council votes on the harbour plan")]
        #expect(BriefBuilder.brief(for: coverage(bare)).lead.first?.field == .title)
    }

    @Test func aKoreanMajorityGetsAKoreanBriefAndSaysTheStoryIsMixed() {
        let articles = [
            article("korea", 0, title: "국회, 예산안 통과", summary: "국회가 2일 본회의에서 내년도 예산안 656조원을 통과시켰다. 여야는 막판까지 협상을 이어갔다.", language: "ko"),
            article("korea", 5, title: "예산안 656조원 국회 통과", summary: "내년도 예산안 656조원이 국회 본회의를 통과했다. 정부는 즉시 집행 준비에 들어갔다.", language: "ko-KR"),
            article("center", 10, title: "South Korea passes 656 trillion won budget", summary: "South Korea's parliament passed a budget of 656 trillion won on Tuesday after weeks of talks."),
        ]
        let brief = BriefBuilder.brief(for: coverage(articles))
        #expect(brief.language == "ko")
        #expect(brief.languageCounts == ["ko": 2, "en": 1])
        #expect((brief.lead + brief.points).allSatisfy { $0.outletKey == "korea" })
        #expect(brief.lead.first?.text.hasSuffix("다.") == true)
    }

    @Test func thePictureMostOutletsCarryIsChosenAndCredited() {
        let articles = [
            article("left", 0, title: "A", summary: "Firefighters battled the blaze at the old mill for six hours on Sunday.", image: "https://img.example/own.jpg"),
            article("center", 5, title: "B", summary: "The old mill fire took six hours to put out, the fire service said on Sunday.", image: "https://img.example/shared.jpg"),
            article("right", 9, title: "C", summary: "Investigators are looking into the cause of the fire at the old mill on Sunday.", image: "https://img.example/shared.jpg"),
            article("leanleft", 12, title: "D", summary: "Nobody was hurt in the fire at the old mill on Sunday, the fire service said.", image: "javascript:alert(1)"),
        ]
        let image = BriefBuilder.brief(for: coverage(articles)).image
        #expect(image == StoryImage(url: "https://img.example/shared.jpg", articleURL: "https://center.example/5", outletKey: "center", outletName: "Center Wire", outletCount: 2))
    }

    @Test func articleCardsGetTheirFirstShowableSentence() {
        let brief = BriefBuilder.brief(for: coverage(bridge))
        #expect(brief.firstSentences["https://right.example/20"]?.text
            == "Mayor Dana Cole said repairs to the Elm Street bridge would take six weeks and cost 3.2 million dollars.")
        let byline = [article("center", 0, title: "T", summary: "By Jo Lee. The harbour ferry will stop running on Sundays from next month, the operator said.")]
        #expect(BriefBuilder.brief(for: coverage(byline)).firstSentences.values.first?.text
            == "The harbour ferry will stop running on Sundays from next month, the operator said.")
    }
}

@Suite("Story brief: boilerplate")
struct BoilerplateTests {
    @Test(arguments: [
        "The post Eastbay dockworkers walk out appeared first on Riverside Courier.", "Continue reading...", "Read more: the port, explained",
        "Subscribe to our newsletter for the latest.", "We use cookies to improve your experience on our site.",
        "By continuing to browse you consent to our use of cookies.", "By Jane Doe and John Roe, staff reporters", "WASHINGTON —",
        "Updated 4:05 p.m. ET", "Nov. 4, 2026.", "Reporting by Ana Silva; Editing by Tom Reed", "© 2026 Northgate Times. All rights reserved.",
        "무단전재 및 재배포 금지.", "阅读全文",
    ])
    func furnitureIsRecognised(sentence: String) {
        #expect(Boilerplate.isBoilerplate(Substring(sentence)))
    }

    @Test(arguments: [
        "About 4,200 dockworkers at the Port of Eastbay walked off the job on Friday.",
        "\"We are not against machines, we are against being thrown away,\" said Lena Brandt.",
        "국회가 2일 본회의에서 내년도 예산안을 통과시켰다.",
    ])
    func newsIsNot(sentence: String) {
        #expect(!Boilerplate.isBoilerplate(Substring(sentence)))
    }

    /// The byte-wise test for ASCII sentences must judge exactly as the general one does.
    @Test func asciiPathJudgesAsTheGeneralOneDoes() {
        let pieces = [
            "By", "by", "BY", "the", "port", "walked", "out", "on", "Friday.", "READ", "More", "Continue", "reading", "Subscribe", "x1",
            "ab", "abc", "Cookie", "4:05", "p.m.", "ET", "WASHINGTON", "—-", "staff", "and", "Jane", "Doe", "appeared", "first", "",
        ]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for _ in 0..<3_000 {
            var words: [String] = []
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<(2 + Int(state >> 60)) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                words.append(pieces[Int(state >> 33) % pieces.count])
            }
            let sentence = Substring(words.joined(separator: " "))
            #expect(Boilerplate.isASCIIBoilerplate(sentence) == Boilerplate.scalarIsBoilerplate(sentence), "\(sentence)")
        }
    }

    /// Headline and description compared in place read the same exactly when their normal forms do.
    @Test func textsReadTheSameExactlyWhenTheirNormalFormsAreEqual() {
        let pieces = ["Port", "strike", "ends", " ", "  ", "\t", "\n", "\r\n", "ends.", "é", "\u{A0}", "x"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func text() -> String {
            var result = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<(Int(state >> 61)) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                result += pieces[Int(state >> 33) % pieces.count]
            }
            return result
        }
        var equal = 0
        for _ in 0..<5_000 {
            let (a, b) = (text(), text())
            let expected = BriefBuilder.normalized(a) == BriefBuilder.normalized(b)
            if expected { equal += 1 }
            #expect(BriefBuilder.readTheSame(a, b) == expected, "\(a.debugDescription) / \(b.debugDescription)")
            #expect(BriefBuilder.normalizedKey(Substring(a)) == Substring(BriefBuilder.normalized(a)))
        }
        // Both answers occur often enough for the comparison to mean something.
        #expect(equal > 100)
    }

    /// A byline paragraph that the feed's HTML reduced to a space runs into the first sentence.
    @Test func aBylineRunIntoTheFirstSentenceIsCutOffAndNeverShown() {
        let text = "By Grace Lin A union strike at the Port of Eastbay threatens holiday shipments for retailers across the region, business groups warned on Friday."
        #expect(Boilerplate.withoutLeadingByline(Substring(text))
            == "A union strike at the Port of Eastbay threatens holiday shipments for retailers across the region, business groups warned on Friday.")
        // "By" opening a sentence of news is no byline.
        let news = "By Friday, the union had walked out of every terminal at the port for the first time."
        #expect(Boilerplate.withoutLeadingByline(Substring(news)) == Substring(news))
        let articles = [article("center", 0, title: "Port strike threatens shipments", summary: text + " Retailers fear empty shelves before the holidays begin next month.")]
        let brief = BriefBuilder.brief(for: coverage(articles))
        #expect(!brief.allQuotes.isEmpty)
        #expect(!brief.allQuotes.contains { $0.text.contains("Grace Lin") })
        #expect(brief.firstSentences["https://center.example/0"]?.text.hasPrefix("A union strike at the Port of Eastbay") == true)
    }

    @Test func aSentenceAnOutletRepeatsElsewhereIsLeftOut() {
        let footer = "Left Post is funded by readers like you in every river town."
        let articles = [article("left", 0, title: "Bridge closes", summary: "The Elm Street bridge was closed on Monday after inspectors found cracks. " + footer)]
        let plain = BriefBuilder.brief(for: coverage(articles))
        #expect(plain.points.map(\.text).contains(footer))
        let hash = Boilerplate.sentenceHash(Substring(footer))
        #expect(Boilerplate.edgeSentenceHashes(of: articles[0]).contains(hash))
        // Case and spacing do not matter to the hash.
        #expect(Boilerplate.sentenceHash("left post IS funded by  readers like you in every river town") == hash)
        let learned = BriefBuilder.brief(for: coverage(articles), repeated: [Boilerplate.RepeatKey(outlet: "left", sentence: hash)])
        #expect(!learned.allQuotes.contains { $0.text == footer })
        #expect(learned.lead.map(\.text) == ["The Elm Street bridge was closed on Monday after inspectors found cracks."])
    }
}

@Suite("Related stories")
struct RelatedStoriesTests {
    func profile(_ id: Int64, days: Double, _ anchors: [String], language: String = "en") -> RelatedStories.Profile {
        RelatedStories.Profile(id: id, firstSeenAt: t0.addingTimeInterval(days * 86400), language: language, anchors: anchors.sorted())
    }

    /// Four stories, N = 4; an anchor's weight is ln(4 / stories naming it) + 1. "opcon" and "seoul" are
    /// in all four (weight 1), "hegseth" in 1, 2, 4 (ln(4/3) + 1 = 1.287682), "ahn" in 1 and 4
    /// (ln 2 + 1 = 1.693147); "250" is in one story only and never matches.
    /// 1 = {opcon, seoul, hegseth, ahn}: norm² = 1 + 1 + 1.658125 + 2.866747 = 6.524872
    /// 2 = {opcon, seoul, hegseth}: norm² = 1 + 1 + 1.658125 = 3.658125
    /// score(1, 2) = 3.658125 / √(6.524872 · 3.658125) = √(3.658125 / 6.524872) = 0.748761 → 0.749
    /// 3 = {opcon, seoul, 250}, in Korean: shares two anchors, fewer than the three another language needs.
    /// 4 = {opcon, seoul, hegseth, ahn} 90 days after 1 (70 after 2): too far apart.
    @Test func scoresAreHandCheckedAndBothWays() {
        let ranked = RelatedStories.rank([
            profile(1, days: 0, ["opcon", "seoul", "hegseth", "ahn"]), profile(2, days: 20, ["opcon", "seoul", "hegseth"]),
            profile(3, days: 3, ["opcon", "seoul", "250"], language: "ko"), profile(4, days: 90, ["opcon", "seoul", "hegseth", "ahn"]),
        ])
        #expect(ranked[1]?.map(\.id) == [2])
        #expect(ranked[1]?.first?.score == 0.749)
        #expect(ranked[2]?.map(\.id) == [1])
        #expect(ranked[2]?.first?.score == 0.749)
        #expect(ranked[3] == nil)
        #expect(ranked[4] == nil)
    }

    @Test func anchorsAreNamesAcronymsAndNumbersButNotYearsOrTitleCase() {
        #expect(RelatedStories.anchors(in: "South Korea and the US agree on OPCON transfer by 2028 after 250 days of talks in Seoul")
            == ["korea", "us", "opcon", "250", "seoul"])
        #expect(RelatedStories.anchors(in: "Title Case Headline About Something Big") == [])
        #expect(RelatedStories.anchors(in: "한미, OPCON 전환 250일 만에 합의") == ["opcon", "250"])
    }
}
