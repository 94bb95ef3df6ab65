import Feeds
import Foundation

/// libFuzzer entry point: every input goes through each reader a user's bytes can reach.
/// A crash, a sanitizer report or a hang is a finding; returned errors are expected.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    // Read as an aggregator's feed, so its lists of links go through the related-coverage expansion too.
    _ = try? FeedSource(url: "https://fuzz.example/feed", kind: .aggregator).parse(data)
    _ = try? OPML.parse(data, url: "https://fuzz.example/list.opml")
    return 0
}
