import Coverage
import Foundation
import Outlets
import Reports
import Stories

/// Keeps `reports/` in step with the stories, rewriting only what changed. A manifest in the
/// folder remembers, per story, a signature of what its files were made from and the summary
/// the index pages need; per shared file (indexes, feeds, outlet pages), a hash of its bytes.
/// Every file is written to a temporary name and renamed, the manifest last.
public struct ReportsFolder: Sendable {
    /// A file of the folder that could not be written or removed.
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String

        public var description: String { "\(path): cannot write reports: \(reason)" }
    }

    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    static let manifestName = ".parallax-manifest.json"

    struct Manifest: Codable {
        static let currentVersion = 1
        var version = currentVersion
        var stories: [Int64: Entry] = [:]
        /// Path → FNV-1a hash of the bytes last written.
        var shared: [String: String] = [:]

        struct Entry: Codable {
            var signature: String
            var summary: StorySummary
        }
    }

    public struct Update: Sendable, Equatable {
        public var storiesRendered: Int
        public var storiesUnchanged: Int
        public var storiesRemoved: Int
        public var filesWritten: Int
    }

    /// - Parameters:
    ///   - stories: every story that should have reports, with a signature that changes whenever
    ///     its report would (its articles, the outlets' ratings, the rules, the renderer).
    ///   - coverage: tallies a story; called only for stories whose signature changed.
    public func update(
        stories: [(story: Story, signature: String)], coverage: (Story) throws -> Coverage, outlets: [Outlet], method: Method,
        generatedAt: Date
    ) throws -> Update {
        let old = readManifest()
        var manifest = Manifest()
        var written = 0, rendered = 0
        for (story, signature) in stories {
            if let entry = old.stories[story.id], entry.signature == signature {
                manifest.stories[story.id] = entry
                continue
            }
            let tallied = try coverage(story)
            for file in FileReports.storyFiles(tallied, method: method, generatedAt: generatedAt) {
                try write(file)
                written += 1
            }
            rendered += 1
            manifest.stories[story.id] = Manifest.Entry(signature: signature, summary: StorySummary(tallied))
        }
        let removed = old.stories.keys.filter { manifest.stories[$0] == nil }
        for id in removed {
            for path in FileName.storyFiles(id) { try remove(path) }
        }

        let summaries = manifest.stories.values.map(\.summary)
        for file in FileReports.indexFiles(summaries, outlets: outlets, method: method, generatedAt: generatedAt) {
            let hash = Hash.fnv1a(file.contents)
            manifest.shared[file.path] = hash
            // Index pages carry the generation time, so they change every run; outlet pages only when their stories do.
            if old.shared[file.path] == hash, FileManager.default.fileExists(atPath: url(file.path).path) { continue }
            try write(file)
            written += 1
        }
        for path in old.shared.keys where manifest.shared[path] == nil { try remove(path) }
        try writeManifest(manifest)
        return Update(storiesRendered: rendered, storiesUnchanged: stories.count - rendered, storiesRemoved: removed.count, filesWritten: written)
    }

    private func url(_ path: String) -> URL { directory.appendingPathComponent(path) }

    private func write(_ file: ReportFile) throws {
        let target = url(file.path)
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.contents.write(to: target, options: .atomic)
        } catch {
            throw WriteError(path: target.path, reason: error.localizedDescription)
        }
    }

    private func remove(_ path: String) throws {
        let target = url(path)
        guard FileManager.default.fileExists(atPath: target.path) else { return }
        do {
            try FileManager.default.removeItem(at: target)
        } catch {
            throw WriteError(path: target.path, reason: error.localizedDescription)
        }
    }

    /// A missing, unreadable or older manifest means "nothing is known": everything is rewritten.
    private func readManifest() -> Manifest {
        guard let data = try? Data(contentsOf: url(Self.manifestName)),
            let manifest = try? JSONDecoder().decode(Manifest.self, from: data), manifest.version == Manifest.currentVersion
        else { return Manifest() }
        return manifest
    }

    private func writeManifest(_ manifest: Manifest) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(manifest)
        } catch {
            throw WriteError(path: url(Self.manifestName).path, reason: "cannot encode the manifest: \(error)")
        }
        try write(ReportFile(path: Self.manifestName, contents: data))
    }
}
