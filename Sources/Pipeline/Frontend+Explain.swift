import Foundation
import Store
import Stories

extension Frontend {
    /// Why a story's articles are together. An id merged into another story explains the
    /// surviving story; `redirectedFrom` then names the id asked for.
    public func explain(storyID: Int64) async throws -> (explanation: StoryExplanation, redirectedFrom: Int64?) {
        guard let resolved = try await store.resolveStoryID(storyID), let story = try await store.story(id: resolved) else {
            throw FrontendError.noSuchStory(storyID)
        }
        let explanation = StoryExplanation.explain(
            storyID: resolved, title: story.title, records: try await store.explanationRecords(storyID: resolved), settings: config.clustering)
        return (explanation, resolved == storyID ? nil : storyID)
    }
}
