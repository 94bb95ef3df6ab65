// swift-tools-version: 6.1
import PackageDescription

// One module per pipeline stage (see ../shared/DESIGN.md and the README's "Architecture"):
// feeds/*.yaml ─▶ Crawl ─▶ Feeds (libxml2 via XMLSupport) ─▶ Store ─▶ Stories ─▶ Coverage ─▶ Reports
// Pipeline wires the stages for the CLI; Evaluation (`parallax eval`, the benchmarks) sits on top
// of Pipeline, and no stage depends on it.
let package = Package(
    name: "Parallax",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "parallax", targets: ["parallax"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // libxml2 from the system (apt: libxml2-dev). Only XMLSupport may import it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .target(name: "XMLSupport", dependencies: ["CLibXML2"]),
        // Calendar arithmetic without Foundation, shared by every stage that reads or writes dates.
        .target(name: "CivilCalendar"),
        .target(name: "Feeds", dependencies: ["XMLSupport", "CivilCalendar"]),
        // libpsl from the system (apt: libpsl-dev). Only PublicSuffix may import it.
        .systemLibrary(name: "CLibPSL", pkgConfig: "libpsl", providers: [.apt(["libpsl-dev"]), .brew(["libpsl"])]),
        .target(name: "PublicSuffix", dependencies: ["CLibPSL"]),
        .target(name: "Outlets", dependencies: ["PublicSuffix"]),
        // Snowball stemmers from the system (apt: libstemmer-dev; no pkg-config file). Only
        // Stories/Stemmer.swift may use it.
        .systemLibrary(name: "CLibStemmer", providers: [.apt(["libstemmer-dev"])]),
        .target(name: "Stories", dependencies: ["CLibStemmer"]),
        .target(name: "Coverage", dependencies: ["Stories", "Outlets"]),
        // The story brief, perspectives, picture and related stories: quoted, never written (pure: no I/O).
        .target(name: "Brief", dependencies: ["Coverage", "Stories", "Outlets"]),
        .target(name: "Reports", dependencies: ["Coverage", "Brief", "CivilCalendar"]),
        // Writes the reports folder (the only I/O besides Store, Crawl and the CLI).
        .target(name: "ReportsIO", dependencies: ["Reports", "Brief", "Coverage", "Stories", "Outlets"]),
        .target(name: "Store", dependencies: [
            "Feeds", "Outlets", "Stories", "CivilCalendar",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The same store on PostgreSQL (`state: postgresql://…`); only this target links postgres-nio.
        .target(name: "PostgresStore", dependencies: [
            "Store", "Feeds", "Outlets", "Stories", "CivilCalendar",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .target(name: "Config", dependencies: ["Feeds", "Outlets", "Stories", "Coverage", "Yams"]),
        .target(name: "Crawl", dependencies: [
            "Feeds", "Outlets", "Stories", "Store",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Pipeline", dependencies: [
            "Config", "Crawl", "Store", "PostgresStore", "Stories", "Coverage", "Brief", "Reports", "ReportsIO", "Outlets", "Feeds",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // Measures Parallax against labelled data (`parallax eval …`, the benchmarks); no
        // stage of the product depends on it.
        .target(name: "Evaluation", dependencies: [
            "Pipeline", "Config", "Crawl", "Store", "Stories", "Coverage", "Outlets", "Feeds", "CivilCalendar",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "parallax", dependencies: [
            "Pipeline", "Evaluation", "Config", "Brief", "Reports", "Coverage", "Feeds", "Outlets",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .executableTarget(
            name: "bench-reports", dependencies: ["ReportsIO", "Reports", "Brief", "Coverage", "Stories", "Outlets"],
            path: "Benchmarks/Reports"),
        // Benchmarks (release builds only; see BENCHMARKS.md).
        .executableTarget(
            name: "bench-brief", dependencies: ["Pipeline", .product(name: "Logging", package: "swift-log")], path: "Benchmarks/Brief"),
        .executableTarget(
            name: "bench-clustering", dependencies: ["Evaluation", "Stories"], path: "Benchmarks/Clustering",
            exclude: ["make_heldout.py", "baseline_online_tfidf.py"]),
        // The store-less replay of `eval clustering` for settings grids (see BENCHMARKS.md).
        .executableTarget(name: "replay-clustering", dependencies: ["Evaluation", "Stories"], path: "Benchmarks/ClusteringReplay"),
        .executableTarget(
            name: "bench-scale", dependencies: ["Pipeline", "PostgresStore", "Store", "Stories", "TestHTTPServer"], path: "Benchmarks/Scale"),
        .executableTarget(name: "bench-parsing", dependencies: ["Feeds"], path: "Benchmarks/Parsing", exclude: ["make_corpus.py"]),

        // Test support: a real HTTP/1.1 and HTTP/2 (over TLS) server on 127.0.0.1 for the crawler's tests.
        .target(name: "TestHTTPServer", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOHTTP2", package: "swift-nio-http2"),
        ], path: "Tests/TestHTTPServer", resources: [.copy("Certificates")]),
        .executableTarget(
            name: "bench-crawl",
            dependencies: [
                "Crawl", "Store", "Feeds", "Outlets", "TestHTTPServer",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ], path: "Benchmarks/Crawl"),
        // Test support: a fresh state per test on each backend (PostgreSQL when PARALLAX_TEST_POSTGRES is set).
        .target(name: "TestStates", dependencies: ["Store", "PostgresStore"], path: "Tests/TestStates"),
        .testTarget(name: "XMLSupportTests", dependencies: ["XMLSupport"]),
        .testTarget(name: "FeedsTests", dependencies: ["Feeds"], resources: [.copy("Fixtures")]),
        .testTarget(name: "OutletsTests", dependencies: ["Outlets", "PublicSuffix"]),
        .testTarget(name: "StoriesTests", dependencies: ["Stories"]),
        .testTarget(name: "CoverageTests", dependencies: ["Coverage"]),
        .testTarget(name: "BriefTests", dependencies: ["Brief", "Coverage", "Stories", "Outlets"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Brief"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "PostgresStore", "TestStates", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ConfigTests", dependencies: ["Config"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "CrawlTests",
            dependencies: [
                "Crawl", "Store", "PostgresStore", "TestStates", "TestHTTPServer", .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "PipelineTests", dependencies: ["Pipeline", "Config", "Brief", "Store", "TestStates", "Stories", "Coverage", "Reports"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Coverage", "Outlets", "Stories"]),
        .testTarget(name: "ReportsIOTests", dependencies: ["ReportsIO", "Reports", "Brief", "Coverage", "Stories", "Outlets"]),
        .testTarget(name: "EndToEndTests", dependencies: ["parallax", "Config", "Outlets", "TestHTTPServer", "TestStates", "PostgresStore", "Store"]),
    ],
    swiftLanguageModes: [.v6]
)
