import Foundation
import Pipeline
import Store
import Stories

/// Measures story clustering on a file in the UCI News Aggregator format
/// (`ID TITLE URL PUBLISHER CATEGORY STORY HOSTNAME TIMESTAMP`, tab-separated, header optional,
/// plain or gzip-compressed):
/// the headlines go, in timestamp order and in batches as cron runs would see them, through the
/// same store and clustering path as `parallax run`, and the result is scored against STORY.
public struct ClusteringEvaluation {
    public struct Headline: Sendable {
        public var id: String
        public var title: String
        /// As the file gives it, with the data set's `\?` escaping.
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
        var data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file")
        }
        if data.starts(with: [0x1f, 0x8b]) { data = try gunzip(path: path) }
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
            headlines.append(
                Headline(
                    id: fields[0], title: fields[1], url: fields[2], host: fields[6], story: fields[5],
                    time: Date(timeIntervalSince1970: milliseconds / 1000)))
        }
        return headlines
    }

    /// The system's gzip inflates the full file (100 MB) in about a second; no zlib binding is
    /// worth owning for one evaluation input.
    static func gunzip(path: String) throws(Failure) -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", "--", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .unreadable(path: path, reason: "compressed, and gzip cannot be started: \(error.localizedDescription)")
        }
        let plain = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw .unreadable(path: path, reason: "not a valid gzip file") }
        return plain
    }

    /// Each headline's time moved later by a pseudo-random 0…`hours` h, the same for the same
    /// id and seed: UCI times are when the aggregator collected a story (one gold story's
    /// headlines within seconds of each other), while real coverage of one event arrives over
    /// hours, so a clusterer must not score by reading those seconds.
    public static func jittered(_ headlines: [Headline], hours: Double, seed: UInt64) -> [Headline] {
        guard hours > 0 else { return headlines }
        return headlines.map { headline in
            var state = seed
            for byte in headline.id.utf8 { state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            var shifted = headline
            shifted.time = headline.time.addingTimeInterval(unitInterval(splitMix64(state)) * hours * 3600)
            return shifted
        }
    }

    static func splitMix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The top 53 bits as a double in [0, 1).
    static func unitInterval(_ bits: UInt64) -> Double { Double(bits >> 11) / Double(1 << 53) }

    /// Streams `headlines` through a fresh store at `statePath`, one batch per `batchHours` of
    /// timestamps, clustering after each batch exactly as a cron run does, with one clusterer
    /// session kept across the batches as a long-running process would.
    /// - Parameter progress: called after each batch with the headlines done and the seconds spent.
    public static func run(
        _ headlines: [Headline], settings: ClusteringSettings, statePath: String, batchHours: Double = 1,
        progress: (Int, Double) -> Void = { _, _ in }
    ) async throws -> Result {
        let started = Date()
        let store = try SQLiteStore(path: statePath)
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
            _ = try await Frontend.clusterPendingArticles(in: store, settings: settings, session: &session)
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
