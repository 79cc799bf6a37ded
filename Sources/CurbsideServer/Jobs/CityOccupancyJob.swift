import CurbsideStore

/// Queues road segments' occupied and free counts for the city platform where
/// they changed, and every segment's at least every ten minutes, so the
/// platform's picture cannot drift from a record it lost.
struct CityOccupancyJob: PeriodicJob {
    let outbox: FeedOutbox
    /// Milliseconds between rounds.
    let interval: Int64
    /// Milliseconds without a report after which a bay's state is not counted.
    let freshness: Int64

    var name: String { "city occupancy" }
    var pauseAfterFailure: Duration { .milliseconds(interval) }

    func round(now: Int64) async throws -> JobPause {
        try await outbox.publishOccupancy(now: now, freshness: freshness)
        return .after(.milliseconds(interval))
    }
}
