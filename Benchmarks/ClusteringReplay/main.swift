import Evaluation
import Foundation
import Stories

// replay-clustering [--jitter H] [--seed S] [--set key=value …] [--predictions OUT.tsv] FILE…
//
// `parallax eval clustering` without the store: the same headlines, the same Article values, the
// same hourly batches in (time, id) order, one IncrementalClusterer kept across them, its merges
// applied as the store applies them. A grid over settings on the dev sample and
// the public day runs in seconds; its figures equal `eval clustering`'s (checked in BENCHMARKS.md).
// `--set` takes any ClusteringSettings field by its JSON name (e.g. `--set threshold=0.15`).

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("replay-clustering: \(message)\n".utf8))
    exit(2)
}

var files: [String] = []
var jitter = 0.0
var seed: UInt64 = 1
var overrides: [String: Any] = [:]
var predictionsPath: String?
var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--jitter":
        guard let hours = Double(arguments.removeFirst()) else { fail("--jitter HOURS") }
        jitter = hours
    case "--seed":
        guard let value = UInt64(arguments.removeFirst()) else { fail("--seed N") }
        seed = value
    case "--predictions": predictionsPath = arguments.removeFirst()
    case "--set":
        let pair = arguments.removeFirst().split(separator: "=", maxSplits: 1).map(String.init)
        guard pair.count == 2 else { fail("--set key=value") }
        let value: Any = Int(pair[1]) ?? Double(pair[1]) ?? Bool(pair[1]) ?? pair[1]
        overrides[pair[0]] = value
    default: files.append(argument)
    }
}
guard !files.isEmpty else { fail("usage: replay-clustering [--jitter H] [--seed S] [--set key=value …] [--predictions OUT.tsv] FILE…") }
let settings: ClusteringSettings
do {
    settings = try JSONDecoder().decode(ClusteringSettings.self, from: JSONSerialization.data(withJSONObject: overrides))
} catch { fail("bad --set: \(error)") }

for file in files {
    var headlines: [ClusteringEvaluation.Headline]
    do { headlines = try ClusteringEvaluation.readHeadlines(path: file) } catch { fail("\(error)") }
    headlines = ClusteringEvaluation.jittered(headlines, hours: jitter, seed: seed)
    let started = Date()
    let ordered = headlines.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    var clusterer = IncrementalClusterer(settings: settings, nextStoryID: 1)
    var storyOf: [String: Int64] = [:]
    var redirect: [Int64: Int64] = [:]
    func resolve(_ id: Int64) -> Int64 {
        var id = id
        while let next = redirect[id] { id = next }
        return id
    }
    var index = 0
    while index < ordered.count {
        let batchEnd = ordered[index].time.addingTimeInterval(3600)
        while index < ordered.count, ordered[index].time < batchEnd {
            let headline = ordered[index]
            // The store keeps times to the millisecond, and the clusterer sees them as read back.
            let time = Date(timeIntervalSince1970: (headline.time.timeIntervalSince1970 * 1000).rounded() / 1000)
            let article = Article(
                canonicalURL: "uci:\(headline.id)", url: headline.url, outletID: nil, domain: headline.host,
                title: headline.title, summary: "", language: "en", publishedAt: time, firstSeenAt: time,
                feedURL: "eval")
            storyOf[headline.id] = clusterer.assign(article).storyID
            index += 1
        }
        for merge in clusterer.endBatch() { redirect[merge.from] = merge.into }
    }
    var predicted: [String: String] = [:]
    for (id, story) in storyOf { predicted[id] = String(resolve(story)) }
    let gold = Dictionary(headlines.map { ($0.id, $0.story) }, uniquingKeysWith: { first, _ in first })
    let score = BCubedScore.score(gold: gold, predicted: predicted)
    print(String(format: "%@  P %.4f  R %.4f  F1 %.4f  stories %d  (%.2f s)", (file as NSString).lastPathComponent, score.precision, score.recall, score.f1, score.predictedClusters, Date().timeIntervalSince(started)))
    if let predictionsPath {
        let lines = predicted.sorted { (Int($0.key) ?? .max, $0.key) < (Int($1.key) ?? .max, $1.key) }.map { "\($0.key)\t\($0.value)" }
        try! (["id\tcluster"] + lines).joined(separator: "\n").appending("\n").write(toFile: files.count == 1 ? predictionsPath : predictionsPath + "." + (file as NSString).lastPathComponent, atomically: true, encoding: .utf8)
    }
}
