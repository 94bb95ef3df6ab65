import Foundation
import Testing
@testable import Stories

private let start = Date(timeIntervalSince1970: 1_795_000_000)

private func item(
    _ title: String, _ summary: String = "", hours: Double = 0, domain: String = "news.example", language: String = "en",
    groupKey: String? = nil
) -> Article {
    let time = start.addingTimeInterval(hours * 3600)
    let link = "https://\(domain)/\(abs((title + summary).hashValue))"
    return Article(
        canonicalURL: link, url: link, outletID: nil, domain: domain, title: title, summary: summary, language: language,
        publishedAt: time, firstSeenAt: time, feedURL: "file:///feed.xml", groupKey: groupKey)
}

/// Twelve open stories (ids 1–12) of a day's other news, so that a name is not in every text.
private func daysOtherNews() -> [(storyID: Int64, members: [Article])] {
    [
        "Storm closes schools across the north", "Parliament passes farm budget", "Striker signs record transfer",
        "Central bank holds interest rates", "Wildfire forces thousands to evacuate", "Museum returns looted bronzes",
        "Rail strike halts morning commuters", "Drought cuts wheat harvest forecast", "Vaccine trial shows strong results",
        "Ferry capsizes off the island coast", "Court blocks mining permit", "Astronauts dock with the station",
    ].enumerated().map { (storyID: Int64($0.offset + 1), members: [item($0.element, hours: Double($0.offset) * 0.01)]) }
}

/// Places articles in order and returns their story ids.
private func place(_ articles: [Article], settings: ClusteringSettings = ClusteringSettings()) -> [Int64] {
    var clusterer = IncrementalClusterer(settings: settings, nextStoryID: 1)
    return articles.map { clusterer.assign($0).storyID }
}

@Suite("Clustering: outlets, groups, merges, copies")
struct ClusteringBehaviourTests {
    @Test func aNameThatSeveralOpenStoriesShareDoesNotCarryAJoinAlone() {
        // The day's other news, so that the name is not in every text, and three open stories
        // (from an earlier run) that share one name and nothing else.
        let others = daysOtherNews()
        let brand = (storyID: Int64(13), members: [item("Brand survey puts Google ahead of Apple", hours: 0.2)])
        let drones = (storyID: Int64(14), members: [item("Drone maker Titan Aerospace bought by Google", hours: 0.3)])
        let fridges = (storyID: Int64(15), members: [item("Ads on refrigerators planned by Google", hours: 0.4)])
        let photos = item("Photo stories feature launched by Google", hours: 0.5)
        func decision(_ seeded: [(storyID: Int64, members: [Article])], _ article: Article, settings: ClusteringSettings = ClusteringSettings()) -> Assignment {
            var clusterer = IncrementalClusterer(settings: settings, nextStoryID: 1)
            clusterer.seed(seeded)
            return clusterer.assign(article)
        }
        // Only the name is shared: without the rule, the article would join one of the three…
        let unruled = decision(others + [brand, drones, fridges], photos, settings: ClusteringSettings(dominantTermShare: 1))
        #expect(unruled.reason == .joined)
        // …but three open stories have that name: it says which topic, not which story.
        let ruled = decision(others + [brand, drones, fridges], photos)
        #expect(ruled == Assignment(storyID: 16, similarity: unruled.similarity, reason: .newStory))
        // A name that fewer open stories have still carries a join, and an article that shares
        // more than the name joins whatever the crowd.
        #expect(decision(others + [brand, drones], photos).reason == .joined)
        let sameEvent = decision(others + [brand, drones, fridges], item("Survey of brands puts Google ahead of Apple", hours: 0.5))
        #expect(sameEvent == Assignment(storyID: 13, similarity: sameEvent.similarity, reason: .joined))
    }

    @Test func theMergePassDoesNotFoldStoriesThatShareOnlyACrowdedName() {
        let others = daysOtherNews()
        let named = ["Investors back Google", "Regulators fine Google", "Critics slam Google"].enumerated().map {
            (storyID: Int64($0.offset + 13), members: [item($0.element, hours: 0.2 + Double($0.offset) * 0.1)])
        }
        func batch(_ settings: ClusteringSettings) -> (Assignment, [StoryMerge]) {
            var clusterer = IncrementalClusterer(settings: settings, nextStoryID: 1)
            clusterer.seed(others + named)
            let placed = clusterer.assign(item("Shares of Google slide", hours: 0.5))
            return (placed, clusterer.endBatch())
        }
        // The join is refused by the one-name rule; without the same rule the merge pass would
        // fold the new story into an older one on that name alone.
        let (unruledPlace, unruledMerges) = batch(ClusteringSettings(mergeDominantTermShare: 1))
        #expect(unruledPlace.isNewStory && unruledPlace.similarity >= ClusteringSettings().mergeThreshold)
        #expect(unruledMerges.map(\.from) == [16])
        let (placed, merges) = batch(ClusteringSettings())
        #expect(placed.isNewStory)
        #expect(merges.isEmpty)
    }

    @Test func anOutletsRepeatedSuffixIsLearnedAndIgnored() {
        // Two unrelated headlines would share "daily planet" and "metropolis" if the suffix counted.
        let first = item("Mayor opens harbour bridge - The Daily Planet Metropolis", domain: "planet.example")
        let second = item("Storm closes schools for a week - The Daily Planet Metropolis", hours: 1, domain: "planet.example")
        let third = item("Schools closed as storm hits - The Daily Planet Metropolis", hours: 2, domain: "planet.example")
        let ids = place([first, second, third])
        #expect(ids[0] != ids[1])
        #expect(ids[1] == ids[2])
        // The same suffix from another domain is not that domain's name yet.
        let other = place([first, item("Harbour bridge traffic - The Daily Planet Metropolis", hours: 1, domain: "other.example")])
        #expect(other[0] == other[1])
    }

    @Test func aggregatorGroupsLandInOneStoryWhateverTheirWords() {
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
        let a = clusterer.assign(item("Senate passes farm bill after long debate", groupKey: "g-1"))
        let b = clusterer.assign(item("What the new law means for growers", hours: 1, groupKey: "g-1"))
        let c = clusterer.assign(item("Opinion: a harvest of compromises", hours: 2, groupKey: "g-1"))
        let loose = clusterer.assign(item("Opinion: a harvest of compromises", hours: 2))
        #expect(a.isNewStory)
        #expect(b.storyID == a.storyID && b.reason == .group)
        #expect(c.storyID == a.storyID && c.reason == .group)
        #expect(loose.storyID == a.storyID, "the same text without a key still finds the story by its words")
        #expect(clusterer.endBatch().isEmpty)
    }

    @Test func aGroupJoinsParallaxsOwnStoryForTheSameEventInsteadOfStayingApart() {
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
        let own = clusterer.assign(item("Volcano erupts near Grindavik, Iceland evacuates town", "Lava flows toward Grindavik."))
        let groupSeed = clusterer.assign(item("Live coverage from Reykjanes", hours: 1, groupKey: "agg-7"))
        #expect(groupSeed.storyID != own.storyID)
        // The group's next article reads like Parallax's own story: both stories are one event.
        let bridge = clusterer.assign(item("Iceland volcano erupts near Grindavik as lava flows", hours: 2, groupKey: "agg-7"))
        #expect(bridge.storyID == groupSeed.storyID)
        #expect(bridge.reason == .group)
        let merges = clusterer.endBatch()
        #expect(merges == [StoryMerge(from: groupSeed.storyID, into: own.storyID, similarity: merges.first?.similarity ?? -1, reason: .group)])
        // Later group members follow the merge.
        let later = clusterer.assign(item("Photos from the Reykjanes peninsula", hours: 3, groupKey: "agg-7"))
        #expect(later.storyID == own.storyID)
    }

    @Test func theMergePassFoldsAStoryIntoAnOlderOneItMatches() {
        let settings = ClusteringSettings(threshold: 0.95, mergeThreshold: 0.3)
        var clusterer = IncrementalClusterer(settings: settings, nextStoryID: 1)
        let a = clusterer.assign(item("Central bank raises interest rates to curb inflation"))
        let b = clusterer.assign(item("Interest rates raised again as inflation climbs, central bank says", hours: 1))
        #expect(a.storyID != b.storyID, "below the high join threshold")
        _ = clusterer.assign(item("Football club signs new striker", hours: 1))
        let merges = clusterer.endBatch()
        #expect(merges.count == 1)
        #expect(merges.first?.from == b.storyID)
        #expect(merges.first?.into == a.storyID)
        #expect(merges.first?.reason == .similar)
        #expect((merges.first?.similarity ?? 0) >= 0.3)
        #expect(clusterer.activeStoryCount == 2)
        #expect(clusterer.endBatch().isEmpty, "nothing changed since")
    }

    @Test func wireCopiesShareTheFirstCopysFingerprint() {
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
        let text = "Officials said the storm surge flooded hundreds of homes overnight in the coastal city and closed the main highway north"
        let original = item("Storm floods coastal city", text, domain: "wire.example")
        let copy = item("Storm floods coastal city", text.replacingOccurrences(of: "Officials said", with: "Officials say"), hours: 1, domain: "paper.example")
        let exact = item("Storm floods coastal city", text, hours: 1, domain: "other.example")
        let unrelated = item("Parliament passes budget", "Lawmakers approved the spending plan late on Tuesday after a long debate over farm subsidies", hours: 1)
        #expect(clusterer.assign(original).duplicateOf == nil)
        let copied = clusterer.assign(copy)
        #expect(copy.fingerprint != original.fingerprint)
        #expect(copied.duplicateOf == original.fingerprint)
        #expect(copied.storyID == 1)
        #expect(clusterer.assign(exact).duplicateOf == nil, "identical text already shares the fingerprint")
        #expect(clusterer.assign(unrelated).duplicateOf == nil)
    }

    /// A run seeds the open stories from the store, where a copy already carries its original's
    /// fingerprint: a later copy of the seeded copy takes that fingerprint, as it would have in
    /// the run that placed them.
    @Test func aCopyOfASeededArticleTakesTheFingerprintTheStoreKeptForIt() {
        let text = "Officials said the storm surge flooded hundreds of homes overnight in the coastal city and closed the main highway north"
        var seeded = item("Storm floods coastal city", text, domain: "paper.example")
        seeded.fingerprint = "00000000000000aa"
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
        clusterer.seed([(storyID: 7, members: [seeded])])
        let later = item("Storm floods coastal city", text.replacingOccurrences(of: "Officials said", with: "Officials say"), hours: 1, domain: "other.example")
        let placed = clusterer.assign(later)
        #expect(placed.duplicateOf == "00000000000000aa")
        #expect(placed.storyID == 7)
    }

    @Test func theBandSearchFindsACopyExactlyWhenSomeEarlierTextIsWithinTheBitLimit() {
        // Variants of one text with one to three words swapped land anywhere from 0 to ~30 bits
        // apart, so the copies within the limit differ from their originals in every band and
        // bit position; each answer is checked against comparing with every earlier text.
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(), nextStoryID: 1)
        let base = "officials said the storm surge flooded hundreds of homes overnight in the coastal city".split(separator: " ").map(String.init)
        let swaps = ["engineers", "reported", "tide", "damaged", "dozens", "farms", "today", "near", "harbour", "town", "rivers", "roads"]
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var seen: [UInt64] = []
        var texts: Set<String> = []
        var found = 0, missed = 0
        while seen.count < 150 {
            var words = base
            for _ in 0...next(3) { words[next(words.count)] = swaps[next(swaps.count)] }
            let text = words.joined(separator: " ")
            guard texts.insert(text).inserted, let hash = SimHash.hash(title: "Storm", summary: text) else { continue }
            let expected = seen.contains { SimHash.distance($0, hash) <= ClusteringSettings().duplicateBits }
            let placed = clusterer.assign(item("Storm", text, hours: Double(seen.count) / 100))
            #expect((placed.duplicateOf != nil) == expected, "\(text)")
            if expected { found += 1 } else { missed += 1 }
            seen.append(hash)
        }
        #expect(found > 20 && missed > 20, "the variants exercise both answers")
    }

    @Test func idleStoriesLeaveTheClusterer() {
        var clusterer = IncrementalClusterer(settings: ClusteringSettings(windowHours: 24), nextStoryID: 1)
        _ = clusterer.assign(item("Central bank raises interest rates"))
        _ = clusterer.assign(item("Football club signs striker", hours: 1))
        #expect(clusterer.activeStoryCount == 2)
        _ = clusterer.assign(item("Volcano erupts in Iceland", hours: 30))
        #expect(clusterer.activeStoryCount == 1)
        // The same words after the window open a new story.
        #expect(clusterer.assign(item("Central bank raises interest rates", hours: 31)).isNewStory)
    }
}

@Suite("Clustering in Korean, Chinese and Japanese")
struct MultilingualClusteringTests {
    @Test func koreanChineseAndJapaneseHeadlinesClusterByEvent() {
        let articles = [
            item("북한, 동해상으로 탄도미사일 발사", hours: 0, domain: "ko1.example", language: "ko"),
            item("서울 아파트값 3주 연속 상승", hours: 0.5, domain: "ko2.example", language: "ko"),
            item("합참 \"북한 동해상 탄도미사일 발사\"", hours: 1, domain: "ko2.example", language: "ko"),
            item("日本銀行、政策金利を据え置き", hours: 1, domain: "ja1.example", language: "ja"),
            item("日銀が政策金利据え置き決定", hours: 2, domain: "ja2.example", language: "ja"),
            item("中国央行宣布下调存款准备金率", hours: 2, domain: "zh1.example", language: "zh"),
            item("央行下调存款准备金率0.5个百分点", hours: 3, domain: "zh2.example", language: "zh"),
        ]
        let ids = place(articles)
        #expect(ids[0] == ids[2], "Korean missile story")
        #expect(ids[1] != ids[0], "Korean housing story")
        #expect(ids[3] == ids[4], "Japanese central bank story")
        #expect(ids[5] == ids[6], "Chinese central bank story")
        #expect(Set([ids[0], ids[1], ids[3], ids[5]]).count == 4)
    }

    @Test func aStoryToldInEnglishAndChineseDoesNotPoisonEitherLanguage() {
        let english = [
            item("North Korea fires ballistic missile into the East Sea, Seoul says", hours: 0, domain: "en1.example"),
            item("Seoul: North Korea launches ballistic missile toward East Sea", hours: 1, domain: "en2.example"),
            item("South Korea and US condemn North Korean missile launch", hours: 2, domain: "en3.example"),
        ]
        let chinese = [
            item("朝鲜向东海发射弹道导弹", hours: 0.5, domain: "zh1.example", language: "zh"),
            item("韩国军方称朝鲜发射一枚弹道导弹", hours: 1.5, domain: "zh2.example", language: "zh"),
        ]
        let otherEnglish = [
            item("Seoul stocks close higher on chip rally", hours: 1.2, domain: "en4.example"),
            item("Chip rally lifts Seoul stocks to a record close", hours: 2.2, domain: "en5.example"),
        ]
        let otherChinese = [
            item("上海股市收盘上涨", hours: 1.3, domain: "zh3.example", language: "zh"),
            item("上海股市午后收盘上涨1%", hours: 2.3, domain: "zh4.example", language: "zh"),
        ]
        let all = (english + chinese + otherEnglish + otherChinese).sorted { $0.time < $1.time }
        let ids = Dictionary(uniqueKeysWithValues: zip(all.map(\.canonicalURL), place(all)))
        func story(_ articles: [Article]) -> Set<Int64> { Set(articles.map { ids[$0.canonicalURL]! }) }
        #expect(story(english).count == 1, "the English missile story stays whole")
        #expect(story(chinese).count == 1, "the Chinese missile story stays whole")
        #expect(story(otherEnglish).count == 1)
        #expect(story(otherChinese).count == 1)
        // No story mixes two events.
        #expect(story(english).isDisjoint(with: story(otherEnglish).union(story(otherChinese))))
        #expect(story(chinese).isDisjoint(with: story(otherEnglish).union(story(otherChinese))))
        #expect(story(otherEnglish).isDisjoint(with: story(otherChinese)))
    }
}

@Suite("StoryExplanation")
struct StoryExplanationTests {
    @Test func sharedTermsAndReasonsAreReported() {
        let a = item("Volcano erupts near Grindavik", "Lava flows toward the town.")
        let b = item("Grindavik evacuated as volcano erupts", "Lava reached the town's edge.", hours: 1)
        let c = item("Photos of the eruption", hours: 2, groupKey: "g")
        let explanation = StoryExplanation.explain(
            storyID: 7, title: a.title,
            records: [
                .init(article: c, reason: "group", score: 0.04, threshold: 0.16),
                .init(article: a, reason: "new", score: 0.02, threshold: 0.16),
                .init(article: b, reason: "joined", score: 0.41, threshold: 0.16, mergedFrom: 9, mergeScore: 0.55),
            ],
            settings: ClusteringSettings())
        #expect(explanation.storyID == 7)
        #expect(explanation.members.map(\.title) == [a.title, b.title, c.title], "oldest first")
        #expect(explanation.members[0].because == "seeded the story (best other story 0.020 < threshold 0.160)")
        #expect(explanation.members[1].because == "joined at 0.410 ≥ threshold 0.160; came with story 9, merged in at 0.550")
        #expect(explanation.members[2].because == "aggregator group evidence (similarity 0.040)")
        let terms = explanation.sharedTerms.map(\.term)
        #expect(explanation.sharedTerms.first == .init(term: "erupt", articles: 3))
        #expect(Set(terms).isSuperset(of: ["volcano", "grindavik", "lava", "town"]))
        #expect(explanation.sharedTerms.allSatisfy { $0.articles >= 2 })
        #expect(explanation.members[0].similarityToStory > explanation.members[2].similarityToStory)
        #expect(explanation.members.allSatisfy { $0.similarityToStory >= 0 && $0.similarityToStory <= 1.000001 })
        // A story opened although another was similar enough: the one-name rule refused the join.
        let refused = StoryExplanation.explain(
            storyID: 8, title: a.title, records: [.init(article: a, reason: "new", score: 0.2, threshold: 0.12)],
            settings: ClusteringSettings())
        #expect(refused.members[0].because == "seeded the story (best other story 0.200 ≥ threshold 0.120, but carried by one term that several open stories share)")
    }
}
