import Feeds
import Foundation
import Store

/// One row of `parallax feeds health`.
public struct FeedHealth: Sendable, Encodable, Equatable {
    public enum Condition: String, Sendable, Encodable {
        case new, ok, failing, parked
    }

    public var url: String
    /// Where the feed is fetched now, when a permanent redirect moved it.
    public var fetchURL: String?
    public var condition: Condition
    public var lastSuccessAt: Date?
    public var lastAttemptAt: Date?
    public var lastStatus: Int?
    public var lastError: String?
    public var consecutiveErrors: Int
    public var nextPollAt: Date?
    public var notModifiedShare: Double?
    public var latencyMilliseconds: Int?
    public var parkedReason: String?

    public init(source: FeedSource, state: FeedState?) {
        url = source.url
        fetchURL = state?.fetchURL
        lastSuccessAt = state?.lastSuccessAt
        lastAttemptAt = state?.lastAttemptAt
        lastStatus = state?.lastStatus
        lastError = state?.lastError
        consecutiveErrors = state?.consecutiveErrors ?? 0
        nextPollAt = state?.nextPollAt
        latencyMilliseconds = state?.lastLatencyMilliseconds
        parkedReason = state?.parkedReason
        if let state, state.responseCount > 0 {
            notModifiedShare = Double(state.notModifiedCount) / Double(state.responseCount)
        }
        if let state, state.isParked {
            condition = .parked
        } else if let state, state.lastAttemptAt != nil {
            condition = state.consecutiveErrors > 0 ? .failing : .ok
        } else {
            condition = .new
        }
    }

    /// A plain-text table: one feed per line, then the reasons for parked and failing feeds.
    public static func table(_ rows: [FeedHealth], now: Date) -> String {
        let header = ["feed", "state", "last success", "status", "errors", "next poll", "304s", "latency"]
        let lines = rows.map { row in cells(row, now: now) }
        let all: [[String]] = [header] + lines
        var widths = [Int](repeating: 0, count: header.count)
        for cells in all {
            for (column, cell) in cells.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 || index == 1 ? cell + padding : padding + cell
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var notes: [String] = []
        for row in rows {
            if row.condition == .parked { notes.append("\(row.url): parked: \(row.parkedReason ?? "")") }
            if row.condition == .failing { notes.append("\(row.url): \(row.lastError ?? "failing")") }
            if let moved = row.fetchURL { notes.append("\(row.url): moved permanently, now fetched from \(moved)") }
        }
        let table = all.map(render).joined(separator: "\n") + "\n"
        return notes.isEmpty ? table : table + "\n" + notes.joined(separator: "\n") + "\n"
    }

    private static func cells(_ row: FeedHealth, now: Date) -> [String] {
        let success: String = row.lastSuccessAt.map { ago($0, now: now) } ?? "never"
        let status: String = row.lastStatus.map { String($0) } ?? "-"
        var next = "due"
        if row.condition == .parked {
            next = "never"
        } else if let date = row.nextPollAt {
            next = until(date, now: now)
        }
        var share = "-"
        if let value = row.notModifiedShare { share = "\(Int((value * 100).rounded())) %" }
        var latency = "-"
        if let value = row.latencyMilliseconds { latency = "\(value) ms" }
        return [row.url, row.condition.rawValue, success, status, String(row.consecutiveErrors), next, share, latency]
    }

    public static func json(_ rows: [FeedHealth]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(rows)) ?? Data("[]".utf8)
    }

    private static func ago(_ date: Date, now: Date) -> String {
        "\(span(now.timeIntervalSince(date))) ago"
    }

    private static func until(_ date: Date, now: Date) -> String {
        date <= now ? "due" : "in \(span(date.timeIntervalSince(now)))"
    }

    private static func span(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        if s < 48 * 3600 { return "\(s / 3600) h" }
        return "\(s / 86400) d"
    }
}
