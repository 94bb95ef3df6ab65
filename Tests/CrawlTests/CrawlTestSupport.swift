import Crawl
import Foundation
import Outlets
import Store
import Testing

/// What the crawl suites that talk to `TestHTTPServer` share.
let harborRegistry = OutletRegistry([Outlet(id: "harbor", name: "The Harbor Ledger", domains: ["harbor.example"], manualBias: .left)])

/// A fresh state database in a temporary folder.
struct CrawlScratch {
    let store: Store

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-crawl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try Store(path: directory.appendingPathComponent("state.sqlite").path)
    }

    func state(_ url: String) throws -> FeedState {
        try #require(try store.feedStates()[url])
    }
}

/// Tests talk to servers on 127.0.0.1, so private networks are allowed unless a test is about
/// the guard; no spacing. The deadline only guards against a hung test (tests of timeouts set
/// their own): in the whole `swift test` on two cores, suites that wait for child processes
/// hold the test process's cooperative threads for seconds, and 5 s failed two dozen of these
/// tests that pass alone.
func localSettings(_ change: (inout CrawlSettings) -> Void = { _ in }) -> CrawlSettings {
    var settings = CrawlSettings()
    settings.addressGuard = AddressGuard(allowPrivateNetworks: true)
    settings.hostSpacing = 0
    settings.totalTimeout = 30
    change(&settings)
    return settings
}
