import Config
import Coverage
import Foundation
import Store
import Stories

extension Frontend {
    /// `parallax story merge A B`: B becomes part of A. Under the run lock, in one transaction.
    public func mergeStories(keep kept: Int64, absorb absorbed: Int64) throws -> CorrectionResult {
        try correcting { try store.correctMerge(keep: kept, absorb: absorbed) }
    }

    /// `parallax story split ID --articles URL…`: the articles become a story of their own.
    public func splitStory(_ id: Int64, articles: [String]) throws -> CorrectionResult {
        try correcting { try store.correctSplit(story: id, articles: articles) }
    }

    /// `parallax article move URL… --to ID`.
    public func moveArticles(_ urls: [String], to id: Int64) throws -> [CorrectionResult] {
        try correcting { try store.correctMove(articles: urls, to: id) }
    }

    /// The corrections file (`parallax corrections export`).
    public func exportCorrections(now: Date = Date()) throws -> String {
        CorrectionsFile.render(try store.corrections(), generatedAt: now)
    }

    /// Reads a corrections file and records what it says that the state does not already hold.
    /// A file that cannot be read or parsed changes nothing.
    public func importCorrections(from path: String) throws -> (results: [CorrectionResult], skipped: Int) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw FrontendError.other("\(path): \(exists ? "cannot read the file as UTF-8 text" : "no such file")")
        }
        let corrections: [Correction]
        do {
            corrections = try CorrectionsFile.parse(text, file: path)
        } catch {
            throw FrontendError.config(error)
        }
        return try correcting { try store.importCorrections(corrections) }
    }

    /// Runs a correction under the lock every writer of the state takes; a refused correction
    /// becomes one line naming the state.
    private func correcting<T>(_ body: () throws -> T) throws -> T {
        let lock = try lock()
        defer { withExtendedLifetime(lock) {} }
        do {
            return try body()
        } catch let error as CorrectionError {
            throw FrontendError.other("\(store.path): \(error)")
        }
    }

    /// A story's tally with the corrections that shaped it.
    func tally(_ story: Story, notes: [Int64: [CorrectionNote]]) throws -> Coverage {
        var coverage = CoverageTally.tally(story: story, articles: try store.articles(inStory: story.id), registry: registry, rule: config.blindspot)
        coverage.corrections = notes[story.id] ?? []
        return coverage
    }
}
