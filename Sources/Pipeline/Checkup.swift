import Config
import Feeds
import Foundation
import PostgresStore
import Store

/// One thing `parallax check` found.
public struct Finding: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning, ok }
    public var severity: Severity
    public var subject: String
    public var message: String

    public var description: String { "\(severity.rawValue): \(subject): \(message)" }
}

/// Everything `parallax check` looks at, changing nothing (beyond bringing an old state database
/// up to the current schema): the config, every file the
/// config points to, the state database and the reports folder. It goes on after a problem so
/// one pass lists them all.
public enum Checkup {
    /// - Parameter statePath: `--state`, over `PARALLAX_STATE` in `environment`, over the config's `state:`.
    public static func run(
        configPath: String, statePath: String?, reportsPath: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment, minimumFreeBytes: Int64 = 200 << 20
    ) async -> [Finding] {
        var findings: [Finding] = []
        let config: ParallaxConfig
        do {
            config = try ConfigLoader.load(path: configPath)
        } catch {
            return [Finding(severity: .error, subject: error.file, message: error.line.map { "line \($0): \(error.message)" } ?? error.message)]
        }
        findings.append(Finding(severity: .ok, subject: config.path, message: "\(config.outlets.count) outlets, \(config.feeds.count) feeds"))
        findings += feedFindings(config)
        let unrated = config.outlets.filter { $0.bias == .unrated }
        if !unrated.isEmpty {
            findings.append(Finding(severity: .warning, subject: config.path, message: "\(unrated.count) outlets have no bias rating and count as unrated: \(unrated.map(\.id).prefix(8).joined(separator: ", "))\(unrated.count > 8 ? ", …" : "")"))
        }
        let state = StateLocation.resolve(flag: statePath, environment: environment, configured: config.statePath)
        if PostgresLocation.isPostgres(state) {
            findings += await postgresFindings(url: state, feeds: config.feeds)
        } else {
            findings += await stateFindings(path: state, feeds: config.feeds, minimumFreeBytes: minimumFreeBytes)
        }
        findings += reportsFindings(path: URL(fileURLWithPath: reportsPath ?? config.reportsPath ?? "reports").standardizedFileURL.path)
        return findings
    }

    private static func feedFindings(_ config: ParallaxConfig) -> [Finding] {
        var findings: [Finding] = []
        for feed in config.feeds where feed.url.hasPrefix("file://") {
            let path = URL(string: feed.url)?.path ?? feed.url
            if !FileManager.default.isReadableFile(atPath: path) {
                findings.append(Finding(severity: .error, subject: feed.url, message: FileManager.default.fileExists(atPath: path) ? "the feed file is not readable" : "no such feed file"))
            }
        }
        let referenced = Set(config.feeds.compactMap(\.outletID))
        let aggregated = config.feeds.contains { $0.kind != .feed }
        if !aggregated {
            for outlet in config.outlets where !referenced.contains(outlet.id) {
                findings.append(Finding(severity: .warning, subject: config.path, message: "outlet '\(outlet.id)' has no feed and there is no aggregator feed, so it can never appear"))
            }
        }
        return findings
    }

    private static func stateFindings(path: String, feeds: [FeedSource], minimumFreeBytes: Int64) async -> [Finding] {
        var findings: [Finding] = []
        let directory = (path as NSString).deletingLastPathComponent
        if FileManager.default.fileExists(atPath: path) {
            do {
                let store = try SQLiteStore(path: path)
                findings += try await storeFindings(store, feeds: feeds)
            } catch {
                findings.append(Finding(severity: .error, subject: path, message: "\(error)"))
            }
            if RunLock.isHeld(statePath: path) {
                findings.append(Finding(severity: .warning, subject: path + ".lock", message: "a run is in progress now (the lock is held)"))
            }
        } else if let problem = writableProblem(directory) {
            findings.append(Finding(severity: .error, subject: path, message: "the state database cannot be created: \(problem)"))
        } else {
            findings.append(Finding(severity: .ok, subject: path, message: "no state yet; the first run creates it"))
        }
        if let free = freeBytes(at: directory), free < minimumFreeBytes {
            findings.append(Finding(severity: .warning, subject: directory, message: "only \(free >> 20) MiB free on this disk"))
        }
        return findings
    }

    /// A PostgreSQL state: reachable, migrated (opening it migrates an older schema and refuses a
    /// newer one), sound, its feeds, and whether a run holds the run lock now.
    private static func postgresFindings(url: String, feeds: [FeedSource]) async -> [Finding] {
        let subject = (try? PostgresLocation(url: url).display) ?? url.components(separatedBy: "@").last ?? "the PostgreSQL state"
        do {
            let store = try await PostgresStore.open(url: url)
            do {
                var findings = try await storeFindings(store, feeds: feeds)
                if let leader = try await store.leader() {
                    let since = leader.since.map { " since \(ISO8601DateFormatter().string(from: $0))" } ?? ""
                    findings.append(Finding(severity: .ok, subject: subject, message: "leader: \(leader.holder)\(since) (it clusters and writes the reports now)"))
                } else {
                    findings.append(Finding(severity: .ok, subject: subject, message: "no leader now (the next `parallax run` takes the leader lock)"))
                }
                let leases = try await store.crawlLeases()
                let live = leases.live.map { "\($0.worker): \($0.feeds)" }.joined(separator: ", ")
                findings.append(Finding(
                    severity: .ok, subject: subject,
                    message: "\(leases.live.reduce(0) { $0 + $1.feeds }) feeds leased to \(leases.live.count) crawl workers\(live.isEmpty ? "" : " (\(live))"), "
                        + "\(leases.expired) expired leases (claimed again by the next crawl), \(leases.slotsHeld) host slots held"))
                await store.close()
                return findings
            } catch {
                await store.close()
                throw error
            }
        } catch {
            let message = "\(error)"
            return [Finding(severity: .error, subject: subject, message: message.hasPrefix(subject + ": ") ? String(message.dropFirst(subject.count + 2)) : message)]
        }
    }

    /// What both stores report: the schema version, the integrity check, size, and the feeds.
    private static func storeFindings(_ store: any StateStore, feeds: [FeedSource]) async throws -> [Finding] {
        let verdict = try await store.integrityCheck()
        let migrations = try await store.appliedMigrations()
        let schema = "schema \(migrations.last.map { "'\($0.prefix { $0 != ":" })'" } ?? "empty") (\(migrations.count) of \(StateSchema.migrations.count) migrations)"
        var findings = [
            verdict == "ok"
                ? Finding(
                    severity: .ok, subject: store.location,
                    message: "integrity check passed; \(schema); \(try await store.articleCount()) articles, \(try await store.sizeOnDisk() / 1024) KiB")
                : Finding(severity: .error, subject: store.location, message: "integrity check failed: \(verdict)")
        ]
        findings += feedStateFindings(try await store.feedStates(), feeds: feeds)
        return findings
    }

    /// Feeds the crawler has given up on or that keep failing: the config is fine, the feed is not.
    private static func feedStateFindings(_ states: [String: FeedState], feeds: [FeedSource]) -> [Finding] {
        feeds.compactMap { feed in
            guard let state = states[feed.url] else { return nil }
            if state.isParked {
                return Finding(severity: .warning, subject: feed.url, message: "parked (\(state.parkedReason ?? "no reason kept")); `parallax feeds unpark` polls it again")
            }
            if state.consecutiveErrors > 0 {
                return Finding(severity: .warning, subject: feed.url, message: "failed the last \(state.consecutiveErrors) times: \(state.lastError ?? "unknown error")")
            }
            return nil
        }
    }

    private static func reportsFindings(path: String) -> [Finding] {
        if let problem = writableProblem(path) {
            return [Finding(severity: .error, subject: path, message: "the reports folder cannot be written: \(problem)")]
        }
        return [Finding(severity: .ok, subject: path, message: "reports folder is writable")]
    }

    /// Why files cannot be created in `directory` (or in the nearest existing parent that would
    /// hold it), or nil when they can.
    private static func writableProblem(_ directory: String) -> String? {
        var candidate = directory
        var isDirectory: ObjCBool = false
        while !FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) {
            let parent = (candidate as NSString).deletingLastPathComponent
            if parent == candidate || parent.isEmpty { return "no existing parent folder" }
            candidate = parent
        }
        if !isDirectory.boolValue { return "\(candidate) is a file, not a folder" }
        return access(candidate, W_OK) == 0 ? nil : "\(candidate) is not writable"
    }

    private static func freeBytes(at directory: String) -> Int64? {
        var candidate = directory
        while !FileManager.default.fileExists(atPath: candidate) {
            let parent = (candidate as NSString).deletingLastPathComponent
            if parent == candidate || parent.isEmpty { return nil }
            candidate = parent
        }
        let attributes = try? FileManager.default.attributesOfFileSystem(forPath: candidate)
        return (attributes?[.systemFreeSize] as? NSNumber)?.int64Value
    }
}
