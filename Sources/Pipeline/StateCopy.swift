import Config
import Foundation
import PostgresStore
import Store

/// `parallax state copy --to postgresql://…`: the configured SQLite state into an empty
/// PostgreSQL database, verified row for row, under the state's run lock (no run writes to the
/// source meanwhile).
public enum StateCopy {
    public struct Summary: Sendable {
        public var source: String
        public var target: String
        public var tables: [TableCopy]
        public var rows: Int { tables.reduce(0) { $0 + $1.rows } }
    }

    public static func run(
        configPath: String, statePath: String?, to targetURL: String,
        environment: [String: String] = ProcessInfo.processInfo.environment, progress: (String, Int) -> Void = { _, _ in }
    ) async throws -> Summary {
        let config: ParallaxConfig
        do {
            config = try ConfigLoader.load(path: configPath)
        } catch {
            throw FrontendError.config(error)
        }
        let source = StateLocation.resolve(flag: statePath, environment: environment, configured: config.statePath)
        guard !PostgresLocation.isPostgres(source) else {
            let shown = (try? PostgresLocation(url: source).display) ?? "a PostgreSQL URL"
            throw FrontendError.other("\(shown): state copy reads an SQLite state; name it with --state (PARALLAX_STATE names a PostgreSQL one)")
        }
        guard FileManager.default.fileExists(atPath: source) else {
            throw FrontendError.other("\(source): no state database here to copy")
        }
        let target = try PostgresLocation(url: targetURL, environment: environment)
        let lock = try RunLock(statePath: source)
        defer { withExtendedLifetime(lock) {} }
        let store = try SQLiteStore(path: source)
        let tables = try await PostgresStore.copy(from: store, to: target, progress: progress)
        return Summary(source: source, target: target.display, tables: tables)
    }
}
