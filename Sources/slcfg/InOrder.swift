// Work on many arguments on every core, its results taken in the arguments' order.
import Foundation

/// Runs one piece of work per argument on a few threads, and hands the results over on the
/// calling thread in the arguments' order, each after what its work wrote to standard error,
/// so that the output is byte for byte that of one thread. At most two results per thread wait
/// to be taken: memory stays a few documents per core.
enum InOrder {
    /// `SLCFG_JOBS` when set (1 runs everything on the calling thread), else every core.
    static var workers: Int {
        if let jobs = ProcessInfo.processInfo.environment["SLCFG_JOBS"].flatMap({ Int($0) }), jobs >= 1 {
            return jobs
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// `work(i)` for each of `count` arguments, on up to `workers` threads, and `take(i, result)`
    /// in order on this thread. When `take` throws, no further work starts, and the work already
    /// started finishes before the error is thrown on.
    static func run<Result>(
        _ count: Int, workers: Int = workers, work: @escaping @Sendable (Int) -> Result,
        take: (Int, Result) throws -> Void
    ) throws {
        guard workers > 1 && count > 1 else {
            for i in 0..<count { try take(i, work(i)) }
            return
        }
        let queue = Queue<(Result, [UInt8])>(count: count, window: 2 * workers) { i in
            StandardError.keeping { work(i) }
        }
        for _ in 0..<min(workers, count) {
            let thread = Thread { queue.work() }
            thread.stackSize = 8 << 20   // as the main thread's: deep documents recurse
            queue.started()
            thread.start()
        }
        defer { queue.stop() }
        for i in 0..<count {
            let (result, errors) = queue.result(i)
            if !errors.isEmpty {
                var err = Output(fd: 2)
                err.write(rendered: errors)
                err.flush()
            }
            try take(i, result)
        }
    }

    /// The shared state: the next argument to start, the results waiting, and the threads running.
    private final class Queue<Result>: @unchecked Sendable {
        private let condition = NSCondition()
        private let count: Int
        private let window: Int
        private var next = 0
        private var taken = 0
        private var stopped = false
        private var running = 0
        private var done: [Int: Result] = [:]
        /// The work, let go of once every thread is done (a caller's closure must not outlive
        /// ``InOrder/run(_:workers:work:take:)``).
        private var body: ((Int) -> Result)?

        init(count: Int, window: Int, body: @escaping (Int) -> Result) {
            self.count = count
            self.window = window
            self.body = body
        }

        func started() {
            condition.lock()
            running += 1
            condition.unlock()
        }

        /// A thread's loop: the next argument within the window, until none is left.
        func work() {
            while let (i, body) = claim() {
                let result = body(i)
                condition.lock()
                done[i] = result
                condition.broadcast()
                condition.unlock()
            }
            condition.lock()
            running -= 1
            condition.broadcast()
            condition.unlock()
        }

        private func claim() -> (Int, (Int) -> Result)? {
            condition.lock()
            defer { condition.unlock() }
            while !stopped && next < count && next >= taken + window { condition.wait() }
            guard !stopped && next < count, let body else { return nil }
            next += 1
            return (next - 1, body)
        }

        /// Argument `i`'s result, once it is done.
        func result(_ i: Int) -> Result {
            condition.lock()
            defer { condition.unlock() }
            while done[i] == nil { condition.wait() }
            taken = i + 1
            condition.broadcast()
            return done.removeValue(forKey: i)!
        }

        /// No more work starts; returns once the threads have finished what they started.
        func stop() {
            condition.lock()
            stopped = true
            condition.broadcast()
            while running > 0 { condition.wait() }
            body = nil
            condition.unlock()
        }
    }
}

/// A value handed to another thread that the compiler cannot prove safe to share: a command's
/// options (read only) or a result that only one thread touches at a time.
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
