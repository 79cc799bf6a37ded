import CurbsideCore
import CurbsideStore
import FluentKit

/// PostgreSQL: keeps a partition ready for every month of device events that
/// ingestion can take (from 30 days back to two months ahead), a round at start
/// and every six hours, so events land in their month's partition rather than
/// the default one.
struct PartitionsJob: PeriodicJob {
    let store: Store
    let database: any Database

    var name: String { "partitions" }
    var pauseAfterFailure: Duration { .seconds(300) }

    func round(now: Int64) async throws -> JobPause {
        _ = try await store.write(on: database) { db in
            try await MonthlyPartitions.deviceEvents.ensure(from: now - MonthlyPartitions.behind, through: now + MonthlyPartitions.ahead, on: db.sql)
        }
        return .after(.seconds(6 * 3_600))
    }
}
