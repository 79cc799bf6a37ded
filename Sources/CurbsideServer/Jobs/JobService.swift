import Foundation
import Logging
import ServiceLifecycle

/// Runs one job's rounds as a service: a failed round is logged and tried again
/// after the job's pause. Graceful shutdown lets a round in progress finish and
/// ends a pause at once.
struct JobService: Service {
    let job: any PeriodicJob
    let doorbell: Doorbell
    let clock: @Sendable () -> Date
    let logger: Logger

    func run() async {
        var job = job
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let pause: JobPause
            do {
                pause = try await job.round(now: clock().milliseconds)
            } catch {
                logger.error("background round failed", metadata: ["job": "\(job.name)", "error": "\(String(reflecting: error))"])
                pause = .after(job.pauseAfterFailure)
            }
            switch pause {
            case .none:
                continue
            case let .after(duration):
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
            case let .untilRung(timeout):
                // Shutting down rings the doorbell.
                await doorbell.wait(timeout: timeout)
            }
        }
    }
}
