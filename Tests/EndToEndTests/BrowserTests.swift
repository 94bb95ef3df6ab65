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

    /// At phone width (412 CSS pixels) the brief is laid out above the counts and nothing is wider
    /// than the screen. The site has no script, so a probe page in the scratch folder frames the
    /// story page and measures it (file pages may read each other with --allow-file-access-from-files).
    @Test func theBriefStandsAboveTheCountsAtPhoneWidth() throws {
        let scratch = try TemporaryDirectory()
        let run = try CommandRunner.run(["run", "--config", sampleConfig, "--state", scratch.path("state.sqlite"), "--reports", scratch.path("reports"), "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let reports = scratch.url.appendingPathComponent("reports")
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: reports.appendingPathComponent("index.json"))) as! [String: Any]
        let top = try #require((index["stories"] as? [[String: Any]])?.first?["id"] as? Int)
        let story = reports.appendingPathComponent("stories/\(top).html")
        let probe = scratch.url.appendingPathComponent("probe.html")
        try """
            <!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="\(story.absoluteString)" style="width:412px;height:2000px;border:0"></iframe>
            <pre id="result">pending</pre>
            <script>
            document.getElementById('f').onload = function () {
              var d = this.contentDocument;
              var brief = d.querySelector('section.brief'), counts = Array.from(d.querySelectorAll('h2')).find(function (h) { return h.textContent === 'Coverage'; });
              var lead = d.querySelector('section.brief .lead');
              document.getElementById('result').textContent = [
                'brief=' + Math.round(brief.getBoundingClientRect().top), 'counts=' + Math.round(counts.getBoundingClientRect().top),
                'leadRight=' + Math.round(lead.getBoundingClientRect().right), 'scrollWidth=' + d.documentElement.scrollWidth].join(' ');
            };
            </script></body></html>
            """.write(to: probe, atomically: true, encoding: .utf8)
        let results = try chromium(
            [["--window-size=412,2000", "--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom", probe.absoluteString]], in: scratch)
        let output = results[0].output
        let numbers = Dictionary(uniqueKeysWithValues: output.matches(of: /(\w+)=(-?\d+)/).map { (String($0.output.1), Int($0.output.2)!) })
        let briefTop = try #require(numbers["brief"], "no measurement: \(output.prefix(500)) \(results[0].log.suffix(500))")
        let countsTop = try #require(numbers["counts"])
        #expect(briefTop < countsTop)
        #expect(numbers["leadRight"]! <= 412)
        #expect(numbers["scrollWidth"]! <= 412)
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
            if name == "story" {
                #expect(dom.output.contains("<svg class=\"timeline\""))
                // What happened comes first: the brief, with its quoted lead, before any count.
                let brief = try #require(dom.output.range(of: "<section class=\"brief\""), "story: no brief")
                let counts = try #require(dom.output.range(of: "<h2>Coverage</h2>"))
                #expect(brief.lowerBound < counts.lowerBound)
                #expect(dom.output.contains("<p class=\"lead\"><q>"))
            }

            let kept = FileManager.default.temporaryDirectory.appendingPathComponent(screenshots[index].lastPathComponent)
            try? FileManager.default.removeItem(at: kept)
            try? FileManager.default.copyItem(at: screenshots[index], to: kept)
        }
    }
}
