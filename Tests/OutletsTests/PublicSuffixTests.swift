import Testing
@testable import Outlets
import PublicSuffix

@Suite("Public-suffix aware outlet lookup")
struct PublicSuffixTests {
    @Test(arguments: [
        ("news.bbc.co.uk", "bbc.co.uk"), ("bbc.co.uk", "bbc.co.uk"), ("edition.cnn.com", "cnn.com"),
        ("a.b.c.example.com.au", "example.com.au"), ("someone.blogspot.com", "someone.blogspot.com"),
        ("www.asahi.co.jp", "asahi.co.jp"), ("harborledger.example", "harborledger.example"),
    ])
    func registrableDomain(_ host: String, _ expected: String) {
        #expect(PublicSuffix.registrableDomain(host) == expected)
    }

    @Test(arguments: ["co.uk", "com", "blogspot.com", "github.io", ""])
    func publicSuffixesAreNobodysDomain(_ host: String) {
        #expect(PublicSuffix.registrableDomain(host) == nil)
    }

    let registry = OutletRegistry([
        Outlet(id: "blog", name: "A Blog", domains: ["someone.blogspot.com"]),
        Outlet(id: "platform", name: "Blogspot", domains: ["blogspot.com"]),
        Outlet(id: "asahi", name: "Asahi", domains: ["asahi.com", "asahi.co.jp"]),
        Outlet(id: "pages", name: "Pages", domains: ["news.github.io"]),
    ])

    @Test(arguments: [
        ("someone.blogspot.com", "blog"), ("www.someone.blogspot.com", "blog"), ("photos.someone.blogspot.com", "blog"),
        ("digital.asahi.co.jp", "asahi"), ("www.asahi.com", "asahi"), ("news.github.io", "pages"), ("x.news.github.io", "pages"),
        ("blogspot.com", "platform"),
    ])
    func subdomainsAndAliasesFindTheirOutlet(_ host: String, _ id: String) {
        #expect(registry.outlet(forHost: host)?.id == id)
    }

    @Test(arguments: ["other.blogspot.com", "other.github.io", "co.jp", "asahi.co.jp.evil.example"])
    func aPublicSuffixNeverSwallowsItsSites(_ host: String) {
        #expect(registry.outlet(forHost: host) == nil)
    }
}
