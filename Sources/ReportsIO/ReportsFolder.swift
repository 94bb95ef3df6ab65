import Brief
import Coverage
import Foundation
import Outlets
import Reports
import Stories

/// Keeps `reports/` in step with the stories, rewriting only what changed. A manifest in the
/// folder remembers, per story, a signature of what its files were made from and the summary
/// the index pages need; per shared file (index pages, feeds, outlet pages), a hash of the
/// inputs it was rendered from, so a shared file whose inputs are unchanged is not even rendered.
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

    static let manifestName = ".parallax-manifest"
    /// The JSON manifest of earlier versions; removed once the new one is written.
    static let oldManifestName = ".parallax-manifest.json"

    public struct Update: Sendable, Equatable {
        public var storiesRendered: Int
        public var storiesUnchanged: Int
        public var storiesRemoved: Int
        public var filesWritten: Int
    }

    /// - Parameters:
    ///   - stories: every story that should have reports, with a signature that changes whenever
    ///     its report would (its articles, the outlets' ratings, the rules, the renderer).
    ///   - coverage: tallies a story; called only for stories whose signature changed, or whose
    ///     related stories did.
    ///   - brief: chooses a tallied story's brief; called after every changed story was tallied
    ///     (a tally may teach the brief what is boilerplate). Nil writes no brief and ranks no
    ///     related stories: only for measuring what they cost (`bench-brief`, `bench-reports`).
    ///   - generatedAt: printed in the files rendered by this call; a file left as it was keeps
    ///     the time it was made.
    public func update(
        stories: [(story: Story, signature: String)], coverage: (Story) async throws -> Coverage, brief: ((Coverage) async throws -> StoryBrief)?,
        outlets: [Outlet], method: Method, generatedAt: Date, isolation: isolated (any Actor)? = #isolation
    ) async throws -> Update {
        let oldBytes = try? [UInt8](Data(contentsOf: url(Self.manifestName)))
        let old = oldBytes.flatMap(Manifest.init(decoding:)) ?? Manifest()
        var manifest = Manifest()
        var written = 0, rendered = 0
        // Stories whose own inputs changed are tallied first, all of them, then briefed.
        var tallied: [Int64: Coverage] = [:]
        for (story, signature) in stories {
            if let entry = old.stories[story.id], entry.signature == signature {
                manifest.stories[story.id] = entry
                continue
            }
            tallied[story.id] = try await coverage(story)
        }
        var briefs: [Int64: StoryBrief] = [:]
        for (story, signature) in stories {
            guard let coverage = tallied[story.id] else { continue }
            let chosen = try await brief?(coverage) ?? .empty
            briefs[story.id] = chosen
            let profile = brief == nil
                ? RelatedStories.Profile(id: story.id, firstSeenAt: story.firstSeenAt, language: "", anchors: [])
                : RelatedStories.profile(id: story.id, firstSeenAt: story.firstSeenAt, articles: coverage.articles)
            manifest.stories[story.id] = Manifest.Entry(
                signature: signature, summary: StorySummary(coverage, brief: chosen), language: profile.language, anchors: profile.anchors,
                pageSignature: "")
        }

        // Related stories are linked both ways, so a story's page changes when a story it lists
        // (or should now list) changes: its page signature covers their summaries.
        let profiles = stories.compactMap { story in
            manifest.stories[story.story.id].map {
                RelatedStories.Profile(id: story.story.id, firstSeenAt: story.story.firstSeenAt, language: $0.language, anchors: $0.anchors)
            }
        }
        let relations = brief == nil ? [:] : RelatedStories.rank(profiles)
        for (story, signature) in stories {
            guard var entry = manifest.stories[story.id] else { continue }
            let related: [RelatedStory] = (relations[story.id] ?? []).compactMap { relation in
                manifest.stories[relation.id].map {
                    RelatedStory(
                        id: relation.id, title: $0.summary.title, score: relation.score, firstSeenAt: $0.summary.firstSeenAt,
                        outletCount: $0.summary.outletCount, biasByOutlet: $0.summary.biasByOutlet)
                }
            }
            var hash = Hash.FNV1a()
            hash.add(signature)
            for relation in related {
                hash.add(String(relation.id))
                hash.add(String(relation.score))
                hash.add(manifest.stories[relation.id]!.summary.signature)
            }
            entry.pageSignature = hash.hex
            manifest.stories[story.id] = entry
            if tallied[story.id] == nil, old.stories[story.id]?.pageSignature == entry.pageSignature { continue }
            let storyCoverage: Coverage
            if let known = tallied[story.id] { storyCoverage = known } else { storyCoverage = try await coverage(story) }
            var storyBrief: StoryBrief
            if let known = briefs[story.id] { storyBrief = known } else { storyBrief = try await brief?(storyCoverage) ?? .empty }
            storyBrief.related = related
            for file in FileReports.storyFiles(storyCoverage, brief: storyBrief, method: method, generatedAt: generatedAt) {
                try write(file)
                written += 1
            }
            rendered += 1
        }
        let removed = old.stories.keys.filter { manifest.stories[$0] == nil }
        for id in removed {
            for path in FileName.storyFiles(id) { try remove(path) }
        }

        let summaries = manifest.stories.values.map(\.summary)
        for page in FileReports.sharedPages(summaries, outlets: outlets, method: method, generatedAt: generatedAt) {
            manifest.shared[page.path] = page.inputs
            if old.shared[page.path] == page.inputs, FileManager.default.fileExists(atPath: url(page.path).path) { continue }
            try write(ReportFile(path: page.path, contents: page.render()))
            written += 1
        }
        for path in old.shared.keys where manifest.shared[path] == nil { try remove(path) }
        let bytes = manifest.encoded()
        if bytes != oldBytes { try write(ReportFile(path: Self.manifestName, contents: Data(bytes))) }
        try remove(Self.oldManifestName)
        return Update(storiesRendered: rendered, storiesUnchanged: stories.count - rendered, storiesRemoved: removed.count, filesWritten: written)
    }

    /// What the last write remembered of every story it wrote: its related-story profile and the
    /// summary a related-story entry shows; nil when the folder has no readable manifest.
    public func storedStories() -> [(profile: RelatedStories.Profile, summary: StorySummary)]? {
        guard let bytes = try? [UInt8](Data(contentsOf: url(Self.manifestName))), let manifest = Manifest(decoding: bytes) else { return nil }
        return manifest.stories.map { id, entry in
            (RelatedStories.Profile(id: id, firstSeenAt: entry.summary.firstSeenAt, language: entry.language, anchors: entry.anchors), entry.summary)
        }
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
}
