import Foundation
import PostgresStore
import Store

/// Which state a command uses, and opening it: an SQLite file (the default) or a PostgreSQL
/// database named by a `postgresql://` URL.
public enum StateLocation {
    /// The environment variable that names the state, so that a password-free config can be
    /// pointed at a server (and a password kept out of YAML files).
    public static let environmentVariable = "PARALLAX_STATE"

    /// `--state` over `PARALLAX_STATE` over the config's `state:` (which defaults to
    /// `.parallax/parallax.sqlite` beside the config). File paths become absolute.
    public static func resolve(flag: String?, environment: [String: String], configured: String) -> String {
        let chosen = flag ?? environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? configured
        return PostgresLocation.isPostgres(chosen) ? chosen : URL(fileURLWithPath: chosen).standardizedFileURL.path
    }

    /// Opens (creating or migrating) the state at a resolved location.
    public static func open(_ location: String) async throws(StoreError) -> any StateStore {
        if PostgresLocation.isPostgres(location) { return try await PostgresStore.open(url: location) }
        return try SQLiteStore(path: location)
    }
}
