import ArgumentParser
import Config
import Feeds
import Foundation
import Pipeline

struct FeedsImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn an OPML subscription list into config feed entries.",
        discussion: """
            Prints the YAML `feeds:` entries for every feed the config does not list yet. A feed on a \
            configured outlet's domain gets that outlet; any other is entered as `kind: aggregator`. \
            With --append the entries are added to the end of FILE (a config or an included file) instead.
            """)

    @Argument(help: "An OPML 1.0 or 2.0 file.")
    var opml: String

    @Option(name: .shortAndLong, help: "The config whose outlets and feeds are matched (optional if absent).")
    var config: String = "feeds/feeds.yaml"

    @Option(help: "Append the entries (under a new `feeds:` key) to this YAML file.")
    var append: String?

    func run() async throws {
        try await reportingFailures {
            guard let data = FileManager.default.contents(atPath: opml) else {
                throw Failure(message: "\(opml): no such file or not readable", status: .cannotStart)
            }
            let document: OPML.Document
            do {
                document = try OPML.parse(data, url: URL(fileURLWithPath: opml).absoluteString)
            } catch {
                throw Failure(message: "\(opml): \(error)", status: .cannotStart)
            }
            let loaded = FileManager.default.fileExists(atPath: config) ? try ConfigLoader.load(path: config) : nil
            let (yaml, added, known) = FeedList.importEntries(document, config: loaded)
            for problem in document.problems.prefix(1) {
                FileHandle.standardError.write(Data("parallax: \(opml): not well-formed, read what could be recovered: \(problem)\n".utf8))
            }
            guard let append else {
                print("feeds:")
                print(yaml, terminator: "")
                FileHandle.standardError.write(Data("parallax: \(added) new feeds, \(known) already listed\n".utf8))
                return
            }
            guard added > 0 else {
                print("\(append): nothing to add (\(known) feeds already listed)")
                return
            }
            try appendFeeds(yaml, to: append)
            print("\(append): appended \(added) feeds (\(known) already listed)")
        }
    }

    /// Appends a `feeds:` block, failing rather than writing a file that would no longer load.
    private func appendFeeds(_ entries: String, to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw Failure(message: "\(path): cannot open for writing", status: .cannotStart)
        }
        defer { try? handle.close() }
        let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        if existing.split(separator: "\n").contains(where: { $0.hasPrefix("feeds:") }) {
            throw Failure(message: "\(path) already has a top-level 'feeds:' list: print the entries (without --append) and paste them into it, or append to a new file that the config includes", status: .cannotStart)
        }
        handle.seekToEndOfFile()
        let separator = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
        handle.write(Data("\(separator)feeds:\n\(entries)".utf8))
    }
}

struct FeedsExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the config's feeds as an OPML 2.0 subscription list.")

    @Option(name: .shortAndLong, help: "The config file (YAML).")
    var config: String = "feeds/feeds.yaml"

    @Option(name: .shortAndLong, help: "Write here instead of standard output.")
    var output: String?

    func run() async throws {
        try await reportingFailures {
            let text = FeedList.export(try ConfigLoader.load(path: config))
            if let output {
                do {
                    try text.write(toFile: output, atomically: true, encoding: .utf8)
                } catch {
                    throw Failure(message: "\(output): cannot write: \(error.localizedDescription)", status: .cannotStart)
                }
            } else {
                print(text, terminator: "")
            }
        }
    }
}
