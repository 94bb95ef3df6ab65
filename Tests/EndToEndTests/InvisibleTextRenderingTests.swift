import Foundation
import Testing

/// A feed whose title carries U+202E (right-to-left override) and other invisible characters,
/// through `parallax run`: no renderer may pass them on, since each would show the reader
/// something other than what the outlet wrote.
@Suite("Bidi controls never reach a renderer", .serialized)
struct InvisibleTextRenderingTests {
    struct Run: Sendable {
        var terminal: String
        var reports: URL
        var scratch: String
    }

    /// One run shared by the renderer tests (the command is the slow part).
    static let run: Result<Run, any Error> = Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-bidi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let fixture = CommandRunner.packageRoot.appendingPathComponent("Tests/FeedsTests/Fixtures/bidi-controls.xml")
        try FileManager.default.copyItem(at: fixture, to: scratch.appendingPathComponent("mirror.xml"))
        let yaml = """
            retention: never
            outlets:
              - { id: mirror-daily, name: Mirror Daily, domains: [mirrordaily.example], bias: center }
            feeds:
              - { url: mirror.xml, outlet: mirror-daily }
            """
        try Data(yaml.utf8).write(to: scratch.appendingPathComponent("config.yaml"))
        let reports = scratch.appendingPathComponent("reports")
        let outcome = try CommandRunner.run([
            "run", "--config", scratch.appendingPathComponent("config.yaml").path, "--state", scratch.appendingPathComponent("state.sqlite").path,
            "--reports", reports.path,
        ])
        guard outcome.status == 0 else { throw Failure(message: "parallax run failed: \(outcome.stderr)") }
        return Run(terminal: outcome.stdout, reports: reports, scratch: scratch.path)
    }

    struct Failure: Error { var message: String }

    /// Every character `InvisibleText` removes that the fixture holds.
    static let forbidden: [Unicode.Scalar] = [
        "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}", "\u{200B}", "\u{2060}",
        "\u{FEFF}", "\u{E0041}", "\u{E0042}",
    ]

    func check(_ text: String, _ where_: String) {
        #expect(!text.isEmpty, "\(where_) is empty")
        for scalar in Self.forbidden {
            #expect(!text.unicodeScalars.contains(scalar), "\(where_) holds U+\(String(scalar.value, radix: 16, uppercase: true))")
        }
    }

    func files(_ run: Run, ending suffix: String) throws -> [URL] {
        let all = FileManager.default.enumerator(at: run.reports, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return all.filter { $0.lastPathComponent.hasSuffix(suffix) }
    }

    @Test func terminal() throws {
        let run = try Self.run.get()
        check(run.terminal, "the terminal report")
        #expect(run.terminal.contains("Mayor tnemngised resigns"))
    }

    @Test(arguments: [".md", ".html", ".json", ".csv", ".atom"])
    func reportFiles(ending suffix: String) throws {
        let run = try Self.run.get()
        let found = try files(run, ending: suffix)
        #expect(!found.isEmpty, "no \(suffix) report")
        var sawTitle = false
        for file in found {
            let text = try String(contentsOf: file, encoding: .utf8)
            check(text, file.lastPathComponent)
            // JSON may escape nothing here: the cleaned title is plain ASCII.
            sawTitle = sawTitle || text.contains("Mayor tnemngised resigns")
        }
        #expect(sawTitle, "no \(suffix) report shows the story's title")
    }

    @Test func parseOutput() throws {
        let fixture = CommandRunner.packageRoot.appendingPathComponent("Tests/FeedsTests/Fixtures/bidi-controls.xml").path
        for format in ["text", "json"] {
            let outcome = try CommandRunner.run(["parse", fixture, "--format", format])
            #expect(outcome.status == 0)
            check(outcome.stdout, "parallax parse --format \(format)")
            #expect(outcome.stdout.contains("Mayor tnemngised resigns"))
        }
    }
}
