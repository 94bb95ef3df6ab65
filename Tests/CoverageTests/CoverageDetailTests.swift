import Foundation
import Outlets
import Stories
import Testing
@testable import Coverage

private let t0 = Date(timeIntervalSince1970: 1_795_000_000 - 1_795_000_000.truncatingRemainder(dividingBy: 3600))  // on the hour

private let outlets = [
    Outlet(id: "l1", name: "Left One", domains: ["l1.example"], manualBias: .left, ownership: .nonprofit, country: "US"),
    Outlet(id: "l2", name: "Left Two", domains: ["l2.example"], manualBias: .leanLeft, ownership: .corporate, country: "GB"),
    Outlet(id: "c1", name: "Center One", domains: ["c1.example"], manualBias: .center, ownership: .corporate, country: "US"),
    Outlet(id: "r1", name: "Right One", domains: ["r1.example"], manualBias: .right, ownership: .billionaire),
]

private func article(_ outletID: String?, minutes: Double, title: String, summary: String = "", domain: String? = nil) -> Article {
    let host = domain ?? "\(outletID ?? "x").example"
    let time = t0.addingTimeInterval(minutes * 60)
    let url = "https://\(host)/\(Int(minutes))"
    return Article(
        canonicalURL: url, url: url, outletID: outletID, domain: host, title: title, summary: summary, language: "en",
        publishedAt: time, firstSeenAt: time, feedURL: "file:///f.xml", storyID: 1)
}

private func tally(_ articles: [Article]) -> Coverage {
    CoverageTally.tally(
        story: Story(id: 1, title: "t", firstSeenAt: t0, lastSeenAt: t0, articleCount: articles.count), articles: articles,
        registry: OutletRegistry(outlets), rule: BlindspotRule())
}

@Suite("Coverage details")
struct CoverageDetailTests {
    let coverage = tally([
        article("c1", minutes: 5, title: "Wire: dam bursts", summary: "AP"),
        article("l2", minutes: 20, title: "Wire: dam bursts", summary: "AP"),  // a wire copy
        article("l1", minutes: 30, title: "Dam failure floods valley"),
        article("l1", minutes: 95, title: "Dam: the aftermath"),
        article("r1", minutes: 185, title: "Who is to blame for the dam?"),
        article(nil, minutes: 190, title: "Blog on the dam", domain: "blog.example"),
    ])

    @Test func firstReporterPerSideAndTimeToReachTheOtherSide() {
        #expect(coverage.firstReporter?.key == "c1")
        #expect(coverage.firstReporterBySide[.left]?.key == "l2")
        #expect(coverage.firstReporterBySide[.center]?.key == "c1")
        #expect(coverage.firstReporterBySide[.right]?.key == "r1")
        #expect(abs((coverage.secondsToReachOtherSide ?? 0) - (185 - 20) * 60) < 0.001)
    }

    @Test func oneSidedStoryHasNotReachedTheOtherSide() {
        let oneSided = tally([article("l1", minutes: 0, title: "a"), article("c1", minutes: 10, title: "b")])
        #expect(oneSided.secondsToReachOtherSide == nil)
        #expect(oneSided.firstReporterBySide[.right] == nil)
    }

    @Test func hourlyTimelineBySide() {
        #expect(coverage.timeline.map(\.start) == (0..<4).map { t0.addingTimeInterval(Double($0) * 3600) })
        #expect(coverage.timeline.map(\.left) == [2, 1, 0, 0])
        #expect(coverage.timeline.map(\.center) == [1, 0, 0, 0])
        #expect(coverage.timeline.map(\.right) == [0, 0, 0, 1])
        #expect(coverage.timeline.map(\.unrated) == [0, 0, 0, 1])
        #expect(coverage.timeline.map { $0.left + $0.center + $0.right + $0.unrated }.reduce(0, +) == coverage.articleCount)
    }

    @Test func anAbsurdDateCannotMakeMillionsOfBuckets() {
        var ancient = article("l1", minutes: 0, title: "old")
        ancient.publishedAt = Date(timeIntervalSince1970: 0)
        let story = tally([ancient, article("r1", minutes: 60, title: "new")])
        #expect(story.timeline.count == CoverageTally.maximumTimelineHours)
        #expect(story.timeline.first?.left == 1)
        #expect(story.timeline.last?.right == 1)
    }

    @Test func headlinesSideBySideWithoutWireCopies() {
        #expect(coverage.headlines.left.map(\.title) == ["Dam failure floods valley"])  // l2 only carried the wire copy
        #expect(coverage.headlines.center.map(\.title) == ["Wire: dam bursts"])
        #expect(coverage.headlines.right.map(\.outletName) == ["Right One"])
        #expect(coverage.headlines.unrated.map(\.outletKey) == ["blog.example"])
    }

    @Test func ownershipCountriesAndUniqueArticles() {
        #expect(coverage.uniqueArticleCount == 5)
        #expect(coverage.ownershipByOutlet == [.nonprofit: 1, .corporate: 2, .billionaire: 1, .unknown: 1])
        #expect(coverage.countries == ["US": 2, "GB": 1, "unknown": 2])
        #expect(coverage.outlets.first { $0.key == "r1" }?.ownership == .billionaire)
    }
}
