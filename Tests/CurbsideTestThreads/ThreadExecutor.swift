import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A task executor with one thread of its own. A task that prefers it runs
/// there, preempted by the system like any thread, instead of holding one
/// of the few threads (one per core) that every other test's tasks and
/// every loopback server's handlers share.
final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var finished = false
    private var running = false

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        // A job that comes after `finish()` (a late resumption) still runs, on a thread started for it.
        if !running {
            running = true
            Thread.detachNewThread { self.run() }
        }
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once it has nothing left to run.
    func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        Thread.current.name = OwnThread.threadName
        Self.yieldToServers()
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            let batch = jobs
            jobs = []
            if batch.isEmpty { running = false }
            condition.unlock()
            if batch.isEmpty { return }
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }

    /// Test code runs at a lower priority (nice 10) than the shared pool the
    /// servers under test answer on: they come first, and the tests compute
    /// with what is left. Linux sets a thread's nice value by its thread id,
    /// which /proc/thread-self names ("PID/task/TID").
    private static func yieldToServers() {
        #if os(Linux)
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self"),
              let id = target.split(separator: "/").last.flatMap({ id_t($0) })
        else { return }
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id, 10)
        #endif
    }
}
