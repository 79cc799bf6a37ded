import CurbsideStore
import FluentKit
import Logging
import Metrics

/// Marks devices silent for too long offline, and keeps the health gauges current.
struct DeviceHealthJob: PeriodicJob {
    let devices: DeviceRegistry
    let database: any Database
    /// Milliseconds without a report before a device is offline.
    let offlineAfter: Int64
    let logger: Logger
    let offline = Gauge(label: "curbside_devices_offline")
    let queue = Gauge(label: "curbside_ingest_queue_batches")

    var name: String { "device health" }
    var pauseAfterFailure: Duration { .seconds(15) }

    func round(now: Int64) async throws -> JobPause {
        let lost = try await devices.markOffline(offlineAfter: offlineAfter, now: now)
        if !lost.isEmpty { logger.warning("devices went silent", metadata: ["devices": "\(lost.joined(separator: ","))"]) }
        offline.record(try await devices.offlineCount())
        queue.record(try await SessionQueries(database: database).queuedBatches())
        return .after(.seconds(15))
    }
}
