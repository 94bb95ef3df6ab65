import Testing
@testable import Feeds

@Suite("CanonicalURL")
struct CanonicalURLTests {
    @Test(arguments: [
        ("HTTPS://WWW.Example.COM/Path/Story", "https://www.example.com/Path/Story"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com./a", "https://example.com/a"),
        ("  https://example.com/a \n", "https://example.com/a"),
        (
            "https://example.com/a?utm_source=rss&id=42&utm_medium=feed&UTM_Campaign=x&fbclid=abc&gclid=def",
            "https://example.com/a?id=42"
        ),
        ("https://example.com/a?z=1&a=2&m=3", "https://example.com/a?z=1&a=2&m=3"),
        ("https://example.com/a?z=1&utm_term=q&a=2#top", "https://example.com/a?z=1&a=2"),
        ("https://example.com/a?utm_source=x&fbclid=y", "https://example.com/a"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/a?page=2&&ref=home", "https://example.com/a?page=2&ref=home"),
        ("https://example.com/search?q=a%20b&lang=en", "https://example.com/search?q=a%20b&lang=en"),
        ("https://example.com/caf%C3%A9", "https://example.com/caf%C3%A9"),
    ])
    func canonicalForm(_ link: String, _ expected: String) {
        #expect(CanonicalURL.canonicalize(link) == expected)
    }

    @Test(arguments: [
        "ftp://example.com/file", "javascript:alert(1)", "mailto:desk@example.com", "data:text/html,hi",
        "file:///etc/passwd", "/relative/path", "example.com/no-scheme", "", "https://", "http:///nohost",
    ])
    func nonHTTPIsNil(_ link: String) {
        #expect(CanonicalURL.canonicalize(link) == nil)
    }

    @Test func sameArticleFromTwoFeedsHasOneCanonicalForm() {
        let fromRSS = CanonicalURL.canonicalize("https://News.Example.com:443/2026/story?id=7&utm_source=rss#comments")
        let fromSocial = CanonicalURL.canonicalize("https://news.example.com/2026/story?id=7&fbclid=IwAR0xyz")
        #expect(fromRSS != nil)
        #expect(fromRSS == fromSocial)
    }

    @Test func hostDropsWWWAndCase() {
        #expect(CanonicalURL.host(of: "https://WWW.Example.com/x") == "example.com")
        #expect(CanonicalURL.host(of: "https://edition.example.com") == "edition.example.com")
        #expect(CanonicalURL.host(of: "not a url") == nil)
        #expect(CanonicalURL.host(of: "/relative") == nil)
    }
}
