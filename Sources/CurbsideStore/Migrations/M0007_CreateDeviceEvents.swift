import FluentKit
import SQLKit

/// Device events, append-only and unique per device and event id, and the
/// evidence images they refer to (stored by digest).
struct M0007_CreateDeviceEvents: AsyncMigration {
    var name: String { "0007_create_device_events" }

    func prepare(on database: any Database) async throws {
        try await database.schema("device_events")
            .field("id", .int64, .identifier(auto: true))
            .field("device_id", .string, .required)
            .field("event_id", .string, .required)
            .field("gateway_id", .string, .required)
            .field("bay_code", .string)
            .field("zone_id", .string)
            .field("kind", .int16, .required)
            .field("device_time_ms", .int64, .required)
            .field("received_ms", .int64, .required)
            .field("occupied", .bool)
            .field("battery", .int16)
            .field("rssi", .int16)
            .field("temperature_deci", .int16)
            .field("plate", .string)
            .field("plate_colour", .string)
            .field("plate_confidence", .int16)
            .field("images", .string)
            .unique(on: "device_id", "event_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "device_events_bay_time_idx").on("device_events").column("bay_code").column("device_time_ms").run()
        try await sql.create(index: "device_events_device_time_idx").on("device_events").column("device_id").column("device_time_ms").run()

        try await database.schema("evidence_images")
            .field("sha256", .string, .identifier(auto: false))
            .field("bytes", .int64, .required)
            .field("content_type", .string, .required)
            .field("stored_ms", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("evidence_images").delete()
        try await database.schema("device_events").delete()
    }
}
