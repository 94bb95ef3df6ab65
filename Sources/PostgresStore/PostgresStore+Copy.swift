import Foundation
import PostgresNIO
import Store

/// Why `parallax state copy` copied nothing (the target is left as it was).
public enum StateCopyError: Error, CustomStringConvertible {
    case targetNotEmpty(location: String, detail: String)
    case unconvertible(location: String, table: String, column: String, value: String)
    case mismatch(location: String, table: String, detail: String)

    public var description: String {
        switch self {
        case .targetNotEmpty(let location, let detail): "\(location): not an empty database (\(detail)); copy only into an empty one"
        case .unconvertible(let location, let table, let column, let value):
            "\(location): cannot copy \(table).\(column) value \(value): it does not fit the column's type"
        case .mismatch(let location, let table, let detail):
            "\(location): the copy of \(table) does not match the source (\(detail)); nothing was kept"
        }
    }
}

/// One copied table: its rows and their checksum, the same on both sides.
public struct TableCopy: Sendable, Equatable {
    public var table: String
    public var rows: Int
    public var checksum: UInt64
}

/// Rows counted and hashed the same way on both sides: the sum (mod 2^64) of an FNV-1a hash
/// of each row's values in a canonical text, so the order rows come back in does not matter.
struct TableDigest: Equatable {
    var rows = 0
    var checksum: UInt64 = 0

    mutating func add(_ row: [SQLValue]) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func feed(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        for value in row {
            switch value {
            case .integer(let number?): feed("i\(number)")
            case .real(let number?): feed("r\(String(number.bitPattern, radix: 16))")
            case .text(let text?): feed("t\(text)")
            case .integer(nil), .real(nil), .text(nil): feed("n")
            }
            feed("\u{1F}")
        }
        rows += 1
        checksum = checksum &+ hash
    }
}

extension PostgresStore {
    /// Copies an SQLite state into an empty PostgreSQL database, in one transaction, and checks
    /// it row for row (counts and checksums of every table, read back from the server) before
    /// committing: a mismatch, or any failure, leaves the target empty.
    /// - Parameter progress: told each table's name and rows as it is copied.
    public static func copy(
        from source: SQLiteStore, to postgres: PostgresLocation, progress: (String, Int) -> Void = { _, _ in }
    ) async throws -> [TableCopy] {
        let known = Set(PostgresSchema.tables.map { $0.name.lowercased() })
        let raw = try await connect(postgres, logger: Self.quietLogger)
        let existing: [String]
        do {
            existing = try await SQL(connection: raw, logger: Self.quietLogger).rows(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
            ).map { try $0.string(0) }
            try? await raw.close()
        } catch {
            try? await raw.close()
            throw StoreError.failed(location: postgres.display, reason: reason(error, password: postgres.password))
        }
        let foreign = existing.filter { !known.contains($0) }
        if !foreign.isEmpty {
            throw StateCopyError.targetNotEmpty(location: postgres.display, detail: "it has other tables: \(foreign.prefix(5).joined(separator: ", "))")
        }
        let target = try await open(postgres)
        do {
            let copied = try await target.write { sql in try await target.copyRows(from: source, sql, progress: progress) }
            await target.close()
            return copied
        } catch {
            await target.close()
            throw error
        }
    }

    private func copyRows(from source: SQLiteStore, _ sql: SQL, progress: (String, Int) -> Void) async throws -> [TableCopy] {
        let sourceMigrations = try source.appliedMigrations()
        let targetMigrations = try await sql.rows("SELECT identifier FROM grdb_migrations").map { try $0.string(0) }
        guard Set(sourceMigrations) == Set(targetMigrations) else {
            throw StateCopyError.mismatch(location: location, table: "grdb_migrations", detail: "the schemas differ")
        }
        for (table, _) in PostgresSchema.tables where table != "grdb_migrations" {
            let count = try await sql.int("SELECT COUNT(*) FROM \(table)")
            if count > 0 { throw StateCopyError.targetNotEmpty(location: location, detail: "\(table) has \(count) rows") }
        }
        // Copied rows keep their ids and their place in the clustering queue as they are: the
        // triggers that fill the queue and drop pruned URLs would change them.
        try await sql.execute("ALTER TABLE article DISABLE TRIGGER USER")
        var copies: [TableCopy] = []
        for (table, key) in PostgresSchema.tables {
            let columns = try await sql.rows(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                [.text(table.lowercased())]
            ).map { (name: try $0.string(0), type: try $0.string(1)) }
            var written = TableDigest()
            let pageSize = max(1, 4000 / max(1, columns.count))
            let keyPositions = key.map { name in columns.firstIndex { $0.name.lowercased() == name.lowercased() }! }
            var after: [StoredValue]?
            while true {
                let page = try source.rows(of: table, columns: columns.map(\.name), orderedBy: key, limit: pageSize, after: after)
                guard let last = page.last else { break }
                after = keyPositions.map { last[$0] }
                var values: [SQLValue] = []
                var tuples: [String] = []
                for row in page {
                    var converted: [SQLValue] = []
                    for (value, column) in zip(row, columns) {
                        converted.append(try convert(value, to: column.type, table: table, column: column.name))
                    }
                    written.add(converted)
                    values += converted
                    tuples.append("(" + SQL.placeholders(columns.count) + ")")
                }
                if table == "grdb_migrations" { continue }
                try await sql.execute(
                    "INSERT INTO \(table) (\(columns.map(\.name).joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))", values)
            }
            // Read back what the server holds, with the same digest, a page at a time (a table of
            // millions of rows does not fit in memory at once).
            var stored = TableDigest()
            let selected = columns.map(\.name).joined(separator: ", "), order = key.joined(separator: ", ")
            var afterStored: [SQLValue]?
            let readPage = 20_000
            while true {
                let condition = afterStored == nil ? "" : "WHERE (\(order)) > (\(SQL.placeholders(key.count))) "
                let rows = try await sql.rows("SELECT \(selected) FROM \(table) \(condition)ORDER BY \(order) LIMIT \(readPage)", afterStored ?? [])
                var last: [SQLValue] = []
                for row in rows {
                    last = try columns.indices.map { index in try Self.value(row, index, type: columns[index].type) }
                    stored.add(last)
                }
                if rows.count < readPage { break }
                afterStored = keyPositions.map { last[$0] }
            }
            guard stored == written else {
                throw StateCopyError.mismatch(
                    location: location, table: table,
                    detail: "\(written.rows) rows read, \(stored.rows) stored\(stored.rows == written.rows ? ", checksums differ" : "")")
            }
            copies.append(TableCopy(table: table, rows: stored.rows, checksum: stored.checksum))
            progress(table, stored.rows)
        }
        try await sql.execute("ALTER TABLE article ENABLE TRIGGER USER")
        // New rows continue after the highest id SQLite ever gave, as they would have there.
        for table in ["article", "correction"] {
            let next = try source.autoincrementHighWater(table)
            let copiedMaximum = Int64(try await sql.int("SELECT COALESCE(MAX(id), 0) FROM \(table)"))
            let highest = max(next, copiedMaximum)
            try await sql.execute(
                "SELECT setval(pg_get_serial_sequence(?, 'id'), ?, \(highest > 0))", [.text(table), .integer(max(1, highest))])
        }
        return copies
    }

    private func convert(_ value: StoredValue, to type: String, table: String, column: String) throws -> SQLValue {
        switch (type, value) {
        case (_, .null): return type == "bigint" ? .integer(nil) : type == "double precision" ? .real(nil) : .text(nil)
        case ("bigint", .integer(let number)): return .integer(number)
        case ("bigint", .real(let number)) where number.rounded() == number && abs(number) < 9e15: return .integer(Int64(number))
        case ("double precision", .real(let number)): return .real(number)
        case ("double precision", .integer(let number)): return .real(Double(number))
        case ("text", .text(let text)): return .text(text)
        default:
            throw StateCopyError.unconvertible(location: location, table: table, column: column, value: "\(value)".prefix(60).description)
        }
    }

    private static func value(_ row: PostgresRandomAccessRow, _ index: Int, type: String) throws -> SQLValue {
        switch type {
        case "bigint": return .integer(try row.optionalInt64(index))
        case "double precision": return .real(try row.optionalDouble(index))
        default: return .text(try row.optionalString(index))
        }
    }
}
