import Foundation
import Testing
@testable import Outlets

// Tiny files written for these tests in each rater's format; the real files are only read
// (never copied) by `realFiles` below, which skips when they are absent.

private let mbfcJSON = Data("""
    {"version": 5, "date": "2026-08-19T10:00:49.597Z", "aliases": {"bbc.co.uk": "bbc.com"},
     "sources": [
       {"domain": "bbc.com", "name": "BBC", "url": "https://mbfc.example/bbc", "bias": "left-center", "reporting": "high", "questionable": []},
       {"domain": "hoax.example", "name": "Hoax Daily", "bias": "fake-news", "reporting": "very-low", "questionable": ["propaganda"]},
       {"domain": "onion.example", "name": "The Onion", "bias": "satire", "reporting": "mixed"},
       {"domain": "quack.example", "name": "Quack", "bias": "conspiracy-pseudoscience", "reporting": "low"},
       {"domain": "nothing.example", "name": "Nothing", "bias": "", "reporting": ""},
       {"name": "No Domain", "bias": "left"},
       {"domain": "big.example/local-section", "name": "Big Local", "bias": "center", "reporting": "high"}
     ]}
    """.utf8)

private let balyTSV = Data("source_url\tsource_url_normalized\tref\tfact\tbias\nhttps://a.example\ta.example\thttps://mbfc.example/a\thigh\textreme-left\n".utf8)

private let allSidesCSV = Data("""
    news_source,rating,rating_num,type,url
    "The Daily Example (Online News)",left-center,2,News Media,https://allsides.example/daily
    The Daily Example (Opinion),left,1,News Media,https://allsides.example/daily-op
    "Comma, Inc.",center,3,News Media,https://allsides.example/comma
    Panel Paper,allsides,0,News Media,https://allsides.example/panel
    Odd One,far-out,0,News Media,

    """.utf8)

private let adFontesCSV = Data("source,reliability,bias\nDaily Example,44.5,-7.2\nSky Thing,0,0\nRight Wing Weekly,30,19\nMiddle,40,6\n".utf8)

private let panelCSV = Data("""
    rater,domain,name,bias,factuality,label,category,date,url
    My Panel,bbc.com,,center,very-high,"Centre, ""mostly"\"",,2026-01-02,https://panel.example/bbc
    My Panel,,The Daily Example,lean-right,,,,2026-01-02,
    My Panel,satire.example,Satire Site,,,,satire,2026-01-02,

    """.utf8)

@Suite("Reading raters' files")
struct RatingParsingTests {
    @Test func mbfcJSONKeepsQuestionableAndSatireAsCategories() throws {
        let parsed = try RatingImport.parse(mbfcJSON, format: .mbfc, file: "combined.json", date: nil)
        let byDomain = Dictionary(uniqueKeysWithValues: parsed.records.map { ($0.domains[0], $0) })
        #expect(byDomain["bbc.com"]?.rating == Rating(
            rater: "MBFC", bias: .leanLeft, factuality: .high, label: "bias=left-center; reporting=high", date: "2026-08-19",
            url: "https://mbfc.example/bbc"))
        #expect(byDomain["bbc.com"]?.domains == ["bbc.com", "bbc.co.uk"])
        #expect(byDomain["hoax.example"]?.rating.bias == nil)
        #expect(byDomain["hoax.example"]?.rating.category == "questionable")
        #expect(byDomain["hoax.example"]?.rating.factuality == .veryLow)
        #expect(byDomain["hoax.example"]?.rating.label == "bias=fake-news; reporting=very-low; questionable=propaganda")
        #expect(byDomain["onion.example"]?.rating.category == "satire")
        #expect(byDomain["onion.example"]?.rating.bias == nil)
        #expect(byDomain["quack.example"]?.rating.category == "conspiracy-pseudoscience")
        #expect(parsed.skipped == ["neither a lean, a factual rating nor a category": 1, "no domain": 1])
        #expect(byDomain["big.example/local-section"] != nil)  // left for the merge to refuse
    }

    @Test func mbfcTSVNeedsADate() throws {
        #expect(throws: RatingImportError.self) { try RatingImport.parse(balyTSV, format: .mbfc, file: "corpus.tsv", date: nil) }
        let parsed = try RatingImport.parse(balyTSV, format: .mbfc, file: "corpus.tsv", date: "2018-06-01")
        #expect(parsed.records.map(\.rating.bias) == [.left])
        #expect(parsed.records.first?.domains == ["a.example"])
    }

    @Test func allSidesByNameWithQuotedFields() throws {
        let parsed = try RatingImport.parse(allSidesCSV, format: .allsides, file: "allsides.csv", date: "2019-10-18")
        #expect(parsed.records.map(\.name) == ["The Daily Example (Online News)", "The Daily Example (Opinion)", "Comma, Inc.", "Panel Paper"])
        #expect(parsed.records.map(\.rating.bias) == [.leanLeft, .left, .center, nil])
        #expect(parsed.records[3].rating.category == "allsides")
        #expect(parsed.skipped == ["no name or unknown rating": 1])
    }

    @Test func adFontesBucketsAndDateFromTheFileName() throws {
        let parsed = try RatingImport.parse(adFontesCSV, format: .adfontes, file: "/x/ratings__2022_01_17.csv", date: nil)
        #expect(parsed.records.map(\.rating.bias) == [.leanLeft, .right, .center])
        #expect(parsed.records.allSatisfy { $0.rating.date == "2022-01-17" })
        #expect(parsed.records[0].rating.label == "bias -7.2, reliability 44.5")
        #expect(parsed.skipped.values.reduce(0, +) == 1)
        #expect(throws: RatingImportError.self) { try RatingImport.parse(adFontesCSV, format: .adfontes, file: "ratings.csv", date: nil) }
    }

    @Test(arguments: [(-42.0, Bias.left), (-18.01, .left), (-18, .leanLeft), (-6.01, .leanLeft), (-6, .center), (6, .center), (6.01, .leanRight), (18, .leanRight), (18.01, .right)])
    func adFontesBoundaries(_ score: Double, _ bias: Bias) {
        #expect(RatingImport.adFontesBias(score) == bias)
    }

    @Test func genericCSV() throws {
        let parsed = try RatingImport.parse(panelCSV, format: .csv, file: "mine.csv", date: nil)
        #expect(parsed.records.count == 3)
        #expect(parsed.records[0].rating == Rating(
            rater: "My Panel", bias: .center, factuality: .veryHigh, label: "Centre, \"mostly\"", date: "2026-01-02", url: "https://panel.example/bbc"))
        #expect(parsed.records[1].domains.isEmpty && parsed.records[1].name == "The Daily Example")
        #expect(parsed.records[2].rating.category == "satire")
    }

    @Test(arguments: [
        ("rater,domain,bias,date\nX,a.example,far-left,2026-01-01\n", "mine.csv:2: 'far-left' is not a bias"),
        ("rater,domain,date\nX,a.example,yesterday\n", "mine.csv:2: date 'yesterday' must be written YYYY-MM-DD"),
        ("rater,domain,colour\n", "mine.csv:1: unknown column 'colour'"),
        ("rater,bias\n", "mine.csv:1: the header needs a 'domain' or a 'name' column"),
        ("domain\n", "mine.csv:1: no 'rater' column"),
        ("rater,domain,date\nX,a.example\n", "mine.csv:2: 2 fields where the header has 3"),
    ])
    func genericCSVErrorsNameFileAndLine(_ text: String, _ message: String) {
        do {
            _ = try RatingImport.parse(Data(text.utf8), format: .csv, file: "mine.csv", date: nil)
            Issue.record("no error for \(text)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test func notJSONIsAClearError() {
        #expect(throws: RatingImportError.self) { try RatingImport.parse(Data("{\"oops\": 1}".utf8), format: .mbfc, file: "x.json", date: nil) }
    }
}

@Suite("Merging ratings into outlets")
struct RatingMergeTests {
    let existing = [
        Outlet(id: "bbc", name: "BBC News", domains: ["bbc.com"], manualBias: .right, ownership: .publicBroadcaster,
               ratings: [Rating(rater: "MBFC", bias: .center, date: "2025-01-01")]),
        Outlet(id: "daily", name: "The Daily Example", domains: ["daily.example"], manualFactuality: .low),
    ]

    @Test func matchesByDomainAndNameAddsNewAndKeepsManualValues() throws {
        let records = try RatingImport.parse(mbfcJSON, format: .mbfc, file: "c.json", date: nil).records
            + RatingImport.parse(allSidesCSV, format: .allsides, file: "a.csv", date: "2019-10-18").records
        let (outlets, report) = RatingMerge.merge(records, into: existing, addNew: true)
        let bbc = try #require(outlets.first { $0.id == "bbc" })
        #expect(bbc.manualBias == .right)
        #expect(bbc.ownership == .publicBroadcaster)
        #expect(bbc.bias == .right)
        #expect(bbc.ratings.map(\.date) == ["2026-08-19"])
        #expect(bbc.domains == ["bbc.com", "bbc.co.uk"])
        let daily = try #require(outlets.first { $0.id == "daily" })
        #expect(daily.manualFactuality == .low)
        #expect(daily.ratings.map(\.rater) == ["AllSides"])
        #expect(daily.ratings.first?.bias == .leanLeft)
        #expect(outlets.map(\.id).contains("hoax-example"))
        #expect(outlets.first { $0.id == "hoax-example" }?.bias == .unrated)
        #expect(report.matched == 2)
        #expect(report.added == 3)
        #expect(report.skipped["a section of a site (a domain with a path), not a whole outlet"] == 1)
        #expect(report.skipped["an opinion section (the news rating is used)"] == 1)
        #expect(report.skipped["no outlet of that name, and no domain to add one by"] == 2)
    }

    @Test func matchOnlyAddsNothingAndOlderRatingsDoNotWin() throws {
        let records = try RatingImport.parse(mbfcJSON, format: .mbfc, file: "c.json", date: nil).records
        let (outlets, report) = RatingMerge.merge(records, into: existing, addNew: false)
        #expect(outlets.map(\.id) == ["bbc", "daily"])
        #expect(report.added == 0)
        let older = [RatingRecord(name: "BBC", domains: ["bbc.com"], rating: Rating(rater: "MBFC", bias: .left, date: "2020-01-01"))]
        let (again, olderReport) = RatingMerge.merge(older, into: outlets, addNew: true)
        #expect(again.first?.ratings.first?.date == "2026-08-19")
        #expect(olderReport.skipped["older than the rating of that rater already recorded"] == 1)
    }

    @Test func subdomainEntriesAreSeparateOutlets() {
        let record = RatingRecord(name: "BBC Blogs", domains: ["blogs.bbc.com"], rating: Rating(rater: "MBFC", bias: .left, date: "2026-01-01"))
        let (outlets, report) = RatingMerge.merge([record], into: existing, addNew: true)
        #expect(report.added == 1)
        #expect(outlets.last?.id == "blogs-bbc-com")
        #expect(outlets.first?.ratings.first?.bias == .center)
    }

    @Test func idsAreUniqueAndValid() {
        let taken = ["a-example": 0]
        #expect(RatingMerge.uniqueID(for: "a.example", taken: taken) == "a-example-2")
        #expect(RatingMerge.uniqueID(for: "Ünï.example", taken: [:]) == "-n--example")
    }

    @Test(arguments: [("The New York Times (News)", "newyorktimes"), ("new york times", "newyorktimes"), ("CNN (Online News)", "cnn"), ("Theater Weekly", "theaterweekly")])
    func names(_ name: String, _ normalised: String) {
        #expect(RatingMerge.normalisedName(name) == normalised)
    }
}

@Suite("The rating rule")
struct RatingRuleTests {
    let ratings = [
        Rating(rater: "AllSides", bias: .left, date: "2019-10-18"),
        Rating(rater: "MBFC", bias: .center, factuality: .high, date: "2026-08-19"),
        Rating(rater: "Ad Fontes Media", bias: .right, factuality: .mixed, date: "2022-01-17"),
    ]

    @Test func meanOfAllRaters() {
        let outlet = Outlet(id: "x", name: "X", domains: ["x.example"], ratings: ratings)
        #expect(outlet.bias == .center)
        #expect(outlet.factuality == .mostlyFactual)
    }

    @Test func priorityTakesTheFirstRaterWithAValue() {
        var outlet = Outlet(id: "x", name: "X", domains: ["x.example"], ratings: ratings)
        outlet.rule = .priority(["AllSides", "MBFC"])
        #expect(outlet.bias == .left)
        #expect(outlet.factuality == .high)  // AllSides gives none, so MBFC's
        outlet.rule = .priority(["Nobody"])
        #expect(outlet.bias == .right)  // unlisted raters by name: Ad Fontes Media first
        outlet.manualBias = .leanLeft
        #expect(outlet.bias == .leanLeft)
    }
}

enum RealData {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/data").standardizedFileURL
    static var present: Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent("mbfc-mbfcext/combined.json").path) }
}

@Suite("Raters' real files", .enabled(if: RealData.present, "the raters' data files are not in ../shared/data (see SOURCES.md): skipped"))
struct RealRatingFiles {

    func read(_ path: String, _ format: RatingFormat, date: String? = nil) throws -> ParsedRatings {
        let url = RealData.directory.appendingPathComponent(path)
        return try RatingImport.parse(Data(contentsOf: url), format: format, file: url.path, date: date)
    }

    @Test func mbfcExtensionJSON() throws {
        let parsed = try read("mbfc-mbfcext/combined.json", .mbfc)
        #expect(parsed.records.count > 9_000)
        #expect(parsed.records.allSatisfy { $0.rating.date == "2026-08-19" })
        let questionable = parsed.records.filter { $0.rating.category == "questionable" }
        #expect(questionable.count > 500)
        #expect(questionable.allSatisfy { $0.rating.bias == nil })
        #expect(parsed.records.contains { $0.rating.category == "satire" })
    }

    @Test func balyTSV() throws {
        let parsed = try read("mbfc-baly/emnlp18_corpus.tsv", .mbfc, date: "2018-06-01")
        #expect(parsed.records.count > 1_000)
    }

    @Test func allSidesCSV() throws {
        let parsed = try read("allsides-allsider/allsides_data.csv", .allsides, date: "2019-10-18")
        #expect(parsed.records.count > 500)
        #expect(parsed.records.allSatisfy { $0.domains.isEmpty })
    }

    @Test func adFontesCSV() throws {
        let parsed = try read("adfontes-mrdevs/ad_fontes_media_sources_ratings__2022_01_17.csv", .adfontes)
        #expect(parsed.records.count > 400)
        #expect(parsed.skipped.values.reduce(0, +) >= 1)  // Sky News is 0, 0
    }
}
