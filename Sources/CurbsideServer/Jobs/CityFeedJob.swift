import CurbsideCore
import Logging
import Metrics

/// Sends the city platform's feed as records come: a quarter of a second's wait
/// when there is nothing to send, none while batches go through; sent records
/// are dropped after the 31 days the city asks for.
struct CityFeedJob: PeriodicJob {
    let dispatcher: CityFeedDispatcher
    let logger: Logger
    let backlog = Gauge(label: "curbside_city_feed_backlog")
    let sent = Counter(label: "curbside_city_feed_records_sent_total")
    private var lastPurge: Int64 = 0
    private var lastGauge: Int64 = 0
    private var failing = false

    var name: String { "city feed" }
    var pauseAfterFailure: Duration { .milliseconds(250) }

    init(dispatcher: CityFeedDispatcher, logger: Logger) {
        self.dispatcher = dispatcher
        self.logger = logger
    }

    mutating func round(now: Int64) async throws -> JobPause {
        switch try await dispatcher.runOnce(now: now) {
        case let .sent(count):
            sent.increment(by: count)
            if failing { logger.notice("the city platform takes the feed again") }
            failing = false
            return .none
        case let .failed(reason):
            if !failing { logger.warning("the city platform does not take the feed; retrying with back-off", metadata: ["error": "\(reason)"]) }
            failing = true
        case .idle:
            break
        }
        if now - lastGauge >= 15_000 {
            backlog.record(try await dispatcher.outbox.backlog())
            lastGauge = now
        }
        if now - lastPurge >= Milliseconds.hour {
            try await dispatcher.outbox.purge(sentBefore: now - 31 * Milliseconds.day)
            lastPurge = now
        }
        return .after(.milliseconds(250))
    }
}
