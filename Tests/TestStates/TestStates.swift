import Foundation
import PostgresStore
import Store

/// The stores a store-dependent test runs against: SQLite always, PostgreSQL when
/// `PARALLAX_TEST_POSTGRES` names a server the tests may create databases on. Nothing is
/// started here; `scripts/test-postgres` (and `.ci/run`) start a throw-away server and set it.
public enum StateBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgresql

    public var description: String { rawValue }

    public static let environmentVariable = "PARALLAX_TEST_POSTGRES"

    /// The line printed (once per test process) when the PostgreSQL cases do not run; `.ci/run`
    /// fails when it sees it.
    public static let skipLine =
        "PostgreSQL state tests skipped: set \(environmentVariable)=postgresql://user@/postgres?host=/socket/dir&port=5432 (scripts/test-postgres starts a throw-away server and sets it)"

    /// Every backend the tests can reach here, for `@Test(arguments:)`.
    public static let available: [StateBackend] = {
        guard let url = ProcessInfo.processInfo.environment[environmentVariable], !url.isEmpty else {
            FileHandle.standardError.write(Data((skipLine + "\n").utf8))
            return [.sqlite]
        }
        return [.sqlite, .postgresql]
    }()
}

/// A fresh, empty, migrated state for one test: an SQLite file in its own temporary folder, or
/// a PostgreSQL database of its own (`CREATE DATABASE parallax_test_…`, left for the throw-away
/// server to take with it).
public struct TestState: Sendable {
    public let backend: StateBackend
    /// What `--state` or `PARALLAX_STATE` would say to use it.
    public let location: String
    /// A scratch folder of the test's own (the SQLite file's folder).
    public let directory: URL

    public init(_ backend: StateBackend) async throws {
        self.backend = backend
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            location = directory.appendingPathComponent("state.sqlite").path
        case .postgresql:
            location = try await Self.freshDatabase()
        }
    }

    /// Opens (and so migrates) the state.
    public func open() async throws -> any StateStore {
        switch backend {
        case .sqlite: return try SQLiteStore(path: location)
        case .postgresql: return try await PostgresStore.open(url: location)
        }
    }

    /// The server the tests use, as configured.
    public static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[StateBackend.environmentVariable], !url.isEmpty else {
            throw StoreError.badLocation("$\(StateBackend.environmentVariable)", reason: "not set")
        }
        return url
    }

    /// The server's URL with another database name.
    public static func url(_ server: String, database: String) throws -> String {
        guard var components = URLComponents(string: server) else { throw StoreError.badLocation(server, reason: "not a URL") }
        components.path = "/" + database
        components.queryItems = components.queryItems?.filter { $0.name != "dbname" }
        guard let url = components.string else { throw StoreError.badLocation(server, reason: "not a URL") }
        return url
    }

    static func freshDatabase() async throws -> String {
        let server = try serverURL()
        let name = "parallax_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await PostgresStore.administer(["CREATE DATABASE \(name)"], at: PostgresLocation(url: server))
        return try url(server, database: String(name))
    }
}
