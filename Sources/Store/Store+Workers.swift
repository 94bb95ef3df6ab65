import GRDB

extension SQLiteStore {
    /// The columns and table that crawl workers share on a server store. SQLite gets them too, so
    /// both stores keep one schema under one migration id and `state copy` maps table to table;
    /// on SQLite they stay empty (one process crawls, under its flock).
    static func registerWorkersMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-workers: feed leases and shared host slots for crawl workers") { db in
            try db.alter(table: "feed") { t in
                t.add(column: "leaseOwner", .text)
                // Seconds since 1970 by the database server's clock, so workers' clocks never matter.
                t.add(column: "leaseUntil", .double)
            }
            try db.create(table: "hostSlot") { t in
                t.column("host", .text).notNull()
                t.column("slot", .integer).notNull()
                t.column("holder", .text)
                t.column("heldUntil", .double)
                t.column("startedAt", .double)
                t.primaryKey(["host", "slot"])
            }
        }
    }
}
