import Foundation

/// A one-line progress bar on stderr for long crawls and report writes. It draws only when stderr
/// is a terminal (never into cron's log), redraws at most ten times a second, and erases itself
/// when its stage is done so the output that follows starts on a clean line.
final class ProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var lastDraw = Date.distantPast

    init(quiet: Bool) {
        enabled = !quiet && isatty(STDERR_FILENO) != 0
    }

    func update(_ stage: String, done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        if done >= total {
            FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
            lastDraw = .distantPast
            return
        }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(Self.line(stage: stage, done: done, total: total, width: Terminal.width))".utf8))
    }

    static func line(stage: String, done: Int, total: Int, width: Int) -> String {
        let counts = " \(done)/\(total)"
        let barWidth = max(10, min(40, width - stage.count - counts.count - 4))
        let filled = min(barWidth, barWidth * done / max(total, 1))
        return "\(stage) [" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "]" + counts
    }
}
