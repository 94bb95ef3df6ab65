import Feeds
import Foundation

private let rules = ExtractionRules(
    item: "//li | //tr | //div[@class]", title: ".//a", link: ".//a/@href", outlet: "string(.//cite)",
    time: "string(.//time/@datetime)", summary: ".//p", group: "ancestor::*[@id][1]/@id")

/// libFuzzer entry point for the HTML side: page metadata, autodiscovery and rule extraction.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    _ = ArticleMetadata.read(html: data, pageURL: "https://fuzz.example/page")
    _ = FeedAutodiscovery.discover(html: data, pageURL: "https://fuzz.example/page")
    _ = try? HTMLExtractor.extract(html: data, pageURL: "https://fuzz.example/page", rules: rules)
    return 0
}
