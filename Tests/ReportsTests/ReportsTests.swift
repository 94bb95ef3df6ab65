import Brief
import Coverage
import Foundation
import Outlets
import Stories
import Testing
@testable import Reports

private let t0 = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 11:06:40 UTC

private func article(_ outletID: String?, _ minutes: Double, title: String, url: String? = nil, domain: String? = nil) -> Article {
    let host = domain ?? "\(outletID ?? "unknown").example"
    let link = url ?? "https://\(host)/\(Int(minutes))"
    let time = t0.addingTimeInterval(minutes * 60)
    return Article(
        canonicalURL: link, url: link, outletID: outletID, domain: host, title: title, summary: "", language: "en",
        publishedAt: time, firstSeenAt: time, feedURL: "file:///feed.xml")
}

private let outlets = [
    Outlet(id: "left", name: "Left Daily", domains: ["left.example"], manualBias: .left,
           ratings: [Rating(rater: "Rater A", bias: .left, date: "2026-10-01")]),
    Outlet(id: "center", name: "Center Wire", domains: ["center.example"], manualBias: .center,
           ratings: [Rating(rater: "Rater A", bias: .center, date: "2026-11-01")]),
    Outlet(id: "right", name: "Right Herald", domains: ["right.example"], manualBias: .right),
]

private let method = Method(outlets: outlets, clustering: ClusteringSettings().summary, blindspot: BlindspotRule())

private func coverage(id: Int64, title: String, articles: [Article]) -> Coverage {
    let story = Story(
        id: id, title: title, firstSeenAt: articles.map(\.time).min() ?? t0, lastSeenAt: articles.map(\.time).max() ?? t0,
        articleCount: articles.count)
    return CoverageTally.tally(story: story, articles: articles, registry: OutletRegistry(outlets), rule: BlindspotRule())
}

private let quake = coverage(
    id: 3, title: "Earthquake strikes Chile",
    articles: [
        article("left", 0, title: "Quake in Chile"), article("center", 5, title: "Chile earthquake"),
        article("center", 6, title: "Chile earthquake: update"), article("right", 9, title: "Chile shaken"),
        article(nil, 12, title: "Blog on the quake", domain: "blog.example"),
    ])

private let hostile = coverage(
    id: 7, title: "<script>alert('x')</script> \u{1B}]0;pwned\u{07}\u{1B}[2J [click](javascript:alert(1))",
    articles: [
        article("left", 0, title: "<img src=x onerror=alert(1)>", url: "javascript:alert(document.cookie)"),
        article("right", 1, title: "Normal | pipe *stars*", url: "https://right.example/a (1)?q=<x>"),
        article("center", 2, title: "Data link", url: "DATA:text/html;base64,PHNjcmlwdD4="),
    ])

@Suite("TerminalReport")
struct TerminalReportTests {
    @Test func barIsAlwaysTwentyCellsAndProportional() {
        let report = TerminalReport(color: false)
        for left in 0...7 {
            for center in 0...5 {
                for right in 0...6 {
                    for unrated in 0...3 {
                        let counts: [Bias: Int] = [.left: left, .center: center, .right: right, .unrated: unrated]
                        let distribution = BiasDistribution(counts: counts)
                        let bar = report.bar(distribution)
                        #expect(bar.count == 20)
                        let total = left + center + right + unrated
                        guard total > 0 else {
                            #expect(bar == String(repeating: " ", count: 20))
                            continue
                        }
                        for (bias, count) in counts {
                            let cells = bar.filter { String($0) == TerminalReport.symbol(bias) }.count
                            let exact = Double(count) / Double(total) * 20
                            #expect(abs(Double(cells) - exact) < 1, "\(counts) \(bar)")
                        }
                    }
                }
            }
        }
    }

    @Test func barOrderAndExactSplits() {
        let report = TerminalReport(color: false)
        #expect(report.bar(BiasDistribution(counts: [.left: 1, .right: 3])) == String(repeating: "L", count: 5) + String(repeating: "R", count: 15))
        #expect(report.bar(BiasDistribution(counts: [.unrated: 1, .leanLeft: 3])) == String(repeating: "l", count: 15) + String(repeating: "·", count: 5))
        #expect(report.bar(BiasDistribution(counts: [.center: 2])) == String(repeating: "C", count: 20))
    }

    @Test func colouredBarStillHasTwentyVisibleCells() {
        let bar = TerminalReport(color: true).bar(BiasDistribution(counts: [.left: 1, .leanRight: 2, .unrated: 4]))
        #expect(bar.contains("\u{1B}["))
        let visible = bar.replacing(/\x{1B}\[[0-9;]*m/, with: "")
        #expect(visible.count == 20)
    }

    @Test func sanitizeMakesControlSequencesVisible() {
        let dirty = "Title\u{1B}]0;pwned\u{07}\u{1B}[2J\tend\u{9B}x\u{7F}"
        let clean = TerminalText.sanitize(dirty)
        #expect(!clean.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B || $0.value == 0x7F })
        #expect(clean == "Title^[]0;pwned^G^[[2J end\u{FFFD}x\u{FFFD}")
        #expect(TerminalText.sanitize("Zürich 서울 — ok") == "Zürich 서울 — ok")
    }

    @Test func storiesTableListsTheTitlesSafely() {
        let table = TerminalReport(width: 140, color: false).storiesTable([quake, hostile])
        #expect(table.contains("Earthquake strikes Chile"))
        #expect(table.contains("<script>alert('x')</script>"))
        #expect(!table.unicodeScalars.contains { $0.value == 0x1B })
        let lines = table.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("    3") && $0.contains("Earthquake strikes Chile") })
        #expect(lines.contains { $0.hasPrefix("    7") })
        #expect(TerminalReport().storiesTable([]).contains("No stories yet"))
    }

    @Test func storyReportShowsCountsAndMethod() {
        let text = TerminalReport(color: false).story(quake, brief: BriefBuilder.brief(for: quake), method: method)
        #expect(text.contains("Story 3: Earthquake strikes Chile"))
        #expect(text.contains("5 articles (5 unique texts) from 4 outlets, 3 of them rated"))
        #expect(text.contains("First reported by Left Daily (Left)"))
        #expect(text.contains("Ratings: Rater A (2026-10-01…2026-11-01), 2 outlets"))
        #expect(text.contains(BlindspotRule().summary))
        let hostileText = TerminalReport(color: false).story(hostile, brief: BriefBuilder.brief(for: hostile), method: method)
        #expect(!hostileText.unicodeScalars.contains { $0.value == 0x1B })
    }
}

@Suite("MarkdownReport")
struct MarkdownReportTests {
    @Test func feedTextIsEscaped() {
        let markdown = MarkdownReport.story(hostile, brief: BriefBuilder.brief(for: hostile), method: method)
        #expect(!markdown.contains("<script>"))
        // Every angle bracket from feed text is backslash-escaped, so no HTML tag can form.
        let scalars = Array(markdown.unicodeScalars)
        for (index, scalar) in scalars.enumerated() where scalar == "<" || scalar == ">" {
            #expect(index > 0 && scalars[index - 1] == "\\", "unescaped \(scalar) at \(index)")
        }
        #expect(markdown.contains(#"\<img src=x onerror=alert\(1\)\>"#))
        #expect(markdown.contains(#"\<script\>"#))
        #expect(!markdown.unicodeScalars.contains { $0.value == 0x1B })
        #expect(markdown.contains(#"Normal \| pipe \*stars\*"#))
    }

    @Test func neverEmitsAJavascriptOrDataLink() {
        let markdown = MarkdownReport.story(hostile, brief: BriefBuilder.brief(for: hostile), method: method)
        let lower = markdown.lowercased()
        #expect(!lower.contains("](javascript:"))
        #expect(!lower.contains("](data:"))
        // The title's fake link is escaped too, so it is not a link at all.
        #expect(!lower.contains("[click](javascript"))
        #expect(markdown.contains("](#)"))
        #expect(markdown.contains("](https://right.example/a%20%281%29?q=%3Cx%3E)"))
    }

    @Test(arguments: [
        ("javascript:alert(1)", "#"), ("JaVaScRiPt:alert(1)", "#"), (" javascript:alert(1)", "#"),
        ("data:text/html,<b>", "#"), ("vbscript:x", "#"), ("//evil.example/x", "#"), ("/relative", "#"),
        ("https://a.example/x", "https://a.example/x"), ("HTTP://A.example/x", "HTTP://A.example/x"),
        ("https://a.example/a b(c)<d>", "https://a.example/a%20b%28c%29%3Cd%3E"),
    ])
    func linkTarget(_ url: String, _ expected: String) {
        #expect(MarkdownReport.linkTarget(url) == expected)
    }

    @Test func storyReportHasTheNumbers() {
        let markdown = MarkdownReport.story(quake, brief: BriefBuilder.brief(for: quake), method: method)
        #expect(markdown.hasPrefix("# Earthquake strikes Chile\n"))
        #expect(markdown.contains("**5 articles** (5 unique texts) from **4 outlets**, 3 of them rated."))
        #expect(markdown.contains("| Center | 1 | 25.0 % | 2 | 40.0 % |"))
        #expect(markdown.contains("| Unrated | 1 | 25.0 % | 1 | 20.0 % |"))
        #expect(markdown.contains("[Quake in Chile](https://left.example/0)"))
    }

    @Test func indexLinksEveryStoryByID() {
        let index = MarkdownReport.index([quake, hostile].map { StorySummary($0, brief: .empty) }, method: method, generatedAt: t0)
        #expect(index.contains("](stories/3.md)"))
        #expect(index.contains("](stories/7.md)"))
        #expect(index.contains("2 stories"))
        #expect(!index.contains("<script>"))
    }
}

@Suite("JSONReport and FileReports")
struct JSONAndFileReportTests {
    @Test func storyJSONParsesAndHasTheCounts() throws {
        let data = JSONReport.story(quake, brief: BriefBuilder.brief(for: quake), method: method, generatedAt: t0)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 3)
        #expect(object["generatedAt"] as? String == "2026-11-18T11:06:40Z")
        let story = try #require(object["story"] as? [String: Any])
        #expect(story["id"] as? Int == 3)
        #expect(story["title"] as? String == "Earthquake strikes Chile")
        #expect(story["articleCount"] as? Int == 5)
        #expect(story["uniqueArticleCount"] as? Int == 5)
        #expect(story["outletCount"] as? Int == 4)
        #expect(story["ratedOutletCount"] as? Int == 3)
        #expect(story["firstReporter"] as? String == "left")
        let byOutlet = try #require(story["biasByOutlet"] as? [String: Int])
        #expect(byOutlet == ["left": 1, "lean-left": 0, "center": 1, "lean-right": 0, "right": 1, "unrated": 1])
        let byArticle = try #require(story["biasByArticle"] as? [String: Int])
        #expect(byArticle["center"] == 2)
        #expect((story["articles"] as? [Any])?.count == 5)
        #expect((story["outlets"] as? [[String: Any]])?.map { $0["key"] as? String } == ["left", "center", "right", "blog.example"])
        let blindspot = try #require(story["blindspot"] as? [String: Any])
        #expect(blindspot["smallSample"] as? Bool == true)
        #expect(object["method"] is [String: Any])
    }

    @Test func hostileTextSurvivesJSONRoundTrip() throws {
        let data = JSONReport.story(hostile, brief: BriefBuilder.brief(for: hostile), method: method, generatedAt: t0)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let story = try #require(object["story"] as? [String: Any])
        #expect(story["title"] as? String == hostile.story.title)
    }

    @Test func indexJSONParses() throws {
        let data = JSONReport.index([quake, hostile].map { StorySummary($0, brief: .empty) }, method: method, generatedAt: t0)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 3)
        let stories = try #require(object["stories"] as? [[String: Any]])
        #expect(stories.map { $0["id"] as? Int } == [3, 7])
        #expect(stories.map { $0["report"] as? String } == ["stories/3.json", "stories/7.json"])
    }

    /// The index is written without the encoder, so every awkward character is checked here.
    @Test func indexJSONCarriesAnyTitleExactly() throws {
        let title = "q\"b\\s/ \u{0}\u{1}\u{1F}\t\n\r \u{7F} \u{2028} é 🗞️ </script>"
        let tallied = StorySummary(quake, brief: .empty)
        let summary = StorySummary(
            id: tallied.id, title: title, firstSeenAt: tallied.firstSeenAt, lastSeenAt: tallied.lastSeenAt, articleCount: tallied.articleCount,
            uniqueArticleCount: tallied.uniqueArticleCount, ratedOutletCount: tallied.ratedOutletCount, biasByOutlet: tallied.biasByOutlet,
            blindspot: tallied.blindspot, outlets: tallied.outlets)
        #expect(summary.signature != tallied.signature)
        let data = JSONReport.index([summary], method: method, generatedAt: t0)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let story = try #require((object["stories"] as? [[String: Any]])?.first)
        #expect(story["title"] as? String == title)
        #expect(story["firstSeenAt"] as? String == UTCTime.iso(summary.firstSeenAt))
        #expect(story["outletCount"] as? Int == summary.outletCount)
        #expect((story["biasByOutlet"] as? [String: Int])?.count == Bias.allCases.count)
        #expect(object["generatedAt"] as? String == UTCTime.iso(t0))
        #expect((object["method"] as? [String: Any])?["clustering"] as? String == method.clustering)
        let empty = try #require(try JSONSerialization.jsonObject(with: JSONReport.index([], method: method, generatedAt: t0)) as? [String: Any])
        #expect((empty["stories"] as? [Any])?.isEmpty == true)
    }

    @Test func filePathsAreMadeOnlyOfIDs() throws {
        let files = FileReports.files(for: [(quake, BriefBuilder.brief(for: quake)), (hostile, BriefBuilder.brief(for: hostile))], outlets: outlets, method: method, generatedAt: t0)
        let shared: Set<String> = [
            "index.md", "index.json", "index.html", "recent.html", "blindspots.html", "stories.csv", "stories.atom", "blindspots.atom",
        ]
        let perStory: Set<String> = ["stories/3.md", "stories/3.json", "stories/3.html", "stories/7.md", "stories/7.json", "stories/7.html"]
        let outletPages: Set<String> = ["outlets/left.html", "outlets/center.html", "outlets/right.html", "outlets/blog.example.html"]
        #expect(Set(files.map(\.path)) == shared.union(perStory).union(outletPages))
        #expect(files.count == Set(files.map(\.path)).count)
        for file in files {
            #expect(!file.contents.isEmpty, "\(file.path)")
        }
        #expect(Set(FileReports.files(for: [], outlets: outlets, method: method, generatedAt: t0).map(\.path)) == shared)
    }
}
