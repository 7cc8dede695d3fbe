// What a probe leaves on disk or running while it works (the private directory holding the
// password or key for eapol_test, and eapol_test itself): removed on every exit path, the
// signals that end slcfg included.
import Foundation

/// The probes' temporary directories and child processes, process-wide.
public final class ProbeScratch: @unchecked Sendable {
    public static let shared = ProbeScratch()

    private let lock = NSLock()
    private var directories: Set<String> = []
    private var children: Set<pid_t> = []

    func add(directory: String) { locked { directories.insert(directory) } }
    func remove(directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
        locked { directories.remove(directory) }
    }
    func add(child: pid_t) { locked { children.insert(child) } }
    func remove(child: pid_t) { locked { children.remove(child) } }

    /// Kills every child and removes every directory still registered.
    public func cleanUp() {
        let (dirs, pids) = locked { (directories, children) }
        for pid in pids { kill(pid, SIGKILL) }
        for dir in dirs { try? FileManager.default.removeItem(atPath: dir) }
        locked {
            directories.removeAll()
            children.removeAll()
        }
    }

    /// On SIGINT, SIGTERM and SIGHUP: clean up, then exit as the signal would (128 + its number).
    /// For the commands, called first thing on the main thread: the signals are blocked there, so
    /// every thread started later inherits that, and one thread of its own waits for them (a
    /// dispatch source could wait behind busy worker threads). The editor cleans up on its own way out.
    public func cleanUpOnSignals() {
        var stopping = sigset_t()
        sigemptyset(&stopping)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&stopping, signalNumber) }
        pthread_sigmask(SIG_BLOCK, &stopping, nil)
        let waited = stopping
        // Killing a child wakes the thread that waits for it, which would then exit with the
        // probe's own status: once a signal is being handled, any other way out waits for it.
        atexit { if ProbeScratch.shared.isStopping { while true { pause() } } }
        Thread.detachNewThread { [self] in
            var set = waited
            var received: Int32 = 0
            guard sigwait(&set, &received) == 0 else { return }
            locked { stoppingBySignal = true }
            cleanUp()
            _exit(128 + received)
        }
    }

    private var stoppingBySignal = false
    var isStopping: Bool { locked { stoppingBySignal } }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
