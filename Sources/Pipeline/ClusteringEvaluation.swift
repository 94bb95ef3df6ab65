import Foundation
import Store
import Stories

/// Measures story clustering on a file in the UCI News Aggregator format
/// (`ID TITLE URL PUBLISHER CATEGORY STORY HOSTNAME TIMESTAMP`, tab-separated, header optional):
/// the headlines go, in timestamp order and in batches as cron runs would see them, through the
/// same store and clustering path as `parallax run`, and the result is scored against STORY.
public struct ClusteringEvaluation {
    public struct Headline: Sendable {
        public var id: String
        public var title: String
        /// The article's link: its slug words are part of what the clusterer compares.
        public var url: String
        public var host: String
        public var story: String
        public var time: Date
    }

    public struct Result: Sendable {
        public var score: BCubedScore
        /// headline id → predicted story id.
        public var predictions: [(id: String, story: Int64)]
        public var batches: Int
        public var seconds: Double
    }

    public enum Failure: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case badLine(path: String, line: Int, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "\(path): \(reason)"
            case .badLine(let path, let line, let reason): "\(path):\(line): \(reason)"
            }
        }
    }

    public static func readHeadlines(path: String) throws(Failure) -> [Headline] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file")
        }
        var headlines: [Headline] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.isEmpty { continue }
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            if lineNumber == 1, fields.first == "ID" { continue }
            guard fields.count >= 8 else {
                throw .badLine(path: path, line: lineNumber, reason: "expected 8 tab-separated columns (ID TITLE URL PUBLISHER CATEGORY STORY HOSTNAME TIMESTAMP), found \(fields.count)")
            }
            guard let milliseconds = Double(fields[7].trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw .badLine(path: path, line: lineNumber, reason: "TIMESTAMP '\(fields[7])' is not milliseconds since 1970")
            }
            headlines.append(Headline(id: fields[0], title: fields[1], url: fields[2], host: fields[6], story: fields[5], time: Date(timeIntervalSince1970: milliseconds / 1000)))
        }
        return headlines
    }

    /// Streams `headlines` through a fresh store at `statePath`, one batch per `batchHours` of
    /// timestamps, clustering after each batch exactly as a cron run does, with one clusterer
    /// session kept across the batches as a long-running process would.
    /// - Parameter progress: called after each batch with the headlines done and the seconds spent.
    public static func run(
        _ headlines: [Headline], settings: ClusteringSettings, statePath: String, batchHours: Double = 1,
        progress: (Int, Double) -> Void = { _, _ in }
    ) throws -> Result {
        let started = Date()
        let store = try Store(path: statePath)
        var session: IncrementalClusterer?
        let ordered = headlines.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        var batches = 0
        var index = 0
        while index < ordered.count {
            let batchEnd = ordered[index].time.addingTimeInterval(batchHours * 3600)
            var batch: [Article] = []
            while index < ordered.count, ordered[index].time < batchEnd {
                let headline = ordered[index]
                // The id, not the URL, identifies a headline here: the data set repeats URLs.
                batch.append(Article(
                    canonicalURL: "uci:\(headline.id)", url: headline.url, outletID: nil, domain: headline.host,
                    title: headline.title, summary: "", language: "en", publishedAt: headline.time, firstSeenAt: headline.time,
                    feedURL: "eval"))
                index += 1
            }
            try store.insertNewArticles(batch)
            _ = try Frontend.clusterPendingArticles(in: store, settings: settings, session: &session)
            batches += 1
            progress(index, Date().timeIntervalSince(started))
        }
        let assigned = try store.storyAssignments()
        var predictions: [(id: String, story: Int64)] = []
        var predicted: [String: String] = [:]
        for (canonicalURL, story) in assigned {
            let id = String(canonicalURL.dropFirst(4))
            predictions.append((id, story))
            predicted[id] = String(story)
        }
        let gold = Dictionary(headlines.map { ($0.id, $0.story) }, uniquingKeysWith: { first, _ in first })
        return Result(
            score: BCubedScore.score(gold: gold, predicted: predicted),
            predictions: predictions.sorted { (Int($0.id) ?? .max, $0.id) < (Int($1.id) ?? .max, $1.id) },
            batches: batches, seconds: Date().timeIntervalSince(started))
    }
}
