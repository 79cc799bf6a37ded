@testable import CurbsideServer
import CurbsideTestThreads
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// Background jobs run as services: a failed round is tried again, a round in
/// progress finishes on shutdown, and a pause ends at once.
@Suite("Background jobs as services", .ownThread)
struct JobServiceTests {
    actor Log {
        var started = 0, finished = 0
        func start() { started += 1 }
        func finish() { finished += 1 }
    }

    /// Fails its first rounds, then takes `roundTime` per round and pauses an hour.
    struct TestJob: PeriodicJob {
        let log: Log
        var failures: Int
        let roundTime: Duration

        var name: String { "test" }
        var pauseAfterFailure: Duration { .milliseconds(10) }

        mutating func round(now: Int64) async throws -> JobPause {
            await log.start()
            if failures > 0 {
                failures -= 1
                await log.finish()
                throw CancellationError()
            }
            // Throws if shutting down cancelled the round instead of letting it finish.
            try await Task.sleep(for: roundTime)
            await log.finish()
            return .after(.seconds(3_600))
        }
    }

    static func group(_ job: TestJob, doorbell: Doorbell = Doorbell()) -> ServiceGroup {
        ServiceGroup(configuration: .init(
            services: [.init(service: JobService(job: job, doorbell: doorbell, clock: { Date() }, logger: Logger(label: "test")))],
            logger: Logger(label: "test")
        ))
    }

    static func waitFor(_ condition: @Sendable () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(600)
        while !(await condition()) {
            try #require(ContinuousClock.now < deadline, "timed out")
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test("A failed round is tried again after the job's pause; a round in progress finishes and the hour's pause ends on shutdown")
    func failuresAndShutdown() async throws {
        let log = Log()
        let group = Self.group(TestJob(log: log, failures: 2, roundTime: .milliseconds(300)))
        let started = ContinuousClock.now
        let running = Task { try await group.run() }
        // The third round is the first to succeed; shut down while it runs.
        try await Self.waitFor { await log.started == 3 }
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(await log.finished == 3, "the round in progress finished")
        #expect(await log.started == 3, "no round after shutdown")
        // Generous: the suite may hold every thread for minutes; the pause is an hour.
        #expect(ContinuousClock.now - started < .seconds(1_200), "the pause of an hour ended at shutdown")
    }

    @Test("The doorbell wakes a waiting job at once, or lets it go on after its timeout; a late timer never ends the next wait")
    func doorbell() async throws {
        let bell = Doorbell()
        #expect(await bell.wait(timeout: .milliseconds(20)) == false)
        await bell.ring()
        #expect(await bell.wait(timeout: .seconds(3_600)) == true, "rung before the wait")
        let waiting = Task { await bell.wait(timeout: .seconds(3_600)) }
        try await Task.sleep(for: .milliseconds(50))
        await bell.ring()
        #expect(await waiting.value == true)
        // The first wait's timer has fired long ago; this wait still runs its own time.
        let begun = ContinuousClock.now
        #expect(await bell.wait(timeout: .milliseconds(200)) == false)
        #expect(ContinuousClock.now - begun >= .milliseconds(200))
    }
}
