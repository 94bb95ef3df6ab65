import Foundation
import Store

/// Where a PostgreSQL state is and how to log in, read from a `postgresql://` URL the way libpq
/// reads one: `postgresql://user[:password]@host[:port]/db?sslmode=…`, a Unix-socket directory
/// as the host (`postgresql:///db?host=/run/postgresql`, or percent-encoded in the host part),
/// and the usual fallbacks — `PGUSER`, `PGPASSWORD`, `~/.pgpass` (or `PGPASSFILE`) — so no
/// password needs to sit in a config file. The password never appears in `display`.
public struct PostgresLocation: Sendable, Equatable {
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it, else plain (libpq's default; certificates not verified).
        case prefer
        /// TLS or no connection (certificates not verified, as in libpq).
        case require
        /// TLS with a certificate from a trusted authority.
        case verifyCA = "verify-ca"
        /// TLS with a trusted certificate for this host name.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var password: String?
    public var sslMode: SSLMode

    /// A host that starts with "/" is a directory holding the server's Unix socket.
    public var isUnixSocket: Bool { host.hasPrefix("/") }
    public var socketPath: String { host + "/.s.PGSQL.\(port)" }

    /// `user@host:port/db`, for every message about this database.
    public var display: String { "\(user)@\(host):\(port)/\(database)" }

    /// Whether a state location names a PostgreSQL database rather than an SQLite file.
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    /// Reads a URL; `environment` and `home` stand in for the process's in tests.
    public init(
        url text: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        home: String = NSHomeDirectory()
    ) throws(StoreError) {
        // Said without the password, whatever goes wrong.
        let shown = Self.withoutPassword(text)
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw .badLocation(shown, reason: "expected postgresql://user@host:port/database")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            query[item.name] = item.value ?? ""
        }
        let known: Set<String> = ["host", "port", "user", "password", "dbname", "sslmode", "connect_timeout", "application_name"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw .badLocation(shown, reason: "unknown parameter '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        let hostPart = components.percentEncodedHost.flatMap { $0.removingPercentEncoding } ?? ""
        host = query["host"] ?? (hostPart.isEmpty ? (environment["PGHOST"] ?? "localhost") : hostPart)
        if let portText = query["port"] ?? components.port.map(String.init) ?? environment["PGPORT"] {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw .badLocation(shown, reason: "port '\(portText)' is not a number from 1 to 65535")
            }
            port = value
        } else {
            port = 5432
        }
        let urlUser = components.user.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 }
        user = query["user"] ?? urlUser ?? environment["PGUSER"] ?? environment["USER"] ?? NSUserName()
        let path = components.percentEncodedPath.removingPercentEncoding ?? ""
        let pathDatabase = path.hasPrefix("/") ? String(path.dropFirst()) : path
        database = query["dbname"] ?? (pathDatabase.isEmpty ? (environment["PGDATABASE"] ?? user) : pathDatabase)
        guard !database.contains("/") else { throw .badLocation(shown, reason: "the database name '\(database)' contains '/'") }
        let modeText = query["sslmode"] ?? environment["PGSSLMODE"] ?? "prefer"
        switch modeText {
        case "allow": sslMode = .prefer
        default:
            guard let mode = SSLMode(rawValue: modeText) else {
                throw .badLocation(shown, reason: "sslmode '\(modeText)' is not one of disable, allow, prefer, require, verify-ca, verify-full")
            }
            sslMode = mode
        }
        password = query["password"] ?? components.password.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"]
        if password == nil {
            let file = environment["PGPASSFILE"] ?? (home as NSString).appendingPathComponent(".pgpass")
            password = Self.passwordFile(file, host: host, port: port, database: database, user: user)
        }
    }

    /// The password of the first matching line of a pgpass file (`host:port:db:user:password`,
    /// `*` matching anything, `\` escaping `:` and `\`). A socket directory matches `localhost`,
    /// as in libpq. libpq ignores a file others can read; so does this.
    static func passwordFile(_ path: String, host: String, port: Int, database: String, user: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let permissions = attributes[.posixPermissions] as? Int, permissions & 0o077 == 0,
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        let hostName = host.hasPrefix("/") ? "localhost" : host
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = [""]
            var escaped = false
            for character in line {
                if escaped {
                    fields[fields.count - 1].append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":" && fields.count < 5 {
                    fields.append("")
                } else {
                    fields[fields.count - 1].append(character)
                }
            }
            guard fields.count == 5 else { continue }
            let wanted = [hostName, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The URL with any password replaced, for messages about a URL that could not be read.
    static func withoutPassword(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return text.replacingOccurrences(of: #"password=[^&]*"#, with: "password=…", options: .regularExpression)
        }
        let shown = text[..<schemeEnd.upperBound] + authority[..<colon] + authority[at...] + rest[authorityEnd...]
        return String(shown).replacingOccurrences(of: #"password=[^&]*"#, with: "password=…", options: .regularExpression)
    }
}
