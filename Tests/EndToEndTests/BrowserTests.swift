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

    func chromium(_ arguments: [String]) throws -> Page {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Browser.chromium!)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--enable-logging=stderr", "--v=0",
        ] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Page(status: process.terminationStatus, output: String(decoding: stdout, as: UTF8.self), log: String(decoding: stderr, as: UTF8.self))
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
        let pages = [("index", reports.appendingPathComponent("index.html")), ("story", reports.appendingPathComponent("stories/\(top).html"))]

        for (name, url) in pages {
            let screenshot = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-browser-\(name).png")
            try? FileManager.default.removeItem(at: screenshot)
            let shot = try chromium(["--window-size=412,1400", "--screenshot=\(screenshot.path)", url.absoluteString])
            #expect(shot.status == 0, "\(name): \(shot.log)")
            let png = try Data(contentsOf: screenshot)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name): not a PNG")
            #expect(png.count > 10_000, "\(name): screenshot suspiciously small")
            #expect(consoleLines(shot.log).isEmpty, "\(name): \(consoleLines(shot.log))")

            let dom = try chromium(["--dump-dom", url.absoluteString])
            #expect(dom.status == 0)
            #expect(consoleLines(dom.log).isEmpty, "\(name): \(consoleLines(dom.log))")
            let bars = dom.output.matches(of: /<svg class="bias-bar"[^>]*>.*?<\/svg>/)
            #expect(!bars.isEmpty, "\(name): no bias bar in the rendered page")
            #expect(bars.allSatisfy { $0.output.contains("<rect") }, "\(name): a bias bar without segments")
            #expect(!dom.output.lowercased().contains("<script"))
            if name == "story" { #expect(dom.output.contains("<svg class=\"timeline\"")) }
        }
    }
}
