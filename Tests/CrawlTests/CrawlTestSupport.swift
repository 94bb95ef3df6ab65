import Crawl
import Foundation
import Outlets
import Store
import Testing
import TestStates

/// What the crawl suites that talk to `TestHTTPServer` share.
let harborRegistry = OutletRegistry([Outlet(id: "harbor", name: "The Harbor Ledger", domains: ["harbor.example"], manualBias: .left)])

/// A fresh state of one backend for a crawl test.
struct CrawlScratch {
    let store: any StateStore

    init(_ backend: StateBackend) async throws {
        store = try await TestState(backend).open()
    }

    func state(_ url: String) async throws -> FeedState {
        try #require(try await store.feedStates()[url])
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
