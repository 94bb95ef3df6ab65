import Foundation

/// A ready-to-install schedule for `parallax run`: a crontab line and a systemd service + timer
/// pair, with absolute paths so neither depends on the scheduler's working directory or PATH.
public struct Schedule: Sendable, Equatable {
    public var executable: String
    public var configPath: String
    public var logPath: String
    public var interval: TimeInterval

    public init(executable: String, configPath: String, logPath: String, interval: TimeInterval) {
        self.executable = executable
        self.configPath = configPath
        self.logPath = logPath
        self.interval = interval
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notExpressible(TimeInterval)

        public var description: String {
            switch self {
            case .notExpressible(let seconds):
                "cron cannot run every \(Int(seconds)) s evenly: use whole minutes dividing 60 (5m, 15m, 30m), whole hours dividing 24 (1h, 2h, 6h) or 1d"
            }
        }
    }

    /// The five cron fields. Cron counts minutes within the hour and hours within the day, so only
    /// intervals that divide them evenly keep a constant spacing.
    public func cronFields() throws(Problem) -> String {
        let minutes = interval / 60
        guard minutes >= 1, minutes == minutes.rounded() else { throw .notExpressible(interval) }
        let whole = Int(minutes)
        if whole < 60, 60 % whole == 0 { return whole == 1 ? "* * * * *" : "*/\(whole) * * * *" }
        if whole % 60 == 0 {
            let hours = whole / 60
            if hours < 24, 24 % hours == 0 { return hours == 1 ? "0 * * * *" : "0 */\(hours) * * *" }
            if hours == 24 { return "0 3 * * *" }
        }
        throw .notExpressible(interval)
    }

    var command: String {
        "\(Self.quoted(executable)) run --config \(Self.quoted(configPath)) --quiet"
    }

    /// One crontab line: errors only (`--quiet`), appended to the log file.
    public func crontabLine() throws(Problem) -> String {
        "\(try cronFields()) \(command) >> \(Self.quoted(logPath)) 2>&1"
    }

    public var systemdService: String {
        """
        [Unit]
        Description=Parallax: crawl news feeds, cluster stories, write coverage reports
        Wants=network-online.target
        After=network-online.target

        [Service]
        Type=oneshot
        WorkingDirectory=\((configPath as NSString).deletingLastPathComponent)
        ExecStart=\(command)
        StandardOutput=append:\(logPath)
        StandardError=append:\(logPath)
        Nice=10

        """
    }

    public var systemdTimer: String {
        """
        [Unit]
        Description=Run parallax every \(Self.durationText(interval))

        [Timer]
        OnBootSec=2min
        OnUnitActiveSec=\(Int(interval))s
        Persistent=true

        [Install]
        WantedBy=timers.target

        """
    }

    private static func durationText(_ seconds: TimeInterval) -> String {
        seconds.truncatingRemainder(dividingBy: 3600) == 0 ? "\(Int(seconds / 3600)) h" : "\(Int(seconds / 60)) min"
    }

    /// Paths with spaces or shell characters survive both cron's `sh -c` and systemd's parser.
    static func quoted(_ path: String) -> String {
        let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/._-+:@%,="))
        if path.unicodeScalars.allSatisfy({ safe.contains($0) }) { return path }
        return "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
