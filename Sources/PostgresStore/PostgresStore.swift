import Feeds
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import Outlets
import PostgresNIO
import Store
import Stories

/// Parallax's state in a PostgreSQL database: the same tables, columns and migration ids as
/// `SQLiteStore` (`grdb_migrations` included, so both say their schema version alike), dates as
/// the same text, and the same steps in one transaction each. Writing transactions also take one
/// transaction-scoped advisory lock, so writers follow each other as they do on SQLite's single
/// write lock, whichever machine they run on.
///
/// One connection per store: the pipeline's calls come one after another, and a gate keeps a
/// second task's statements out of a transaction that is open.
public final class PostgresStore: StateStore {
    public let postgres: PostgresLocation
    public var location: String { postgres.display }
    let connection: PostgresConnection
    private let gate = Gate()
    let logger: Logger
    /// The server process of this store's leader lock connection while this process leads.
    /// Every writing transaction checks that it still holds the lock: a leader whose lock
    /// connection dropped must not go on clustering beside the process that took over.
    private let leaderBackend = NIOLockedValueBox<Int32?>(nil)

    /// The advisory lock key every writing transaction takes ("parallax" in ASCII).
    static let writerLockKey: Int64 = 0x7061_7261_6C6C_6178
    /// The session-level advisory lock the leader holds (see `tryRunLock`).
    static let runLockKey: Int64 = 0x7061_7261_6C6C_6179

    private init(postgres: PostgresLocation, connection: PostgresConnection, logger: Logger) {
        self.postgres = postgres
        self.connection = connection
        self.logger = logger
    }

    /// Connects, refuses a state of a newer schema, and migrates an older one.
    public static func open(_ postgres: PostgresLocation) async throws(StoreError) -> PostgresStore {
        let logger = quietLogger
        let connection = try await connect(postgres, logger: logger)
        let store = PostgresStore(postgres: postgres, connection: connection, logger: logger)
        do {
            try await store.migrate()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    public static func open(url: String) async throws(StoreError) -> PostgresStore {
        try await open(PostgresLocation(url: url))
    }

    static func connect(_ postgres: PostgresLocation, logger: Logger) async throws(StoreError) -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        if postgres.isUnixSocket {
            configuration = .init(
                unixSocketPath: postgres.socketPath, username: postgres.user, password: postgres.password, database: postgres.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            do {
                var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
                switch postgres.sslMode {
                case .disable, .prefer, .require: tlsConfiguration.certificateVerification = .none
                case .verifyCA: tlsConfiguration.certificateVerification = .noHostnameVerification
                case .verifyFull: tlsConfiguration.certificateVerification = .fullVerification
                }
                let context = try NIOSSLContext(configuration: tlsConfiguration)
                switch postgres.sslMode {
                case .disable: tls = .disable
                case .prefer: tls = .prefer(context)
                case .require, .verifyCA, .verifyFull: tls = .require(context)
                }
            } catch {
                throw .cannotConnect(location: postgres.display, reason: "cannot set up TLS: \(error)")
            }
            configuration = .init(
                host: postgres.host, port: postgres.port, username: postgres.user, password: postgres.password,
                database: postgres.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(10)
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw .cannotConnect(location: postgres.display, reason: Self.reason(error, password: postgres.password))
        }
    }

    /// postgres-nio logs what the store reports itself as errors: only its critical messages are kept.
    static var quietLogger: Logger {
        var logger = Logger(label: "parallax.postgres")
        logger.logLevel = .critical
        return logger
    }

    /// Closes the connection (an open transaction, if any, is rolled back by the server).
    public func close() async {
        try? await connection.close()
    }

    deinit { Self.closeLater(connection) }

    /// Closes a connection from a deinit: postgres-nio wants a connection closed before it is
    /// released, so the close's completion keeps it until then.
    static func closeLater(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Runs statements one by one outside a transaction on a fresh connection (`CREATE DATABASE`
    /// cannot run in one): for setting up and inspecting servers in tests and scripts.
    public static func administer(_ statements: [String], at postgres: PostgresLocation) async throws(StoreError) {
        let logger = quietLogger
        let connection = try await connect(postgres, logger: logger)
        do {
            for statement in statements {
                for try await _ in try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) {}
            }
            try? await connection.close()
        } catch {
            try? await connection.close()
            throw .failed(location: postgres.display, reason: reason(error, password: postgres.password))
        }
    }

    // MARK: - Transactions

    /// Runs `body` in one transaction; a writing one first waits for the other writers.
    /// Errors of the database become `StoreError`s naming it; others pass through unchanged.
    func transaction<T>(writing: Bool, _ body: (SQL) async throws -> T) async throws -> T {
        await gate.enter()
        defer { gate.leave() }
        let sql = SQL(connection: connection, logger: logger)
        do {
            try await sql.execute("BEGIN")
            if writing {
                try await sql.execute("SELECT pg_advisory_xact_lock(?)", [.integer(Self.writerLockKey)])
                if let backend = leaderBackend.withLockedValue({ $0 }) { try await checkLeaderLock(backend, sql) }
            }
            let value = try await body(sql)
            try await sql.execute("COMMIT")
            return value
        } catch {
            if !connection.isClosed { try? await sql.execute("ROLLBACK") }
            throw translate(error)
        }
    }

    func read<T>(_ body: (SQL) async throws -> T) async throws -> T { try await transaction(writing: false, body) }
    func write<T>(_ body: (SQL) async throws -> T) async throws -> T { try await transaction(writing: true, body) }

    func translate(_ error: any Error) -> any Error {
        if error is SQL.ConnectionClosed {
            return StoreError.connectionLost(location: location, reason: "the server closed the connection")
        }
        guard let error = error as? PSQLError else { return error }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .connectionError:
            return StoreError.connectionLost(location: location, reason: Self.reason(error, password: postgres.password))
        default:
            if connection.isClosed {
                return StoreError.connectionLost(location: location, reason: Self.reason(error, password: postgres.password))
            }
            return StoreError.failed(location: location, reason: Self.reason(error, password: postgres.password))
        }
    }

    /// What the server or the socket said, in words: postgres-nio's own description is a
    /// placeholder, on purpose. A password can only appear if the server echoed it; it is cut.
    static func reason(_ error: any Error, password: String?) -> String {
        var text: String
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                text = message
                if let state = error.serverInfo?[.sqlState] { text += " (SQLSTATE \(state))" }
            } else if let underlying = error.underlying {
                text = "\(underlying)"
            } else {
                switch error.code {
                case .serverClosedConnection: text = "the server closed the connection"
                case .clientClosedConnection: text = "the connection was closed"
                case .uncleanShutdown: text = "the connection ended uncleanly"
                case .authMechanismRequiresPassword: text = "the server asks for a password and none was given (set PGPASSWORD or ~/.pgpass)"
                case .sslUnsupported: text = "the server does not offer TLS, and sslmode asks for it"
                case .connectionError: text = "cannot connect"
                default: text = "\(error.code)"
                }
            }
        } else {
            text = "\(error)"
        }
        if let password, !password.isEmpty { text = text.replacingOccurrences(of: password, with: "…") }
        return text
    }

    // MARK: - Schema

    func migrate() async throws(StoreError) {
        do {
            try await write { sql in
                try await sql.execute("CREATE TABLE IF NOT EXISTS grdb_migrations (identifier text NOT NULL PRIMARY KEY)")
                let applied = try await sql.rows("SELECT identifier FROM grdb_migrations").map { try $0.string(0) }
                try StateSchema.refuseNewer(applied, location: location)
                for (identifier, statements) in PostgresSchema.migrations where !applied.contains(identifier) {
                    for statement in statements { try await sql.execute(statement) }
                    try await sql.execute("INSERT INTO grdb_migrations (identifier) VALUES (?)", [.text(identifier)])
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .failed(location: location, reason: "\(error)")
        }
    }

    public func appliedMigrations() async throws -> [String] {
        let applied = try await read { sql in try await sql.rows("SELECT identifier FROM grdb_migrations").map { try $0.string(0) } }
        return StateSchema.migrations.filter(applied.contains)
    }

    /// What SQLite's integrity check covers that PostgreSQL does not check by itself: the
    /// store's own invariants (every story's count matches its members, no article both queued
    /// and placed, every title article in its story).
    public func integrityCheck() async throws -> String {
        try await read { sql in
            var problems: [String] = []
            let miscounted = try await sql.int(
                """
                SELECT COUNT(*) FROM story WHERE articleCount <> (SELECT COUNT(*) FROM storyMember WHERE storyMember.storyID = story.id)
                """)
            if miscounted > 0 { problems.append("\(miscounted) stories whose article count differs from their members") }
            let both = try await sql.int("SELECT COUNT(*) FROM clusterQueue JOIN storyMember USING (articleID)")
            if both > 0 { problems.append("\(both) articles both waiting for a story and in one") }
            let strayTitles = try await sql.int(
                """
                SELECT COUNT(*) FROM story WHERE titleArticleID IS NOT NULL AND NOT EXISTS
                  (SELECT 1 FROM storyMember WHERE storyMember.articleID = story.titleArticleID AND storyMember.storyID = story.id)
                """)
            if strayTitles > 0 { problems.append("\(strayTitles) stories titled by an article not among their members") }
            return problems.isEmpty ? "ok" : problems.joined(separator: "; ")
        }
    }

    public func sizeOnDisk() async throws -> Int {
        try await read { sql in try await sql.int("SELECT pg_database_size(current_database())") }
    }

    // MARK: - The leader lock

    /// Held by the one process that clusters and writes reports (a `run`'s leader part, a
    /// correction, `prune`, `report`), on a connection of its own, so that the server releases
    /// it when that connection ends, however the process ends: any later run takes over.
    public final class RunLock: Sendable {
        let connection: PostgresConnection
        private let released: @Sendable () -> Void
        init(connection: PostgresConnection, released: @escaping @Sendable () -> Void) {
            self.connection = connection
            self.released = released
        }
        deinit {
            released()
            PostgresStore.closeLater(connection)
        }
    }

    /// The leader lock held by the server process `backend`, as a pg_locks row.
    private static let leaderLockHeld = """
        SELECT EXISTS (SELECT 1 FROM pg_locks l
          WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND ((l.classid::bigint << 32) | l.objid::bigint) = ? AND l.objsubid = 1 AND l.granted AND l.pid = ?)
        """

    private func checkLeaderLock(_ backend: Int32, _ sql: SQL) async throws {
        let held = try await sql.rows(Self.leaderLockHeld, [.integer(Self.runLockKey), .integer(Int64(backend))])
        guard try held.first?.bool(0) == true else { throw StoreError.leadershipLost(location: location) }
    }

    /// Throws `leadershipLost` when this store took the leader lock and no longer holds it
    /// (for work outside the database, such as writing the reports, to check before it starts).
    public func checkLeadership() async throws {
        guard let backend = leaderBackend.withLockedValue({ $0 }) else { return }
        try await read { sql in try await checkLeaderLock(backend, sql) }
    }

    /// Takes the leader lock, or returns nil at once when another process holds it.
    /// - Parameter holder: what `parallax check` shows of the holder (host, pid), as the
    ///   connection's `application_name`.
    public func tryRunLock(holder: String = PostgresCrawlCoordination.workerName()) async throws -> RunLock? {
        let lockConnection = try await Self.connect(postgres, logger: logger)
        do {
            let sql = SQL(connection: lockConnection, logger: logger)
            try await sql.execute("SELECT set_config('application_name', ?, false)", [.text("parallax leader " + holder)])
            let rows = try await sql.rows("SELECT pg_try_advisory_lock(?)", [.integer(Self.runLockKey)])
            guard try rows.first?.bool(0) == true else {
                try? await lockConnection.close()
                return nil
            }
            let backend = try await sql.rows("SELECT pg_backend_pid()::bigint")[0].int(0)
            leaderBackend.withLockedValue { $0 = Int32(backend) }
            return RunLock(connection: lockConnection) { [leaderBackend] in
                leaderBackend.withLockedValue { if $0 == Int32(backend) { $0 = nil } }
            }
        } catch {
            try? await lockConnection.close()
            throw translate(error)
        }
    }

    /// Whether some process holds the leader lock now.
    public func isRunLockHeld() async throws -> Bool {
        try await leader() != nil
    }

    /// Who holds the leader lock now ("host:pid:…" and since when), nil when nobody does.
    public func leader() async throws -> (holder: String, since: Date?)? {
        try await read { sql in
            guard
                let row = try await sql.rows(
                    """
                    SELECT COALESCE(a.application_name, ''), extract(epoch FROM a.backend_start)::double precision FROM pg_locks l
                      LEFT JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND ((l.classid::bigint << 32) | l.objid::bigint) = ? AND l.objsubid = 1 AND l.granted
                    """, [.integer(Self.runLockKey)]
                ).first
            else { return nil }
            let name = try row.string(0)
            let holder = name.hasPrefix("parallax leader ") ? String(name.dropFirst("parallax leader ".count)) : (name.isEmpty ? "unknown" : name)
            return (holder, try row.optionalDouble(1).map(Date.init(timeIntervalSince1970:)))
        }
    }

    /// The crawl workers' feed leases and host slots as the server's clock sees them now, for `parallax check`.
    public func crawlLeases() async throws -> (live: [(worker: String, feeds: Int)], expired: Int, slotsHeld: Int) {
        try await read { sql in
            let live = try await sql.rows(
                """
                SELECT leaseOwner, COUNT(*) FROM feed WHERE leaseUntil > extract(epoch FROM clock_timestamp())
                GROUP BY leaseOwner ORDER BY leaseOwner
                """
            ).map { (try $0.string(0), try $0.int(1)) }
            let expired = try await sql.int(
                "SELECT COUNT(*) FROM feed WHERE leaseOwner IS NOT NULL AND leaseUntil <= extract(epoch FROM clock_timestamp())")
            let slots = try await sql.int(
                "SELECT COUNT(*) FROM hostSlot WHERE holder IS NOT NULL AND heldUntil > extract(epoch FROM clock_timestamp())")
            return (live, expired, slots)
        }
    }
}

/// Lets one task at a time use the connection: a transaction's statements must not interleave
/// with another task's.
final class Gate: Sendable {
    private struct State {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state = NIOLockedValueBox(State())

    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let proceed = state.withLockedValue { state -> Bool in
                if state.busy {
                    state.waiting.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if proceed { continuation.resume() }
        }
    }

    func leave() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
