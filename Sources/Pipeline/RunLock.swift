import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps two writers (a cron `run` that overran and the next one, say) off one state database.
/// An advisory `flock` on `<state>.lock` is released by the kernel when the process dies, however
/// it dies, so a killed run never leaves a lock that blocks the next one — unlike a pid file.
public final class RunLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock or fails at once; never waits.
    public init(statePath: String) throws(FrontendError) {
        path = statePath + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .other("\(path): cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(descriptor)
            if reason == EWOULDBLOCK {
                throw .locked(path: path)
            }
            throw .other("\(path): cannot lock: \(String(cString: strerror(reason)))")
        }
        // The pid is only for people looking at the file; the lock itself is the flock.
        _ = ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Whether another process holds the lock now (for `parallax check`).
    public static func isHeld(statePath: String) -> Bool {
        let descriptor = open(statePath + ".lock", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }
}
