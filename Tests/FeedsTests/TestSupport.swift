import Foundation
import Testing
@testable import Feeds

/// A UTC instant built with Foundation's calendar, independent of `FeedDate`'s own arithmetic.
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Double = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let whole = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    return whole.addingTimeInterval(second)
}

func fixture(_ name: String) throws -> Data {
    let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
    let url = try #require(Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Fixtures"), "fixture \(name)")
    return try Data(contentsOf: url)
}

func parseFixture(_ name: String, url: String? = nil, encoding: String? = nil) throws -> ParsedFeed {
    try FeedParser.parse(fixture(name), url: url, encoding: encoding)
}

func item(
    title: String, link: String?, guid: String? = nil, summary: String = "", content: String = "", author: String? = nil,
    published: Date? = nil, updated: Date? = nil, language: String? = nil, sourceName: String? = nil,
    sourceURL: String? = nil, categories: [String] = [], enclosures: [Enclosure] = [], group: String? = nil
) -> ParsedItem {
    var item = ParsedItem()
    item.title = title
    item.link = link
    item.guid = guid
    item.summary = summary
    item.content = content
    item.author = author
    item.published = published
    item.updated = updated
    item.language = language
    item.sourceName = sourceName
    item.sourceURL = sourceURL
    item.authors = author.map { [$0] } ?? []
    item.categories = categories
    item.enclosures = enclosures
    item.group = group
    return item
}
