import Foundation
import Testing

/// The sample's HTML site in a real browser: headless Chromium renders the index and the most
/// covered story page, takes screenshots (to the temporary folder, never into the repository),
/// and the test fails on any console message or when the bias bar is missing from the page.
enum Browser {
    static var chromium: String? {
        let candidates = [ProcessInfo.processInfo.environment["PARALLAX_CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

@Suite("The HTML site in headless Chromium", .serialized,
       .enabled(if: Browser.chromium != nil, "chromium is not installed (apt-get install chromium, or scripts/browser-check): skipped"))
struct BrowserTests {
    let sampleConfig = CommandRunner.packageRoot.appendingPathComponent("feeds/sample/sample.yaml").path

    struct Page {
        var status: Int32
        var output: String
        var log: String
    }

    /// Starts every Chromium at once (each takes seconds to start), output going to files,
    /// then waits for all of them.
    func chromium(_ runs: [[String]], in scratch: TemporaryDirectory) throws -> [Page] {
        var started: [(process: Process, out: URL, err: URL)] = []
        for (index, arguments) in runs.enumerated() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Browser.chromium!)
            var all = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--enable-logging=stderr", "--v=0"]
            all.append("--user-data-dir=" + scratch.path("profile-\(index)"))
            process.arguments = all + arguments
            let out = scratch.url.appendingPathComponent("out-\(index)")
            let err = scratch.url.appendingPathComponent("err-\(index)")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            try process.run()
            started.append((process, out, err))
        }
        var pages: [Page] = []
        for run in started {
            run.process.waitUntilExit()
            let output = try String(contentsOf: run.out, encoding: .utf8)
            let log = try String(contentsOf: run.err, encoding: .utf8)
            pages.append(Page(status: run.process.terminationStatus, output: output, log: log))
        }
        return pages
    }

    /// Console messages, as Chromium logs them with --enable-logging (script errors, blocked
    /// resources, CSP violations); a site without JavaScript should produce none.
    func consoleLines(_ log: String) -> [Substring] {
        log.split(separator: "\n").filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
    }

    @Test func indexAndStoryPageRenderWithTheirBiasBars() throws {
        let scratch = try TemporaryDirectory()
        let run = try CommandRunner.run(["run", "--config", sampleConfig, "--state", scratch.path("state.sqlite"), "--reports", scratch.path("reports"), "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let reports = scratch.url.appendingPathComponent("reports")
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: reports.appendingPathComponent("index.json"))) as! [String: Any]
        let top = try #require((index["stories"] as? [[String: Any]])?.first?["id"] as? Int)
        let names = ["index", "story"]
        let urls = [reports.appendingPathComponent("index.html"), reports.appendingPathComponent("stories/\(top).html")]
        // Chromium writes into the scratch folder so concurrent runs cannot remove each other's
        // screenshots; copies are left in $TMPDIR for a person to look at.
        let screenshots = names.map { scratch.url.appendingPathComponent("parallax-browser-\($0).png") }

        var runs: [[String]] = []
        for index in names.indices {
            runs.append(["--window-size=412,1400", "--screenshot=" + screenshots[index].path, urls[index].absoluteString])
        }
        for url in urls { runs.append(["--dump-dom", url.absoluteString]) }
        let results = try chromium(runs, in: scratch)

        for (index, name) in names.enumerated() {
            let shot = results[index]
            let dom = results[names.count + index]
            #expect(shot.status == 0, "\(name): \(shot.log)")
            let png = try Data(contentsOf: screenshots[index])
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name): not a PNG")
            #expect(png.count > 10_000, "\(name): screenshot suspiciously small")
            #expect(consoleLines(shot.log).isEmpty, "\(name): \(consoleLines(shot.log))")

            #expect(dom.status == 0)
            #expect(consoleLines(dom.log).isEmpty, "\(name): \(consoleLines(dom.log))")
            let bars = dom.output.matches(of: /<svg class="bias-bar"[^>]*>.*?<\/svg>/)
            #expect(!bars.isEmpty, "\(name): no bias bar in the rendered page")
            #expect(bars.allSatisfy { $0.output.contains("<rect") }, "\(name): a bias bar without segments")
            #expect(!dom.output.lowercased().contains("<script"))
            if name == "story" { #expect(dom.output.contains("<svg class=\"timeline\"")) }

            let kept = FileManager.default.temporaryDirectory.appendingPathComponent(screenshots[index].lastPathComponent)
            try? FileManager.default.removeItem(at: kept)
            try? FileManager.default.copyItem(at: screenshots[index], to: kept)
        }
    }
}
