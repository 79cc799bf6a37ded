import FluentKit
import SQLKit

/// The events' (device, device time) index keeps camera events only: its one
/// reader is the fold's look at a shared camera's reads (`NeighbourReads`),
/// and detectors' events, four in five of all, paid an index entry each
/// (about 35 bytes, and an index write at ingest) that nothing read.
struct M0037_NarrowDeviceTimeIndex: AsyncMigration {
    var name: String { "0037_narrow_device_time_index" }

    func prepare(on database: any Database) async throws {
        // The camera kinds (`NeighbourReads.cameraKinds`), written as its query writes them so the planner matches the two.
        try await database.sql.raw("DROP INDEX device_events_device_time_idx").run()
        try await database.sql.raw("CREATE INDEX device_events_camera_time_idx ON device_events (device_id, device_time_ms) WHERE kind IN (3, 4, 5)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX device_events_camera_time_idx").run()
        try await database.sql.raw("CREATE INDEX device_events_device_time_idx ON device_events (device_id, device_time_ms)").run()
    }
}
