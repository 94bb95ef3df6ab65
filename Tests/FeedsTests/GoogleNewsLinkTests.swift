import Foundation
import Testing
@testable import Feeds

/// An older-form Google News article link, built the way Google builds it: base64url of a
/// protobuf message with field 1 = 19 and the publisher's URL as field 4 (then an empty field 26).
func googleNewsLink(to publisherURL: String) -> String {
    let url = Array(publisherURL.utf8)
    precondition(url.count < 128, "one-byte length prefix")
    let message: [UInt8] = [0x08, 0x13, 0x22, UInt8(url.count)] + url + [0xD2, 0x01, 0x00]
    let payload = Data(message).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
    return "https://news.google.com/rss/articles/\(payload)?oc=5"
}

@Suite("Google News links")
struct GoogleNewsLinkTests {
    @Test func theOlderFormHoldsThePublishersURL() {
        let publisher = "https://ledger.example/news/bridge-money?id=7"
        #expect(GoogleNewsLink.read(googleNewsLink(to: publisher)) == .publisher(publisher))
        // Also under /articles/ without /rss, and with the payload's padding left on.
        let bare = googleNewsLink(to: "https://a.example/x").replacingOccurrences(of: "/rss/articles/", with: "/articles/")
        #expect(GoogleNewsLink.read(bare) == .publisher("https://a.example/x"))
    }

    @Test func newerAndDamagedPayloadsAreOpaque() {
        // The newer form: field 4 holds an id only Google can resolve.
        let opaque = "https://news.google.com/rss/articles/CBMiLkFVX3lxTFBmaWN0aW9uYWxPcGFxdWVQYXlsb2FkMDEyMzQ1Njc4OWFiY2RlZmfSAQA?oc=5"
        #expect(GoogleNewsLink.read(opaque) == .opaque)
        #expect(GoogleNewsLink.read("https://news.google.com/rss/articles/!!not-base64!!") == .opaque)
        // A length running past the end of the message.
        #expect(GoogleNewsLink.read("https://news.google.com/rss/articles/CBMi_w") == .opaque)
        #expect(GoogleNewsLink.read(googleNewsLink(to: "javascript:alert(1)")) == .opaque)
    }

    @Test func otherLinksAreNoGoogleNewsLinks() {
        #expect(GoogleNewsLink.read("https://harbortimes.example/articles/CBMiAA") == nil)
        #expect(GoogleNewsLink.read("https://news.google.com/topics/CAAqJggKIiBDQkFTRWdvSUwyMHZNRGx1YlY4U0FtVnVHZ0pWVXlnQVAB") == nil)
        #expect(GoogleNewsLink.read("https://news.google.com.example/rss/articles/CBMiAA") == nil)
    }

    @Test func theCanonicalURLIsThePublishers() {
        let link = googleNewsLink(to: "https://WWW.Ledger.example/news/bridge?utm_source=gn&page=2#top")
        #expect(CanonicalURL.canonicalize(link) == "https://www.ledger.example/news/bridge?page=2")
        #expect(CanonicalURL.host(of: CanonicalURL.canonicalize(link)!) == "ledger.example")
        let opaque = "https://news.google.com/rss/articles/CBMiLkFVX3lxTFBmaWN0aW9uYWxPcGFxdWVQYXlsb2FkMDEyMzQ1Njc4OWFiY2RlZmfSAQA?oc=5"
        #expect(CanonicalURL.canonicalize(opaque) == opaque)
    }

    @Test func theFixturesItemsDedupWithThePublishersOwnArticle() throws {
        let feed = try FeedSource(url: "https://news.google.com/rss?hl=en-US", kind: .aggregator).parse(fixture("google-news-links.xml"))
        #expect(feed.items.map { $0.link.flatMap(CanonicalURL.canonicalize) } == [
            "https://harbortimes.example/2026/11/bridge-budget", "https://ledger.example/news/bridge-money",
            "https://news.google.com/rss/articles/CBMiLkFVX3lxTFBmaWN0aW9uYWxPcGFxdWVQYXlsb2FkMDEyMzQ1Njc4OWFiY2RlZmfSAQA?oc=5",
        ])
        #expect(feed.items[2].sourceURL == "https://coastradio.example")
    }

    /// The Japanese edition's file (../shared/data, never copied): its older links name asahi.com
    /// and the other publishers; its one newer-form link stays opaque.
    @Test func theRealJapaneseFileWhenPresent() throws {
        let file = URL(fileURLWithPath: "/work/shared/data/google-news-rss/google-news-jp-top-stories-2024-02-06.xml")
        guard let data = try? Data(contentsOf: file) else {
            print("skipped: \(file.path) is absent")
            return
        }
        let feed = try FeedSource(url: "https://news.google.com/rss?hl=ja&gl=JP&ceid=JP:ja", kind: .aggregator).parse(data)
        let readings = feed.items.compactMap { $0.link.flatMap(GoogleNewsLink.read) }
        #expect(readings.count == feed.items.count)
        let hosts = readings.compactMap { reading -> String? in
            guard case .publisher(let url) = reading else { return nil }
            return CanonicalURL.host(of: url)
        }
        #expect(hosts.count >= readings.count - 2, "\(readings.count - hosts.count) opaque")
        #expect(hosts.contains("asahi.com"))
        #expect(feed.items.first.flatMap { $0.link.flatMap(CanonicalURL.canonicalize) }?.hasPrefix("https://www.asahi.com/articles/") == true)
        #expect(!hosts.contains("news.google.com"))
    }
}
