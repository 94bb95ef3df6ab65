// swift-tools-version: 6.1
import PackageDescription

// One module per pipeline stage (see ../shared/DESIGN.md and the README's "Architecture"):
// feeds/*.yaml ─▶ Crawl ─▶ Feeds (libxml2 via XMLSupport) ─▶ Store ─▶ Stories ─▶ Coverage ─▶ Reports
let package = Package(
    name: "Parallax",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "parallax", targets: ["parallax"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
    ],
    targets: [
        // libxml2 from the system (apt: libxml2-dev). Only XMLSupport may import it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .target(name: "XMLSupport", dependencies: ["CLibXML2"]),
        .target(name: "Feeds", dependencies: ["XMLSupport"]),
        // libpsl from the system (apt: libpsl-dev). Only PublicSuffix may import it.
        .systemLibrary(name: "CLibPSL", pkgConfig: "libpsl", providers: [.apt(["libpsl-dev"]), .brew(["libpsl"])]),
        .target(name: "PublicSuffix", dependencies: ["CLibPSL"]),
        .target(name: "Outlets", dependencies: ["PublicSuffix"]),
        .target(name: "Stories"),
        .target(name: "Coverage", dependencies: ["Stories", "Outlets"]),
        .target(name: "Reports", dependencies: ["Coverage"]),
        // Writes the reports folder (the only I/O besides Store, Crawl and the CLI).
        .target(name: "ReportsIO", dependencies: ["Reports", "Coverage", "Stories", "Outlets"]),
        .target(name: "Store", dependencies: [
            "Feeds", "Outlets", "Stories",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "Config", dependencies: ["Feeds", "Outlets", "Stories", "Coverage", "Yams"]),
        .target(name: "Crawl", dependencies: [
            "Feeds", "Outlets", "Stories",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Pipeline", dependencies: [
            "Config", "Crawl", "Store", "Stories", "Coverage", "Reports", "ReportsIO", "Outlets", "Feeds",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "parallax", dependencies: [
            "Pipeline", "Config", "Reports", "Coverage", "Outlets",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .executableTarget(
            name: "bench-reports", dependencies: ["ReportsIO", "Reports", "Coverage", "Stories", "Outlets"],
            path: "Benchmarks/Reports"),

        // Test support: a real HTTP server on 127.0.0.1 for the crawler's tests.
        .target(name: "TestHTTPServer", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], path: "Tests/TestHTTPServer"),
        .testTarget(name: "XMLSupportTests", dependencies: ["XMLSupport"]),
        .testTarget(name: "FeedsTests", dependencies: ["Feeds"], resources: [.copy("Fixtures")]),
        .testTarget(name: "OutletsTests", dependencies: ["Outlets", "PublicSuffix"]),
        .testTarget(name: "StoriesTests", dependencies: ["Stories"]),
        .testTarget(name: "CoverageTests", dependencies: ["Coverage"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ConfigTests", dependencies: ["Config"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CrawlTests", dependencies: ["Crawl", "TestHTTPServer"]),
        .testTarget(name: "ReportsIOTests", dependencies: ["ReportsIO", "Reports", "Coverage", "Stories", "Outlets"]),
        .testTarget(name: "EndToEndTests", dependencies: ["parallax", "Config", "Outlets"]),
    ],
    swiftLanguageModes: [.v6]
)
