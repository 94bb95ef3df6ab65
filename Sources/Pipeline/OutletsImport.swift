import Config
import Foundation
import Outlets

public struct OutletsImportSummary: Sendable {
    public var file: String
    public var into: String
    public var records: Int
    public var fileSkipped: [String: Int]
    public var merge: MergeReport

    public var lines: [String] {
        var lines = ["\(file): \(records) ratings read; \(merge.matched) matched, \(merge.added) added, "
            + "\(merge.skippedCount + fileSkipped.values.reduce(0, +)) skipped → \(into)"]
        for (reason, count) in fileSkipped.merging(merge.skipped, uniquingKeysWith: +).sorted(by: { $0.key < $1.key }) {
            lines.append("  skipped \(count): \(reason)")
        }
        return lines
    }
}

/// `parallax outlets import`: reads a rater's file and merges it into an outlets file that a
/// config includes. The outlets file is rewritten whole (atomically); values set by hand in it
/// are kept, since only ratings are ever replaced.
public enum OutletsImport {
    public static func run(format: RatingFormat, file: String, into: String, date: String?, addNew: Bool) throws(FrontendError) -> OutletsImportSummary {
        if let date, date.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) == nil {
            throw .other("--date '\(date)' must be written YYYY-MM-DD")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw .other("\(file): cannot read the file: \(FileManager.default.fileExists(atPath: file) ? "permission or I/O error" : "no such file")")
        }
        let parsed: ParsedRatings
        do {
            parsed = try RatingImport.parse(data, format: format, file: file, date: date)
        } catch {
            throw .other(error.description)
        }
        var existing: [Outlet] = []
        if FileManager.default.fileExists(atPath: into) {
            do {
                let config = try ConfigLoader.load(path: into)
                guard config.feeds.isEmpty else { throw FrontendError.other("\(into): has feeds: import into a file that holds only outlets") }
                existing = config.outlets
            } catch let error as ConfigError {
                throw .config(error)
            } catch let error as FrontendError {
                throw error
            } catch {
                throw .other("\(into): \(error)")
            }
        }
        let (outlets, report) = RatingMerge.merge(parsed.records, into: existing, addNew: addNew)
        let text = OutletsFile.render(outlets, header: [
            "Outlets and their ratings, written by `parallax outlets import` (include this file from a config).",
            "Values set by hand (bias, factuality, ownership, …) are kept on every import; a rater's rating is replaced only by one of the same or a later date.",
        ])
        do {
            let url = URL(fileURLWithPath: into)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw .other("\(into): cannot write: \(error.localizedDescription)")
        }
        return OutletsImportSummary(file: file, into: into, records: parsed.records.count, fileSkipped: parsed.skipped, merge: report)
    }
}
