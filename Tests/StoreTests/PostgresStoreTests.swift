import Feeds
import Foundation
import PostgresStore
import Store
import Stories
import Testing
import TestStates

/// Reading `postgresql://` locations as libpq does (no server needed).
@Suite("PostgreSQL locations")
struct PostgresLocationTests {
    @Test func aFullURLAndItsDisplayWithoutThePassword() throws {
        let location = try PostgresLocation(url: "postgresql://ana:s3cr%40t@db.example:6543/news?sslmode=require", environment: [:], home: "/nonexistent")
        #expect(location.host == "db.example" && location.port == 6543 && location.user == "ana" && location.database == "news")
        #expect(location.password == "s3cr@t")
        #expect(location.sslMode == .require)
        #expect(location.display == "ana@db.example:6543/news")
        #expect(!location.isUnixSocket)
    }

    @Test func aSocketDirectoryAsHostParameterOrInTheHostPart() throws {
        let query = try PostgresLocation(url: "postgresql:///news?host=/tmp/pg%20dir&port=5433&user=bo", environment: [:], home: "/nonexistent")
        #expect(query.isUnixSocket && query.socketPath == "/tmp/pg dir/.s.PGSQL.5433" && query.user == "bo" && query.database == "news")
        let encoded = try PostgresLocation(url: "postgresql://bo@%2Fvar%2Frun%2Fpostgresql/news", environment: [:], home: "/nonexistent")
        #expect(encoded.host == "/var/run/postgresql" && encoded.port == 5432)
    }

    @Test func theEnvironmentFillsWhatTheURLLeavesOut() throws {
        let location = try PostgresLocation(
            url: "postgresql://", environment: ["PGUSER": "cy", "PGPASSWORD": "pw", "PGHOST": "h", "PGPORT": "7", "PGDATABASE": "d"],
            home: "/nonexistent")
        #expect(location.display == "cy@h:7/d" && location.password == "pw" && location.sslMode == .prefer)
    }

    @Test func aPgpassFileGivesThePasswordOfTheFirstMatchingLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("pgpass")
        try "# comment\nother:5432:*:ana:no\ndb.example:5432:news:ana:pa\\:ss\n*:*:*:*:fallback\n".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let env = ["PGPASSFILE": file.path]
        #expect(try PostgresLocation(url: "postgresql://ana@db.example/news", environment: env).password == "pa:ss")
        #expect(try PostgresLocation(url: "postgresql://bo@elsewhere/x", environment: env).password == "fallback")
        // A password in the URL or PGPASSWORD wins over the file.
        #expect(try PostgresLocation(url: "postgresql://ana@db.example/news", environment: env.merging(["PGPASSWORD": "env"]) { $1 }).password == "env")
        // Like libpq, a file others can read is ignored.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        #expect(try PostgresLocation(url: "postgresql://ana@db.example/news", environment: env).password == nil)
    }

    @Test func badLocationsAreRefusedWithoutShowingThePassword() {
        for url in ["postgresql://ana:topsecret@h/db?sslmode=sometimes", "postgresql://ana:topsecret@h:99999/db", "postgresql://ana:topsecret@h/db?colour=red"] {
            do {
                _ = try PostgresLocation(url: url, environment: [:], home: "/nonexistent")
                Issue.record("\(url) was accepted")
            } catch {
                #expect(!"\(error)".contains("topsecret"), "\(error)")
                #expect("\(error)".contains("ana@h"), "\(error)")
            }
        }
    }
}

@Suite("PostgreSQL store: bad input")
struct PostgresBadInputTests {
    @Test func anUnreachableServerIsOneLineNamingTheDatabase() async throws {
        do {
            _ = try await PostgresStore.open(url: "postgresql://nobody:hidden@127.0.0.1:9/nowhere?sslmode=disable")
            Issue.record("connected to nothing")
        } catch {
            let line = "\(error)"
            #expect(line.hasPrefix("nobody@127.0.0.1:9/nowhere: cannot connect to the state database"), "\(line)")
            #expect(!line.contains("hidden") && !line.contains("\n"), "\(line)")
        }
    }

    @Test(.enabled(if: StateBackend.available.contains(.postgresql)))
    func wrongCredentialsAreOneLineWithoutThePassword() async throws {
        let state = try await TestState(.postgresql)
        var components = try #require(URLComponents(string: state.location))
        components.password = "not-the-password-7731"
        do {
            let store = try await PostgresStore.open(url: try #require(components.string))
            // A server that trusts local connections takes any password: nothing to refuse there.
            await store.close()
        } catch {
            let line = "\(error)"
            #expect(line.contains("cannot connect") && line.contains("password authentication failed"), "\(line)")
            #expect(!line.contains("not-the-password-7731"), "\(line)")
        }
    }

    @Test(.enabled(if: StateBackend.available.contains(.postgresql)))
    func aLostConnectionIsOneLineAndWhatWasCommittedStays() async throws {
        let state = try await TestState(.postgresql)
        let store = try await state.open()
        let url = "https://news.example/kept"
        let kept = Article(
            canonicalURL: url, url: url, outletID: nil, domain: "news.example", title: "Kept", summary: "", language: "en",
            publishedAt: nil, firstSeenAt: Date(timeIntervalSince1970: 1_795_000_000), feedURL: "https://news.example/feed")
        try await store.insertNewArticles([kept])
        let location = try PostgresLocation(url: state.location)
        try await PostgresStore.administer(
            ["SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(location.database)' AND pid <> pg_backend_pid()"],
            at: PostgresLocation(url: TestState.serverURL()))
        do {
            var lost = kept
            lost.canonicalURL = "https://news.example/lost"
            try await store.insertNewArticles([lost])
            Issue.record("wrote over a terminated connection")
        } catch let error as StoreError {
            let line = "\(error)"
            #expect(line.hasPrefix(location.display + ": lost the connection"), "\(line)")
        }
        let reopened = try await state.open()
        #expect(try await reopened.articleCount() == 1)
    }
}

@Suite("PostgreSQL store: the run lock")
struct PostgresRunLockTests {
    @Test(.enabled(if: StateBackend.available.contains(.postgresql)))
    func oneRunAtATimeAndTheLockEndsWithItsHolder() async throws {
        let state = try await TestState(.postgresql)
        let first = try #require(try await state.open() as? PostgresStore)
        let second = try #require(try await state.open() as? PostgresStore)
        #expect(try await !first.isRunLockHeld())
        var held: PostgresStore.RunLock? = try await first.tryRunLock()
        #expect(held != nil)
        #expect(try await second.isRunLockHeld())
        #expect(try await second.tryRunLock() == nil)
        held = nil
        // The holder's connection closes as it goes; the server then drops the lock.
        var released = false
        for _ in 0..<50 where !released {
            released = try await second.tryRunLock() != nil
            if !released { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(released)
        _ = held
    }

    @Test(.enabled(if: StateBackend.available.contains(.postgresql)))
    func aLeaderWhoseLockConnectionEndsChangesNothingMore() async throws {
        let state = try await TestState(.postgresql)
        let leader = try #require(try await state.open() as? PostgresStore)
        let next = try #require(try await state.open() as? PostgresStore)
        let holder = "fence-test-\(UUID().uuidString.prefix(8))"
        let lock = try #require(try await leader.tryRunLock(holder: holder))
        let url = "https://news.example/before"
        let before = Article(
            canonicalURL: url, url: url, outletID: nil, domain: "news.example", title: "Before", summary: "", language: "en",
            publishedAt: nil, firstSeenAt: Date(timeIntervalSince1970: 1_795_000_000), feedURL: "https://news.example/feed")
        try await leader.insertNewArticles([before])
        try await leader.checkLeadership()
        // Only the lock's connection ends (as when its server process is killed); the store's own stays.
        try await PostgresStore.administer(
            ["SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'parallax leader \(holder)'"],
            at: PostgresLocation(url: TestState.serverURL()))
        var taken: PostgresStore.RunLock?
        for _ in 0..<50 where taken == nil {
            taken = try await next.tryRunLock()
            if taken == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(taken != nil, "nobody could take over")
        var after = before
        after.canonicalURL = "https://news.example/after"
        for attempt in ["write", "check"] {
            do {
                if attempt == "write" { try await leader.insertNewArticles([after]) } else { try await leader.checkLeadership() }
                Issue.record("the old leader's \(attempt) went through")
            } catch let error as StoreError {
                let line = "\(error)"
                #expect(line.hasPrefix(leader.location + ": this process lost the leader lock"), "\(line)")
            }
        }
        #expect(try await next.articleCount() == 1)
        // The new leader writes as before.
        try await next.insertNewArticles([after])
        #expect(try await next.articleCount() == 2)
        withExtendedLifetime(lock) {}
        withExtendedLifetime(taken) {}
    }
}
