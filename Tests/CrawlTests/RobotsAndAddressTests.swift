@testable import Crawl
import Foundation
import TestHTTPServer
import Testing

@Suite("robots.txt and the address guard")
struct RobotsAndAddressTests {
    @Test func theProductGroupWinsAndTheLongestRuleDecides() {
        let robots = RobotsTxt(
            parsing: """
                # comments and unknown fields are ignored
                User-agent: *
                Disallow: /

                User-agent: Googlebot
                User-agent: parallax
                Disallow: /private/
                Allow: /private/press-releases/
                Disallow: /*.pdf$
                Sitemap: https://example.org/sitemap.xml
                """)
        #expect(robots.allows("/news/today"))
        #expect(!robots.allows("/private/accounts"))
        #expect(robots.allows("/private/press-releases/2026"))
        #expect(!robots.allows("/files/report.pdf"))
        #expect(robots.allows("/files/report.pdf?download=1"))
    }

    @Test func theStarGroupAppliesWhenNoGroupNamesParallax() {
        let robots = RobotsTxt(parsing: "User-agent: OtherBot\nDisallow: /\n\nUser-agent: *\nDisallow: /search\nDisallow:\n")
        #expect(!robots.allows("/search?q=bridge"))
        #expect(robots.allows("/"))
        #expect(RobotsTxt(parsing: "").allows("/anything"))
    }

    @Test func aPageForbiddenByRobotsIsNeverRequested() async throws {
        let server = try await TestHTTPServer { request in
            switch request.path {
            case "/robots.txt": .init(status: 200, contentType: "text/plain", body: "User-agent: *\nDisallow: /private/\n")
            default: .init(status: 200, contentType: "text/html", body: "<html><body>page</body></html>")
            }
        }
        var settings = CrawlSettings()
        settings.addressGuard = AddressGuard(allowPrivateNetworks: true)
        let fetcher = HTTPFetcher(settings: settings)
        await #expect(throws: FetchError.disallowedByRobots(server.baseURL + "/private/page.html")) {
            try await fetcher.page(server.baseURL + "/private/page.html", userAgent: settings.userAgent)
        }
        let allowed = try await fetcher.page(server.baseURL + "/public.html", userAgent: settings.userAgent)
        await fetcher.shutdown()
        await server.shutdown()
        #expect(allowed.status == 200)
        #expect(server.receivedRequests.map(\.path) == ["/robots.txt", "/public.html"], "robots.txt read once per host; the forbidden page never asked for")
    }

    @Test func internalAddressesAreRecognised() {
        let inside = ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                        "0.0.0.0", "224.0.0.1", "::1", "::", "fe80::1", "fd00::1", "ff02::1", "::ffff:10.0.0.1"]
        let outside = ["93.184.216.34", "172.32.0.1", "100.128.0.1", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]
        for text in inside { #expect(IPAddress(text)?.isInternal == true, "\(text)") }
        for text in outside { #expect(IPAddress(text)?.isInternal == false, "\(text)") }
        #expect(IPAddress("[::1]")?.description == "::1")
        #expect(IPAddress("not-an-address") == nil)
    }

    @Test func proxiesComeFromTheEnvironmentAndNoProxyExempts() {
        let proxies = ProxySettings.fromEnvironment([
            "HTTPS_PROXY": "http://user:secret@proxy.internal:3128", "http_proxy": "proxy.internal:8080", "NO_PROXY": "localhost, .corp.example",
        ])
        #expect(proxies.proxy(for: "https", host: "news.example")?.host == "proxy.internal")
        #expect(proxies.proxy(for: "https", host: "news.example")?.port == 3128)
        #expect(proxies.proxy(for: "http", host: "news.example")?.port == 8080)
        #expect(proxies.proxy(for: "https", host: "wiki.corp.example") == nil)
        #expect(proxies.proxy(for: "http", host: "localhost") == nil)
        #expect(ProxySettings.fromEnvironment([:]).proxy(for: "https", host: "news.example") == nil)
    }
}
