import Metrics

/// Sends queued notices to citizens.
struct NoticesJob: PeriodicJob {
    let dispatcher: NoticeDispatcher
    let pending = Gauge(label: "curbside_notices_pending")

    var name: String { "notices" }
    var pauseAfterFailure: Duration { .seconds(5) }

    func round(now: Int64) async throws -> JobPause {
        let sent = try await dispatcher.runOnce(now: now)
        pending.record(try await dispatcher.outbox.pending())
        return sent == 0 ? .after(.seconds(5)) : .none
    }
}
