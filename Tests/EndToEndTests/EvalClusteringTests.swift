import Foundation
import Testing

@Suite("parallax eval clustering on a UCI-format file")
struct EvalClusteringTests {
    @Test func streamsScoresAndWritesPredictions() throws {
        let scratch = try TemporaryDirectory()
        let start = 1_400_630_400_000  // 2014-05-21 00:00 UTC, in milliseconds
        let rows = [
            ("1", "Volcano erupts near Reykjavik, flights grounded", "volcano", 0),
            ("2", "Icelandic volcano eruption grounds flights across Europe", "volcano", 1),
            ("3", "Flights grounded as Iceland volcano erupts again", "volcano", 3),
            ("4", "Central bank raises interest rates to curb inflation", "rates", 2),
            ("5", "Interest rates raised by central bank amid inflation fears", "rates", 4),
            ("6", "Inflation: central bank lifts interest rates a quarter point", "rates", 5),
        ]
        var lines = ["ID\tTITLE\tURL\tPUBLISHER\tCATEGORY\tSTORY\tHOSTNAME\tTIMESTAMP"]
        for (id, title, story, hour) in rows {
            lines.append("\(id)\t\(title)\thttp://news\(id).example/a\tPub \(id)\tb\t\(story)\tnews\(id).example\t\(start + hour * 3_600_000)")
        }
        let input = scratch.path("uci.tsv")
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: input))
        let predictions = scratch.path("predictions.tsv")
        let outcome = try CommandRunner.run(["eval", "clustering", input, "--predictions", predictions])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        // One batch per hour of timestamps: every later headline joins a story of an earlier run.
        #expect(outcome.stdout.contains("6 headlines, 2 gold stories, 2 predicted, 6 batches"))
        #expect(outcome.stdout.contains("B-cubed precision 1.0000  recall 1.0000  F1 1.0000"))
        let written = try String(contentsOfFile: predictions, encoding: .utf8).split(separator: "\n")
        #expect(written.first == "id\tcluster")
        #expect(written.count == 7)
    }

    @Test func aBadLineIsNamed() throws {
        let scratch = try TemporaryDirectory()
        let input = scratch.path("bad.tsv")
        try Data("1\tonly three\tcolumns\n".utf8).write(to: URL(fileURLWithPath: input))
        let outcome = try CommandRunner.run(["eval", "clustering", input])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasPrefix("parallax: \(input):1: expected 8 tab-separated columns"))
    }
}
