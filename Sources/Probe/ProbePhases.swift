// How long each phase of the probes took (connection, TLS handshake, eapol_test), for
// `probe --verbose` and the benchmark: a slow server told from a slow slcfg.
import Foundation

public enum ProbePhases {
    public struct Phase: Sendable, Equatable {
        public var what: String
        public var seconds: Double
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var phases: [Phase] = []

    /// Notes that `what` took from `start` until now.
    public static func record(_ what: String, since start: ContinuousClock.Instant) {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        lock.lock()
        phases.append(Phase(what: what, seconds: Double(seconds) + Double(attoseconds) / 1e18))
        lock.unlock()
    }

    /// The phases noted since the last call, in order.
    public static func take() -> [Phase] {
        lock.lock()
        defer { lock.unlock() }
        let taken = phases
        phases = []
        return taken
    }

    /// `connect 0.3 ms, TLS handshake 2.8 ms`.
    public static func describe(_ phases: [Phase]) -> String {
        phases.map { "\($0.what) \(String(format: "%.1f", $0.seconds * 1000)) ms" }.joined(separator: ", ")
    }
}
