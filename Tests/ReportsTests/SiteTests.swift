import Coverage
import Foundation
import Outlets
import Stories
import Testing
@testable import Reports

#if canImport(FoundationXML)
import FoundationXML
#endif

private let t0 = Date(timeIntervalSince1970: 1_795_000_000)

private let outlets = [
    Outlet(id: "left", name: "Left Daily", domains: ["left.example"], manualBias: .left, country: "US"),
    Outlet(id: "center", name: "Center \"Wire\" <b>", domains: ["center.example"], manualBias: .center,
           ratings: [Rating(rater: "Rater <A>", bias: .center, label: "Least <Biased>", date: "2026-11-01", url: "javascript:alert(1)")]),
    Outlet(id: "right", name: "Right Herald", domains: ["right.example"], manualBias: .right, ownership: .billionaire, country: "GB"),
]

private let method = Method(outlets: outlets, clustering: "lexical-centroid-1", blindspot: BlindspotRule())

private func article(_ outletID: String?, _ minutes: Double, title: String, url: String, domain: String? = nil, source: String? = nil) -> Article {
    let time = t0.addingTimeInterval(minutes * 60)
    return Article(
        canonicalURL: url + "#\(minutes)", url: url, outletID: outletID, domain: domain ?? "\(outletID ?? "x").example", sourceName: source,
        title: title, summary: "s \(minutes)", language: "en", publishedAt: time, firstSeenAt: time, feedURL: "file:///feed.xml")
}

/// Feed text written to attack each renderer: markup, event attributes, hostile URLs, escape sequences.
private let hostile: Coverage = {
    let articles = [
        article("left", 0, title: "<script>alert(1)</script>", url: "javascript:alert(document.cookie)"),
        article("left", 1, title: "x\" onmouseover=\"alert(1)", url: "JaVaScRiPt:alert(1)"),
        article("center", 2, title: "<img src=x onerror=alert(1)>", url: "data:text/html;base64,PHNjcmlwdD4="),
        article("right", 3, title: "=HYPERLINK(\"http://evil.example\")", url: "https://right.example/\"><script>alert(1)</script>"),
        article("right", 70, title: "Title\u{1B}]0;pwned\u{07}\u{1B}[2J", url: " javascript:alert(1)"),
        article(nil, 95, title: "vbscript", url: "vbscript:msgbox(1)", domain: "../../etc", source: "<svg onload=alert(1)>"),
    ]
    let story = Story(id: 9, title: "<script>alert('t')</script>\u{1B}[2J", firstSeenAt: t0, lastSeenAt: t0.addingTimeInterval(95 * 60), articleCount: 6)
    return CoverageTally.tally(story: story, articles: articles, registry: OutletRegistry(outlets), rule: BlindspotRule(minimumRatedOutlets: 2))
}()

private func text(_ file: ReportFile) -> String { String(decoding: file.contents, as: UTF8.self) }

private let allFiles = FileReports.files(for: [hostile], outlets: outlets, method: method, generatedAt: t0)

@Suite("HTML site and feeds are safe")
struct SiteSafetyTests {
    @Test(arguments: allFiles.filter { $0.path.hasSuffix(".html") }.map(\.path))
    func htmlEscapesEverythingAndLinksOnlyToHTTP(_ path: String) throws {
        let html = text(try #require(allFiles.first { $0.path == path }))
        let lower = html.lowercased()
        #expect(!lower.contains("<script"))
        #expect(!lower.contains("<img"))
        #expect(!lower.contains("<svg onload"))
        #expect(!lower.contains("<b>"))
        // No tag carries an event attribute: feed text with one stays text.
        #expect(lower.firstMatch(of: /<[a-z][^<>]*\son[a-z]+\s*=/) == nil)
        #expect(!lower.contains("href=\"javascript:") && !lower.contains("href=\"data:"))
        #expect(!html.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        for match in html.matches(of: /(?:href|src)="([^"]*)"/) {
            let target = String(match.1).lowercased()
            let relative = !target.contains(":") && !target.hasPrefix("/") && !target.hasPrefix("//")
            #expect(target.hasPrefix("https://") || target.hasPrefix("http://") || relative, "\(path): \(target)")
        }
    }

    @Test func hostileStoryPageShowsTheTextAsText() throws {
        let html = text(try #require(allFiles.first { $0.path == "stories/9.html" }))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("x&quot; onmouseover=&quot;alert(1)"))
        #expect(html.contains("^[[2J"))
        // The one http link keeps its quote and brackets escaped inside the attribute.
        #expect(html.contains("href=\"https://right.example/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""))
        #expect(!html.lowercased().contains("javascript:"))
        #expect(!html.lowercased().contains("data:text"))
        #expect(html.contains("class=\"bias-bar\""))
        #expect(html.contains("class=\"timeline\""))
    }

    @Test func outletPageNeverLinksARatersHostileURL() throws {
        let html = text(try #require(allFiles.first { $0.path == "outlets/center.html" }))
        #expect(html.contains("Least &lt;Biased&gt;"))
        #expect(!html.contains("javascript:"))
        #expect(html.contains("Center &quot;Wire&quot; &lt;b&gt;"))
    }

    @Test func outletPageOfAHostileDomainCannotTraverse() {
        let pages = allFiles.map(\.path).filter { $0.hasPrefix("outlets/") }
        #expect(pages.count == 4)
        for page in pages {
            #expect(!page.dropFirst("outlets/".count).contains("/"))
            #expect(!page.contains(".."))
        }
    }

    @Test(arguments: ["stories.atom", "blindspots.atom"])
    func atomFeedsAreWellFormedXML(_ path: String) throws {
        let data = try #require(allFiles.first { $0.path == path }).contents
        let parser = XMLParser(data: data)
        #expect(parser.parse(), "\(path): \(String(describing: parser.parserError))")
        let xml = String(decoding: data, as: UTF8.self)
        #expect(!xml.contains("<script"))
    }

    @Test func atomFeedOfStoriesHasOneEntryPerStory() throws {
        let xml = text(try #require(allFiles.first { $0.path == "stories.atom" }))
        #expect(xml.contains("<id>urn:parallax:story:9</id>"))
        #expect(xml.contains("<link rel=\"alternate\" type=\"text/html\" href=\"stories/9.html\"/>"))
        #expect(xml.components(separatedBy: "<entry>").count == 2)
    }

    @Test func csvQuotesFieldsAndDefusesFormulas() {
        let csv = CSVExport.stories([StorySummary(hostile)])
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == CSVExport.columns.joined(separator: ","))
        #expect(lines[1].hasPrefix("\"9\",\"<script>alert('t')</script>^[[2J\","))
        #expect(CSVExport.field("=SUM(A1)") == "\"'=SUM(A1)\"")
        #expect(CSVExport.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVExport.field("-1") == "\"'-1\"")
        #expect(!csv.unicodeScalars.contains { $0.value == 0x1B })
    }
}

@Suite("File names")
struct FileNameTests {
    @Test(arguments: ["left", "bbc.co.uk", "news-1", "a.b-c"])
    func cleanKeysStayAsTheyAre(_ key: String) {
        #expect(FileName.slug(key) == key)
    }

    @Test(arguments: ["../../etc/passwd", "..", ".", "", "/abs", "a/b", "A.example", "a..b", ".hidden", "x\u{0}y", "서울.kr", String(repeating: "a", count: 300)])
    func otherKeysBecomeSafeNames(_ key: String) {
        let slug = FileName.slug(key)
        #expect(slug.count <= 80)
        #expect(!slug.isEmpty)
        #expect(slug.wholeMatch(of: /[a-z0-9][a-z0-9.\-]*_[0-9a-f]{16}|[a-z0-9\-][a-z0-9\-]*_[0-9a-f]{16}|x_[0-9a-f]{16}/) != nil, "\(slug)")
        #expect(!slug.contains("/") && !slug.contains(".."))
    }

    @Test func differentKeysNeverShareAName() {
        let keys = ["a/b", "a?b", "a b", "A/B", "a-b", "a_b", String(repeating: "a", count: 300), String(repeating: "a", count: 301), "a..b", "a.b"]
        #expect(Set(keys.map(FileName.slug)).count == keys.count)
    }

    @Test func storyFilesAreNamedByNumber() {
        #expect(FileName.storyFiles(-3) == ["stories/-3.md", "stories/-3.json", "stories/-3.html"])
    }
}

@Suite("Coverage in the renderers")
struct CoverageRenderingTests {
    @Test func storyPageHasEverySection() throws {
        let html = HTMLReport.story(hostile, method: method)
        for heading in ["Bias of the outlets", "Who was first", "Timeline", "Headlines side by side", "Reliability, ownership and countries", "Outlets", "Articles", "Method"] {
            #expect(html.contains("<h2>\(heading)</h2>"), "\(heading)")
        }
        #expect(html.contains("It took 3 min to reach the other side."))
        #expect(html.contains("<li>US: 1</li>"))
        #expect(html.contains("<li>billionaire: 1</li>"))
        #expect(html.contains("<html lang=\"en\">"))
        #expect(html.contains("name=\"viewport\""))
        #expect(html.contains("role=\"img\" aria-label=\"Outlets by bias: Left 1, Lean Left 0, Center 1, Lean Right 0, Right 1, Unrated 1\""))
    }

    @Test func indexPagesOrderByCoverageAndRecency() {
        let small = StorySummary(CoverageTally.tally(
            story: Story(id: 2, title: "Small", firstSeenAt: t0.addingTimeInterval(9_000), lastSeenAt: t0.addingTimeInterval(9_000), articleCount: 1),
            articles: [article("left", 150, title: "Small", url: "https://left.example/s")], registry: OutletRegistry(outlets), rule: BlindspotRule()))
        let summaries = [small, StorySummary(hostile)]
        func page(_ order: HTMLReport.IndexOrder) -> String {
            let rows = order.arrange(summaries)
            return HTMLReport.index(rows, at: .init(order: order, page: 1, pageCount: 1, storyCount: rows.count), method: method, generatedAt: t0)
        }
        let byCoverage = page(.coverage)
        let recent = page(.recency)
        #expect(byCoverage.range(of: "stories/9.html")!.lowerBound < byCoverage.range(of: "stories/2.html")!.lowerBound)
        #expect(recent.range(of: "stories/2.html")!.lowerBound < recent.range(of: "stories/9.html")!.lowerBound)
        let blindspots = page(.blindspots)
        #expect(blindspots.contains("0 stories"))
        #expect(!byCoverage.contains("aria-label=\"Pages\""))
    }
}

@Suite("JSON schema")
struct JSONSchemaTests {
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../schemas").standardizedFileURL

    func validator(_ name: String) throws -> JSONSchemaValidator {
        JSONSchemaValidator(root: try JSONValue.parse(Data(contentsOf: Self.schemas.appendingPathComponent(name))))
    }

    @Test func storyReportsMatchTheSchema() throws {
        let schema = try validator("story.v\(JSONReport.schemaVersion).schema.json")
        for coverage in [hostile] {
            let errors = schema.errors(try JSONValue.parse(JSONReport.story(coverage, method: method, generatedAt: t0)))
            #expect(errors.isEmpty, "\(errors)")
        }
        let empty = CoverageTally.tally(
            story: Story(id: 1, title: "", firstSeenAt: t0, lastSeenAt: t0, articleCount: 0), articles: [],
            registry: OutletRegistry([]), rule: BlindspotRule())
        #expect(schema.errors(try JSONValue.parse(JSONReport.story(empty, method: method, generatedAt: t0))).isEmpty)
    }

    @Test func aCorrectedStoryNamesItsCorrectionsInEveryFormatAndMatchesTheSchema() throws {
        var corrected = hostile
        corrected.corrections = [CorrectionNote(correctionID: 4, kind: .move, date: t0, text: "1 article moved here from story 9 by a user")]
        let schema = try validator("story.v\(JSONReport.schemaVersion).schema.json")
        let json = JSONReport.story(corrected, method: method, generatedAt: t0)
        #expect(schema.errors(try JSONValue.parse(json)).isEmpty)
        let story = try #require((try JSONSerialization.jsonObject(with: json) as? [String: Any])?["story"] as? [String: Any])
        let entries = try #require(story["corrections"] as? [[String: Any]])
        #expect(entries.count == 1 && entries[0]["id"] as? Int == 4 && entries[0]["kind"] as? String == "move")
        // Absent, not empty, for a story nobody corrected: older readers see the same document.
        let plain = try JSONSerialization.jsonObject(with: JSONReport.story(hostile, method: method, generatedAt: t0)) as? [String: Any]
        #expect((plain?["story"] as? [String: Any])?["corrections"] == nil)

        let line = "User correction: correction #4 of 2026-11-18: 1 article moved here from story 9 by a user"
        let markdown = MarkdownReport.story(corrected, method: method)
        #expect(markdown.components(separatedBy: "## Method").last?.contains("User correction: correction \\#4 of 2026-11-18") == true)
        #expect(HTMLReport.story(corrected, method: method).contains("<li>\(line)</li>"))
        #expect(!MarkdownReport.story(hostile, method: method).contains("User correction"))
    }

    @Test func indexMatchesTheSchema() throws {
        let schema = try validator("index.v\(JSONReport.schemaVersion).schema.json")
        let errors = schema.errors(try JSONValue.parse(JSONReport.index([StorySummary(hostile)], method: method, generatedAt: t0)))
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test func theValidatorRejectsWhatTheSchemaForbids() throws {
        let schema = try validator("story.v\(JSONReport.schemaVersion).schema.json")
        var object = try JSONSerialization.jsonObject(with: JSONReport.story(hostile, method: method, generatedAt: t0)) as! [String: Any]
        var story = object["story"] as! [String: Any]
        story["articleCount"] = -1
        story["surprise"] = true
        story.removeValue(forKey: "timeline")
        object["story"] = story
        object["schemaVersion"] = 1
        let errors = schema.errors(try JSONValue.parse(JSONSerialization.data(withJSONObject: object)))
        #expect(errors.contains { $0.contains("articleCount") })
        #expect(errors.contains { $0.contains("surprise") })
        #expect(errors.contains { $0.contains("missing timeline") })
        #expect(errors.contains { $0.hasPrefix("$.schemaVersion") })
    }
}

@Suite("Dates and decimals")
struct UTCTimeTests {
    @Test(arguments: [0.0, 951_782_400, 1_795_000_000, 4_107_542_399, -86_401, 1_709_164_800, 253_402_300_799])
    func agreesWithFoundation(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        #expect(UTCTime.minute(date) == formatter.string(from: date))
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        #expect(UTCTime.iso(date) == formatter.string(from: date))
    }

    @Test(arguments: [(12.345, 2, "12.35"), (0, 1, "0.0"), (100, 1, "100.0"), (33.333, 1, "33.3"), (0.05, 2, "0.05"), (7.999, 2, "8.00")])
    func decimals(_ value: Double, _ places: Int, _ expected: String) {
        #expect(UTCTime.decimal(value, places: places) == expected)
    }
}
