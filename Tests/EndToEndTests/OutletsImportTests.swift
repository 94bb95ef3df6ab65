import Config
import Foundation
import Outlets
import Testing

@Suite("parallax outlets import")
struct OutletsImportTests {
    @Test func mergesIntoAnOutletsFileKeepingManualValues() throws {
        let scratch = try TemporaryDirectory()
        try Data("""
            outlets:
              - id: harbor
                name: The Harbor Ledger
                domains: [harbor.example]
                bias: left
                owner: Harbor Co-op
                ratings:
                  - { rater: MBFC, bias: center, date: 2025-01-01 }
            """.utf8).write(to: scratch.url.appendingPathComponent("outlets.yaml"))
        try Data("""
            rater,domain,name,bias,factuality,label,category,date,url
            MBFC,harbor.example,,lean-left,high,Left-Center,,2026-08-19,https://mbfc.example/harbor
            MBFC,spoof.example,Spoof News,,,satire,satire,2026-08-19,
            MBFC,,Nameless Only,center,,,,2026-08-19,

            """.utf8).write(to: scratch.url.appendingPathComponent("ratings.csv"))
        let outcome = try CommandRunner.run(["outlets", "import", "--format", "csv", scratch.path("ratings.csv"), "--into", scratch.path("outlets.yaml")])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("3 ratings read; 1 matched, 1 added, 1 skipped"))
        #expect(outcome.stdout.contains("skipped 1: no outlet of that name, and no domain to add one by"))

        let config = try ConfigLoader.load(path: scratch.path("outlets.yaml"))
        let harbor = try #require(config.outlets.first { $0.id == "harbor" })
        #expect(harbor.manualBias == .left)
        #expect(harbor.owner == "Harbor Co-op")
        #expect(harbor.ratings == [Rating(rater: "MBFC", bias: .leanLeft, factuality: .high, label: "Left-Center", date: "2026-08-19", url: "https://mbfc.example/harbor")])
        let spoof = try #require(config.outlets.first { $0.id == "spoof-example" })
        #expect(spoof.ratings.first?.category == "satire")
        #expect(spoof.bias == .unrated)

        // Importing the same file again changes nothing.
        let before = try Data(contentsOf: scratch.url.appendingPathComponent("outlets.yaml"))
        _ = try CommandRunner.run(["outlets", "import", "--format", "csv", scratch.path("ratings.csv"), "--into", scratch.path("outlets.yaml")])
        #expect(try Data(contentsOf: scratch.url.appendingPathComponent("outlets.yaml")) == before)
    }

    @Test(arguments: [
        (["--format", "allsides", "ratings.csv"], "this allsides file carries no date"),
        (["--format", "csv", "missing.csv"], "missing.csv: cannot read the file: no such file"),
        (["--format", "csv", "ratings.csv", "--date", "18/10/2019"], "--date '18/10/2019' must be written YYYY-MM-DD"),
        (["--format", "csv", "bad.csv"], "bad.csv:2: 'far-left' is not a bias"),
    ])
    func badInputIsOneLineAndExitTwo(_ arguments: [String], _ message: String) throws {
        let scratch = try TemporaryDirectory()
        try Data("news_source,rating\nX,left\n".utf8).write(to: scratch.url.appendingPathComponent("ratings.csv"))
        try Data("rater,domain,bias,date\nX,a.example,far-left,2026-01-01\n".utf8).write(to: scratch.url.appendingPathComponent("bad.csv"))
        let paths = arguments.map { $0.hasSuffix(".csv") ? scratch.path($0) : $0 }
        let outcome = try CommandRunner.run(["outlets", "import"] + paths + ["--into", scratch.path("outlets.yaml")])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("outlets.yaml")))
    }
}
