import Foundation
import Testing

/// `parallax eval coverage` on a small UCI-format file whose stories any clusterer gets the same:
/// three stories of clearly different words, where three rows carry exactly the headline of
/// another gold story (as wire copies mislabelled in the gold data would). Identical text always
/// lands in one story, so the mixed stories below follow from the data, not from tuning.
@Suite("parallax eval coverage on a UCI-format file")
struct EvalCoverageTests {
    // Outlets (hosts → ratings in `ratings.json`): l1, l2 left; ll left-center; c1 center (two
    // hosts, www.c1.example and news.c1.example: one outlet); c2 center; r1, r2 right;
    // rr right-center; u1…u4 not in the ratings file (unrated).
    static let volcano = [
        "Iceland volcano erupts, ash cloud grounds flights across northern Europe",
        "Ash from Iceland volcano eruption grounds hundreds of flights in Europe",
        "Flights grounded across Europe as Iceland volcano spews ash",
        "Iceland volcano: ash cloud forces airlines to cancel flights",
        "Europe flights cancelled as ash cloud from Iceland volcano spreads",
        "Iceland volcano ash cloud keeps European flights grounded",
    ]
    static let rates = [
        "Central bank raises interest rates to curb rising inflation",
        "Interest rates raised by central bank amid inflation fears",
        "Central bank lifts interest rates a quarter point as inflation climbs",
        "Inflation pushes central bank to raise interest rates again",
        "Central bank interest rate rise aims to cool inflation",
        "Borrowers face higher costs as central bank raises interest rates",
        "Central bank raises interest rates, warns inflation will stay high",
        "Interest rates up: central bank acts on inflation",
        "Central bank decision: interest rates rise to fight inflation",
        "Savers cheer as central bank raises interest rates over inflation",
    ]
    static let final = [
        "Madrid wins Champions League final in extra time",
        "Champions League final: Madrid beat rivals after extra time",
        "Extra time drama as Madrid lift Champions League trophy",
    ]

    /// (id, title, gold story, host, minutes after 2014-05-21 00:00 UTC)
    static let rows: [(String, String, String, String, Int)] = [
        ("1", volcano[0], "A", "l1.example", 5), ("2", volcano[1], "A", "c2.example", 20),
        ("3", volcano[2], "A", "r1.example", 70), ("4", volcano[3], "A", "r2.example", 90),
        ("5", volcano[4], "A", "rr.example", 135), ("6", volcano[5], "A", "news.c1.example", 160),
        ("7", rates[1], "A", "r1.example", 185),  // labelled A, the text of B's row 12: lands in B's story
        ("11", rates[0], "B", "l1.example", 10), ("12", rates[1], "B", "l2.example", 30),
        ("13", rates[2], "B", "ll.example", 65), ("14", rates[3], "B", "www.c1.example", 80),
        ("15", rates[4], "B", "news.c1.example", 110), ("16", rates[5], "B", "c2.example", 125),
        ("17", rates[6], "B", "rr.example", 150), ("18", rates[7], "B", "u1.example", 170),
        ("19", rates[8], "B", "u2.example", 190), ("20", rates[9], "B", "u3.example", 200),
        ("21", volcano[1], "B", "u4.example", 220),  // labelled B, the text of A's row 2: lands in A's story
        ("31", final[0], "C", "u1.example", 40), ("32", final[1], "C", "l2.example", 100),
        ("33", final[2], "C", "c2.example", 140),
        ("41", final[0], "D", "r2.example", 210),  // gold story D: one row, the text of C's row 31
    ]

    static let ratings = """
        {"date": "2014-05-01", "aliases": {}, "sources": [
          {"domain": "l1.example", "name": "L One", "bias": "left", "reporting": "high"},
          {"domain": "l2.example", "name": "L Two", "bias": "extreme-left", "reporting": "mixed"},
          {"domain": "ll.example", "name": "Lean L", "bias": "left-center", "reporting": "high"},
          {"domain": "c1.example", "name": "C One", "bias": "center", "reporting": "high"},
          {"domain": "c2.example", "name": "C Two", "bias": "least-biased", "reporting": "very-high"},
          {"domain": "r1.example", "name": "R One", "bias": "right", "reporting": "mixed"},
          {"domain": "r2.example", "name": "R Two", "bias": "right", "reporting": "high"},
          {"domain": "rr.example", "name": "Lean R", "bias": "right-center", "reporting": "high"},
          {"domain": "elsewhere.example", "name": "Not in the file", "bias": "center", "reporting": "high"}
        ]}
        """

    static func writeFixture(in scratch: TemporaryDirectory, header: Bool = true) throws -> (tsv: String, ratings: String) {
        let start = 1_400_630_400_000
        var lines = header ? ["ID\tTITLE\tURL\tPUBLISHER\tCATEGORY\tSTORY\tHOSTNAME\tTIMESTAMP"] : []
        for (id, title, story, host, minutes) in rows {
            // The data set's own escaping of '?' in URLs.
            lines.append("\(id)\t\(title)\thttp://\(host)/news/story.php\\?id=\(id)\t\(host)\tb\t\(story)\t\(host)\t\(start + minutes * 60_000)")
        }
        let tsv = scratch.path("uci.tsv"), ratingsFile = scratch.path("ratings.json")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: tsv))
        try Data(ratings.utf8).write(to: URL(fileURLWithPath: ratingsFile))
        return (tsv, ratingsFile)
    }

    /// The expected stories: P_A = rows 1–6 + 21 (7 articles), P_B = rows 11–20 + 7 (11),
    /// P_C = rows 31–33 + 41 (4). Gold: A = 1–7, B = 11–21, C = 31–33, D = 41; 22 articles.
    ///
    /// Purity: P_A 6/7, P_B 10/11, P_C 3/4 → mean (0.857143 + 0.909091 + 0.75) / 3 = 0.838745,
    /// worst 0.75, one below 0.80. With three stories, the top 20 and top 50 are all three.
    ///
    /// Outlets (c1's two hosts are one outlet): P_A {l1 c2 r1 r2 rr c1 u4} = 7, gold A
    /// {l1 c2 r1 r2 rr c1} = 6 (r1 twice); P_B {l1 l2 ll c1 c2 rr u1 u2 u3 r1} = 10, gold B
    /// {l1 l2 ll c1 c2 rr u1 u2 u3 u4} = 10; P_C {u1 l2 c2 r2} = 4, gold C {u1 l2 c2} = 3.
    /// Outlet-count error: (1/6 + 0 + 1/3) / 3 = 1/6 = 16.67 %.
    ///
    /// By-outlet bias shares (left, lean left, center, lean right, right, unrated):
    /// P_A (1,0,2,1,2,1)/7 vs A (1,0,2,1,2,0)/6: L1 = 6/42 + 1/7 = 2/7;
    /// P_B (2,1,2,1,1,3)/10 vs B (2,1,2,1,0,4)/10: L1 = 0.1 + 0.1 = 0.2;
    /// P_C (1,0,1,0,1,1)/4 vs C (1,0,1,0,0,1)/3: L1 = 3 × (1/3 − 1/4) + 1/4 = 0.5;
    /// mean (2/7 + 0.2 + 0.5) / 3 = 0.328571.
    ///
    /// Titles: every story's articles include its title's text under its majority label: 3/3.
    ///
    /// Gold stories with ≥ 10 outlets: B only; its largest story P_B holds 10 of its 11: 0.909091.
    ///
    /// Blindspots (≥ 6 rated outlets; a side ≤ 20 % while the other ≥ 50 %): P_A: 6 rated, Left
    /// 1/6, Right 3/6 → Left missing; P_B: 7 rated, Left 3/7, Right 2/7 → none; P_C: 3 rated →
    /// too few. Gold A: as P_A → Left; gold B: 6 rated, Left 3/6, Right 1/6 → Right missing;
    /// C, D too few. Precision: P_A's gold A agrees: 1/1. Recall: A's largest story P_A agrees,
    /// B's largest P_B has none: 1/2.
    ///
    /// B³ precision: (6·6/7 + 1/7 + 10·10/11 + 1/11 + 3·3/4 + 1/4) / 22 = 0.771251;
    /// recall: (6·6/7 + 1/7 + 10·10/11 + 1/11 + 3·1 + 1) / 22 = 0.839433; F1 0.803899.
    @Test func measuresWhatAUserSees() throws {
        let scratch = try TemporaryDirectory()
        let (tsv, ratings) = try Self.writeFixture(in: scratch)
        let outcome = try CommandRunner.run(["eval", "coverage", tsv, "--ratings", ratings, "--format", "json"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(json["rows"] as? Int == 22)
        #expect(json["outlets"] as? Int == 12)
        #expect(json["outletsInRatings"] as? Int == 8)
        #expect(json["failedFeedReads"] as? Int == 0)
        // One run per hour of data: rows from 00:05 to 03:40 → runs at 01:00 … 04:00.
        #expect(json["runs"] as? Int == 4)
        let comparison = try #require(json["comparison"] as? [String: Any])
        #expect(comparison["stories"] as? Int == 3)
        #expect(comparison["goldStories"] as? Int == 4)
        #expect(comparison["articles"] as? Int == 22)
        let bcubed = try #require(comparison["bcubed"] as? [String: Double])
        #expect(abs(bcubed["precision"]! - 0.771251) < 1e-6)
        #expect(abs(bcubed["recall"]! - 0.839433) < 1e-6)
        #expect(abs(bcubed["f1"]! - 0.803899) < 1e-6)

        let top = try #require(comparison["top"] as? [[String: Any]])
        #expect(top.map { "\($0["size"]!) by \($0["ranking"]!)" } == ["20 by outlets", "50 by outlets", "20 by articles", "50 by articles"])
        for group in top {
            #expect(group["stories"] as? Int == 3)
            #expect(abs((group["meanPurity"] as! Double) - 0.838745) < 1e-6)
            #expect(abs((group["worstPurity"] as! Double) - 0.75) < 1e-9)
            #expect(group["belowPurityFloor"] as? Int == 1)
            #expect(abs((group["meanOutletCountError"] as! Double) - 1.0 / 6) < 1e-9)
            #expect(abs((group["meanBiasShareL1"] as! Double) - 0.328571) < 1e-6)
            #expect(group["titlesFromMajority"] as? Int == 3)
        }
        let large = try #require(comparison["largeGold"] as? [String: Any])
        #expect(large["count"] as? Int == 1)
        #expect(abs((large["meanShareInLargest"] as! Double) - 10.0 / 11) < 1e-9)
        #expect(large["keptAtLeast85Percent"] as? Int == 1)
        let blindspots = try #require(comparison["blindspots"] as? [String: Any])
        #expect(blindspots["parallaxBlindspots"] as? Int == 1)
        #expect(blindspots["goldBlindspots"] as? Int == 2)
        #expect(blindspots["precision"] as? Double == 1)
        #expect(blindspots["recall"] as? Double == 0.5)
        let stories = try #require(comparison["topByOutlets"] as? [[String: Any]])
        #expect(stories.map { $0["outlets"] as? Int } == [10, 7, 4])
        #expect(stories.map { $0["goldStory"] as? String } == ["B", "A", "C"])
    }

    @Test func readsGzipAndHeaderlessFilesAndPrintsText() throws {
        let scratch = try TemporaryDirectory()
        let (tsv, ratings) = try Self.writeFixture(in: scratch, header: false)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-k", tsv]
        try gzip.run()
        gzip.waitUntilExit()
        let outcome = try CommandRunner.run(["eval", "coverage", tsv + ".gz", "--ratings", ratings, "--step", "2"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stdout.contains("\(tsv).gz: 22 rows → 22 articles stored, 12 outlets (8 in \(ratings)), 4 gold stories"))
        // Runs every 2 hours of data: at 02:00 and 04:00.
        #expect(outcome.stdout.contains("replay: 2 runs, one per 2 h of data, feeds holding 48 h, jitter 0 h (seed 1)"))
        #expect(outcome.stdout.contains("B-cubed precision 0.7713  recall 0.8394  F1 0.8039"))
        #expect(outcome.stdout.contains("top 20 by outlets          0.839  0.750           1              16.7 %          0.329"))
        #expect(outcome.stdout.contains("gold stories with ≥ 10 outlets: 1; share of their articles in their largest story: mean 0.909, worst 0.909; 1 keep ≥ 85 %"))
        #expect(outcome.stdout.contains("blindspots: Parallax 1, gold coverage 2; precision 1.000 (1/1), recall 0.500 (1/2)"))
    }

    @Test func jitterKeepsEveryRowAndTheSameSeedGivesTheSameResult() throws {
        let scratch = try TemporaryDirectory()
        let (tsv, ratings) = try Self.writeFixture(in: scratch)
        let first = try CommandRunner.run(["eval", "coverage", tsv, "--ratings", ratings, "--jitter", "6", "--format", "json"])
        let second = try CommandRunner.run(["eval", "coverage", tsv, "--ratings", ratings, "--jitter", "6", "--format", "json"])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let comparison = { (stdout: String) throws -> String in
            let json = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
            #expect(json["rows"] as? Int == 22)
            // Rows spread over up to 3 h 40 min + 6 h of data, one run per hour that has any change.
            #expect((json["runs"] as? Int ?? 0) > 4)
            let data = try JSONSerialization.data(withJSONObject: json["comparison"]!, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        #expect(try comparison(first.stdout) == comparison(second.stdout))
    }

    @Test func badInputIsOneLineAndExit2() throws {
        let scratch = try TemporaryDirectory()
        let (tsv, ratings) = try Self.writeFixture(in: scratch)
        let missing = scratch.path("absent.tsv")
        var outcome = try CommandRunner.run(["eval", "coverage", missing, "--ratings", ratings])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "parallax: \(missing): no such file\n")

        let bad = scratch.path("bad.tsv")
        let good = try String(contentsOfFile: tsv, encoding: .utf8).split(separator: "\n").prefix(2).joined(separator: "\n")
        try Data((good + "\n42\tonly\tfour\tcolumns\n").utf8).write(to: URL(fileURLWithPath: bad))
        outcome = try CommandRunner.run(["eval", "coverage", bad, "--ratings", ratings])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasPrefix("parallax: \(bad):3: expected 8 tab-separated columns"))
        #expect(outcome.stderr.split(separator: "\n").count == 1)

        let absentRatings = scratch.path("absent.json")
        outcome = try CommandRunner.run(["eval", "coverage", tsv, "--ratings", absentRatings])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "parallax: \(absentRatings): cannot read the ratings file: no such file\n")

        let notJSON = scratch.path("ratings.txt")
        try Data("this is not a ratings file\n".utf8).write(to: URL(fileURLWithPath: notJSON))
        outcome = try CommandRunner.run(["eval", "coverage", tsv, "--ratings", notJSON, "--ratings-format", "mbfc"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasPrefix("parallax: \(notJSON): "))
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(outcome.stdout.isEmpty)
    }
}
