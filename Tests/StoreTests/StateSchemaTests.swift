import Foundation
import GRDB
import PostgresStore
@testable import Store
import Testing
import TestStates

/// What both stores do with a state they did not make: one of a newer schema is refused
/// whole, with one line naming it, and nothing in it is touched.
@Suite("State schema versions")
struct StateSchemaTests {
    @Test func bothStoresApplyTheSameMigrationsUnderTheSameIDs() {
        #expect(SQLiteStore.migrator.migrations == StateSchema.migrations)
    }

    @Test(arguments: StateBackend.available) func aStateOfANewerSchemaIsRefusedAndLeftAsItWas(_ backend: StateBackend) async throws {
        let state = try await TestState(backend)
        try await state.open().insertNewArticles([])
        let future = "v9-future: something this build does not know"
        switch backend {
        case .sqlite:
            let database = try DatabaseQueue(path: state.location)
            try await database.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [future]) }
        case .postgresql:
            try await PostgresStore.administer(
                ["INSERT INTO grdb_migrations (identifier) VALUES ('\(future)')"], at: PostgresLocation(url: state.location))
        }
        do {
            _ = try await state.open()
            Issue.record("a newer schema was opened")
        } catch let error as StoreError {
            let line = "\(error)"
            #expect(line.contains("newer schema") && line.contains("v9-future"), "\(line)")
            #expect(!line.contains("\n"))
            if backend == .postgresql, let password = try PostgresLocation(url: state.location).password {
                #expect(!line.contains(password))
            }
        }
    }
}
