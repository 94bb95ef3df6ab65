import Config
import Foundation
import Testing
@testable import Pipeline

@Suite("Schedule: crontab line and systemd units")
struct ScheduleTests {
    func schedule(every text: String, config: String = "/srv/news/feeds.yaml") -> Schedule {
        Schedule(executable: "/usr/local/bin/parallax", configPath: config, logPath: "/srv/news/.parallax/parallax.log", interval: DurationText.seconds(text)!)
    }

    @Test(arguments: [("5m", "*/5 * * * *"), ("30m", "*/30 * * * *"), ("1m", "* * * * *"), ("1h", "0 * * * *"), ("6h", "0 */6 * * *"), ("1d", "0 3 * * *")])
    func intervalsThatDivideTheHourOrDayBecomeCronFields(every: String, fields: String) throws {
        #expect(try schedule(every: every).cronFields() == fields)
    }

    @Test(arguments: ["45m", "90s", "7h", "2d"])
    func intervalsCronCannotSpaceEvenlyAreRefused(every: String) {
        #expect(throws: Schedule.Problem.self) { try schedule(every: every).cronFields() }
    }

    @Test func theCrontabLineUsesAbsolutePathsQuietModeAndTheLogFile() throws {
        let line = try schedule(every: "15m").crontabLine()
        #expect(line == "*/15 * * * * /usr/local/bin/parallax run --config /srv/news/feeds.yaml --quiet >> /srv/news/.parallax/parallax.log 2>&1")
    }

    @Test func pathsWithSpacesAndQuotesAreQuotedForTheShell() throws {
        let line = try schedule(every: "15m", config: "/home/ann/my news/it's.yaml").crontabLine()
        #expect(line.contains("--config '/home/ann/my news/it'\\''s.yaml' --quiet"))
    }

    @Test func theSystemdTimerRunsTheServiceAtTheInterval() {
        let units = schedule(every: "30m")
        #expect(units.systemdTimer.contains("OnUnitActiveSec=1800s"))
        #expect(units.systemdTimer.contains("Persistent=true"))
        #expect(units.systemdService.contains("Type=oneshot"))
        #expect(units.systemdService.contains("ExecStart=/usr/local/bin/parallax run --config /srv/news/feeds.yaml --quiet"))
        #expect(units.systemdService.contains("WorkingDirectory=/srv/news"))
    }
}

@Suite("Durations in flags and configs")
struct DurationTextTests {
    @Test(arguments: [("30m", 1800.0), ("24h", 86400.0), ("90d", 7_776_000.0), ("2w", 1_209_600.0), ("0d", 0.0), ("45s", 45.0)])
    func durationsParse(text: String, seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "d", "-3d", "3y", "ten days", "nand"])
    func nonsenseIsRejected(text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    @Test func describeGivesTheLargestExactUnit() {
        #expect(DurationText.describe(7_776_000) == "90d")
        #expect(DurationText.describe(1800) == "30m")
        #expect(DurationText.describe(1_209_600) == "2w")
        #expect(DurationText.describe(90) == "90s")
    }
}
