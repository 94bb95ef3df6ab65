import Config
import Coverage
import Foundation
import Store
import Stories

extension Frontend {
    /// `parallax story merge A B`: B becomes part of A. Under the run lock, in one transaction.
    public func mergeStories(keep kept: Int64, absorb absorbed: Int64) async throws -> CorrectionResult {
        try await correcting { try await store.correctMerge(keep: kept, absorb: absorbed, at: Date()) }
    }

    /// `parallax story split ID --articles URL…`: the articles become a story of their own.
    public func splitStory(_ id: Int64, articles: [String]) async throws -> CorrectionResult {
        try await correcting { try await store.correctSplit(story: id, articles: articles, at: Date()) }
    }

    /// `parallax article move URL… --to ID`.
    public func moveArticles(_ urls: [String], to id: Int64) async throws -> [CorrectionResult] {
        try await correcting { try await store.correctMove(articles: urls, to: id, at: Date()) }
    }

    /// The corrections file (`parallax corrections export`).
    public func exportCorrections(now: Date = Date()) async throws -> String {
        CorrectionsFile.render(try await store.corrections(), generatedAt: now)
    }

    /// Reads a corrections file and records what it says that the state does not already hold.
    /// A file that cannot be read or parsed changes nothing.
    public func importCorrections(from path: String) async throws -> (results: [CorrectionResult], skipped: Int) {
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
        return try await correcting { try await store.importCorrections(corrections) }
    }

    /// Runs a correction under the lock every writer of the state takes; a refused correction
    /// becomes one line naming the state.
    private func correcting<T>(_ body: () async throws -> T) async throws -> T {
        let lock = try await lock()
        defer { withExtendedLifetime(lock) {} }
        do {
            return try await body()
        } catch let error as CorrectionError {
            throw FrontendError.other("\(store.location): \(error)")
        }
    }

    /// A story's tally with the corrections that shaped it.
    func tally(_ story: Story, notes: [Int64: [CorrectionNote]]) async throws -> Coverage {
        var coverage = CoverageTally.tally(story: story, articles: try await store.articles(inStory: story.id), registry: registry, rule: config.blindspot)
        coverage.corrections = notes[story.id] ?? []
        return coverage
    }
}
