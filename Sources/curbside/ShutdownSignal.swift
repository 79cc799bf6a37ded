import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM or SIGINT, awaited: the operator's or the orchestrator's request to stop.
enum ShutdownSignal {
    static func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queue = DispatchQueue(label: "curbside.shutdown")
            let once = Once(continuation)
            for code in [SIGTERM, SIGINT] {
                signal(code, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: code, queue: queue)
                source.setEventHandler { once.fire() }
                once.keep(source)
                source.resume()
            }
        }
    }

    /// Resumes the waiter on the first signal only, and keeps the signal sources alive until then.
    final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Void, Never>?
        private var sources: [DispatchSourceSignal] = []

        init(_ continuation: CheckedContinuation<Void, Never>) {
            self.continuation = continuation
        }

        func keep(_ source: DispatchSourceSignal) { lock.withLock { sources.append(source) } }

        func fire() {
            let (waiter, fired) = lock.withLock { () -> (CheckedContinuation<Void, Never>?, [DispatchSourceSignal]) in
                defer { continuation = nil; sources = [] }
                return (continuation, sources)
            }
            fired.forEach { $0.cancel() }
            waiter?.resume()
        }
    }
}
