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
    private var sources: [DispatchSourceSignal] = []

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
    /// For the commands; the editor cleans up on its own way out.
    public func cleanUpOnSignals() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                cleanUp()
                exit(128 + signalNumber)
            }
            source.resume()
            locked { sources.append(source) }
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
