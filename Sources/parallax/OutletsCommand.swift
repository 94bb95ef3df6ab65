import ArgumentParser
import Foundation
import Outlets
import Pipeline

extension RatingFormat: ExpressibleByArgument {}

struct OutletsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outlets", abstract: "Manage the outlets and their ratings.", subcommands: [ImportRatings.self])
}

struct ImportRatings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Merge a rater's data file (MBFC JSON/TSV, AllSides CSV, Ad Fontes CSV, generic CSV) into an outlets file.",
        discussion: """
            Matches by domain (public-suffix aware) when the file has domains, else by name. Ratings of the same \
            rater are replaced; values set by hand are kept. Unmatched records with a domain become new outlets \
            unless --match-only. Prints what was matched, added and skipped. See the README for the formats.
            """)

    @Option(help: "The file's format: \(RatingFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: RatingFormat

    @Argument(help: "The rater's data file.")
    var file: String

    @Option(help: "The outlets file to merge into (created when missing), e.g. feeds/outlets.yaml; include it from your config.")
    var into: String

    @Option(help: "The snapshot's date (YYYY-MM-DD) for files that carry none.")
    var date: String?

    @Flag(help: "Only update outlets already in the file; add none.")
    var matchOnly = false

    @Flag(name: .shortAndLong, help: "Print errors only.")
    var quiet = false

    func run() async throws {
        try await reportingFailures {
            do {
                let summary = try OutletsImport.run(format: format, file: file, into: into, date: date, addNew: !matchOnly)
                if !quiet { summary.lines.forEach { print($0) } }
            } catch {
                throw Failure(message: "\(error)", status: .cannotStart)
            }
        }
    }
}
