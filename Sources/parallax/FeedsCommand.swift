import ArgumentParser

struct FeedsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds", abstract: "Manage the feed list.",
        subcommands: [FeedsImport.self, FeedsExport.self])
}
