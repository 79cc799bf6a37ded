import Foundation

/// Runs two operations and returns the result of whichever finishes first,
/// without waiting for the other (a task group would wait for both, and an
/// operation blocked on a future cannot be cancelled).
enum FirstOf {
    static func run<T: Sendable>(
        _ first: @escaping @Sendable () async -> T, _ second: @escaping @Sendable () async -> T
    ) async -> T {
        let once = Once<T>()
        return await withCheckedContinuation { continuation in
            once.set(continuation)
            let racers = [Task { once.resume(with: await first()) }, Task { once.resume(with: await second()) }]
            once.onResume { for racer in racers { racer.cancel() } }
        }
    }

    /// Resumes a continuation exactly once, whoever finishes first.
    private final class Once<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, Never>?
        private var finished = false
        private var cleanup: (@Sendable () -> Void)?

        func set(_ continuation: CheckedContinuation<T, Never>) {
            lock.withLock { self.continuation = continuation }
        }

        func onResume(_ body: @escaping @Sendable () -> Void) {
            let runNow = lock.withLock {
                if finished { return true }
                cleanup = body
                return false
            }
            if runNow { body() }
        }

        func resume(with value: T) {
            let (continuation, cleanup) = lock.withLock {
                guard !finished else { return (nil as CheckedContinuation<T, Never>?, nil as (@Sendable () -> Void)?) }
                finished = true
                defer { self.continuation = nil; self.cleanup = nil }
                return (self.continuation, self.cleanup)
            }
            continuation?.resume(returning: value)
            cleanup?()
        }
    }
}
