import Foundation
import Logging
import PostgresNIO
import Store

/// A value bound to a statement. Dates go in as the store's date text (see `StorageDate`), so
/// they sort and compare as on SQLite and copy across unchanged.
enum SQLValue: Sendable {
    case integer(Int64?)
    case real(Double?)
    case text(String?)

    static func int(_ value: Int?) -> SQLValue { .integer(value.map(Int64.init)) }
    static func date(_ value: Date?) -> SQLValue { .text(value.map(StorageDate.text)) }
}

/// Statements on one connection, written with SQLite's `?` placeholders (numbered here), so the
/// two stores' SQL reads alike.
struct SQL {
    let connection: PostgresConnection
    let logger: Logger

    /// A statement was about to go to a connection that is already closed (postgres-nio would
    /// wait for its answer forever).
    struct ConnectionClosed: Error {}

    func rows(_ text: String, _ values: [SQLValue] = []) async throws -> [PostgresRandomAccessRow] {
        guard !connection.isClosed else { throw ConnectionClosed() }
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await connection.query(Self.query(text, values), logger: logger) {
            rows.append(PostgresRandomAccessRow(row))
        }
        return rows
    }

    func execute(_ text: String, _ values: [SQLValue] = []) async throws {
        _ = try await rows(text, values)
    }

    /// The first column of the only row, as an integer (a count, a maximum); 0 for NULL.
    func int(_ text: String, _ values: [SQLValue] = []) async throws -> Int {
        guard let row = try await rows(text, values).first else { return 0 }
        return Int(try row.optionalInt64(0) ?? 0)
    }

    static func query(_ text: String, _ values: [SQLValue]) -> PostgresQuery {
        var sql = ""
        sql.reserveCapacity(text.utf8.count + 16)
        var number = 0
        var quoted = false
        for character in text {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                number += 1
                sql += "$\(number)"
            } else {
                sql.append(character)
            }
        }
        precondition(number == values.count, "\(number) placeholders, \(values.count) values: \(text)")
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .integer(let number?): bindings.append(number)
            case .real(let number?): bindings.append(number)
            case .text(let text?): bindings.append(text)
            case .integer(nil), .real(nil), .text(nil): bindings.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    /// `?, ?, ?` for a list (NULL for none, so `IN (NULL)` matches nothing, as on SQLite).
    static func placeholders(_ count: Int) -> String {
        count == 0 ? "NULL" : Array(repeating: "?", count: count).joined(separator: ", ")
    }
}

extension PostgresRandomAccessRow {
    func string(_ index: Int) throws -> String { try self[index].decode(String.self) }
    func optionalString(_ index: Int) throws -> String? { try self[index].decode(String?.self) }
    func int64(_ index: Int) throws -> Int64 { try self[index].decode(Int64.self) }
    func optionalInt64(_ index: Int) throws -> Int64? { try self[index].decode(Int64?.self) }
    func int(_ index: Int) throws -> Int { Int(try int64(index)) }
    func optionalInt(_ index: Int) throws -> Int? { try optionalInt64(index).map(Int.init) }
    func double(_ index: Int) throws -> Double { try self[index].decode(Double.self) }
    func optionalDouble(_ index: Int) throws -> Double? { try self[index].decode(Double?.self) }
    func bool(_ index: Int) throws -> Bool { try self[index].decode(Bool.self) }
    /// A date column: the store's date text.
    func date(_ index: Int) throws -> Date? { try optionalString(index).flatMap(StorageDate.date) }

    func string(_ column: String) throws -> String { try self[column].decode(String.self) }
    func optionalString(_ column: String) throws -> String? { try self[column].decode(String?.self) }
    func int64(_ column: String) throws -> Int64 { try self[column].decode(Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try self[column].decode(Int64?.self) }
    func optionalDouble(_ column: String) throws -> Double? { try self[column].decode(Double?.self) }
    func double(_ column: String) throws -> Double { try self[column].decode(Double.self) }
    func date(_ column: String) throws -> Date? { try optionalString(column).flatMap(StorageDate.date) }
}
