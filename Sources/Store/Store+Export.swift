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
    /// One page of a table's rows in key order: the first `limit` rows whose key comes after
    /// `after` (the key values of the previous page's last row; nil for the first page).
    /// Keyset paging, not OFFSET: each page is one index seek, so copying a table of millions
    /// of rows costs time in proportion to its rows, not to their square.
    public func rows(of table: String, columns: [String], orderedBy key: [String], limit: Int, after: [StoredValue]?) throws -> [[StoredValue]] {
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let order = key.map { "\"\($0)\"" }.joined(separator: ", ")
        var arguments: [any DatabaseValueConvertible] = []
        var condition = ""
        if let after {
            condition = "WHERE (\(order)) > (\(key.map { _ in "?" }.joined(separator: ", "))) "
            for value in after {
                switch value {
                case .integer(let number): arguments.append(number)
                case .real(let number): arguments.append(number)
                case .text(let text): arguments.append(text)
                case .blob(let bytes): arguments.append(Data(bytes))
                case .null: arguments.append(DatabaseValue.null)
                }
            }
        }
        arguments.append(limit)
        return try database.read { db in
            try Row.fetchAll(db, sql: "SELECT \(list) FROM \"\(table)\" \(condition)ORDER BY \(order) LIMIT ?", arguments: StatementArguments(arguments)).map { row in
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
