import CurbsideCore
import CurbsideStore

/// Once a day, at the configured local hour, what is past its retention loses its plates and images, and old device events go.
struct RetentionJob: PeriodicJob {
    let retention: Retention
    let clock: ZoneClock
    let hour: Int
    /// A run does at most this many batches; more left over is taken up a minute later.
    static let batches = 2_000

    var name: String { "retention" }
    var pauseAfterFailure: Duration { .seconds(300) }

    func round(now: Int64) async throws -> JobPause {
        let seconds = now / 1000
        let local = clock.local(seconds)
        // Before today's hour, wait for it; a server started later in the day runs at once, then tomorrow.
        let today = clock.utc(fromLocal: local - local % 86_400 + Int64(hour) * 3_600)
        if seconds < today { return .after(.seconds(today - seconds)) }
        let run = try await retention.run(now: now, batches: Self.batches)
        if run.unfinished { return .after(.seconds(60)) }
        return .after(.seconds(today + 86_400 - seconds))
    }
}
