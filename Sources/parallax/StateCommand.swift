import ArgumentParser
import Foundation
import Pipeline

struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state", abstract: "Move the state between stores.", subcommands: [StateCopyCommand.self])
}

struct StateCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy the SQLite state into an empty PostgreSQL database, verified row for row.",
        discussion: """
            The source is --state, else the config's 'state' (PARALLAX_STATE is not read here, since it \
            usually names the target). The target must be empty; the copy happens in one transaction and \
            is compared with the source (row counts and a checksum per table) before it is committed.
            """)

    @OptionGroup var options: CommonOptions

    @Option(help: "The PostgreSQL database to copy into: postgresql://user@host:port/db (a password from PGPASSWORD or ~/.pgpass).")
    var to: String

    func run() async throws {
        try await reportingFailures {
            let quiet = options.quiet
            let summary = try await StateCopy.run(configPath: options.config, statePath: options.state, to: to, environment: [:].merging(
                ProcessInfo.processInfo.environment.filter { $0.key != "PARALLAX_STATE" }) { $1 }) { table, rows in
                if !quiet { print("  \(table): \(rows) rows") }
            }
            if !quiet {
                print("parallax state copy: \(summary.rows) rows in \(summary.tables.count) tables copied from \(summary.source) to \(summary.target); counts and checksums match")
            }
        }
    }
}
