import Foundation
import GRDB

/// A stored value as SQLite holds it, for copying a state to another database.
public enum StoredValue: Sendable, Hashable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case null
}

extension SQLiteStore {
    /// A page of a table's rows, the columns in the order given, ordered by `key`: what
    /// `parallax state copy` reads. Table and column names come from the schema, never from input.
    public func rows(of table: String, columns: [String], orderedBy key: [String], limit: Int, offset: Int) throws -> [[StoredValue]] {
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let order = key.map { "\"\($0)\"" }.joined(separator: ", ")
        return try database.read { db in
            try Row.fetchAll(db, sql: "SELECT \(list) FROM \"\(table)\" ORDER BY \(order) LIMIT ? OFFSET ?", arguments: [limit, offset]).map { row in
                (0..<columns.count).map { index in
                    let value: DatabaseValue = row[index]
                    switch value.storage {
                    case .int64(let number): return .integer(number)
                    case .double(let number): return .real(number)
                    case .string(let text): return .text(text)
                    case .blob(let data): return .blob([UInt8](data))
                    case .null: return .null
                    }
                }
            }
        }
    }

    public func rowCount(of table: String) throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0 }
    }

    /// The highest id an AUTOINCREMENT table ever gave (ids of deleted rows are never given
    /// again), so a copy continues after it.
    public func autoincrementHighWater(_ table: String) throws -> Int64 {
        try database.read { db in try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [table]) ?? 0 }
    }
}
