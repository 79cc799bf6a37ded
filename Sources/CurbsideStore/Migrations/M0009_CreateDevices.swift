import FluentKit
import SQLKit

/// Device health, comms lost and restored records (CDS events), gateways and
/// their signing secrets, and the live occupancy of each bay.
struct M0009_CreateDevices: AsyncMigration {
    var name: String { "0009_create_devices" }

    func prepare(on database: any Database) async throws {
        try await database.schema("devices")
            .field("device_id", .string, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("gateway_id", .string, .required)
            .field("first_seen_ms", .int64, .required)
            .field("last_seen_ms", .int64, .required)
            .field("last_event_ms", .int64, .required)
            .field("battery", .int16)
            .field("rssi", .int16)
            .field("temperature_deci", .int16)
            .field("clock_skew_ms", .int64)
            .field("online", .bool, .required)
            .field("comms_changed_ms", .int64, .required)
            .create()

        try await database.schema("device_status_events")
            .field("id", .int64, .identifier(auto: true))
            .field("device_id", .string, .required)
            .field("kind", .string, .required)
            .field("at_ms", .int64, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "device_status_events_device_idx").on("device_status_events").column("device_id").column("at_ms").run()

        try await database.schema("gateways")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("secret", .string, .required)
            .field("created_ms", .int64, .required)
            .create()

        try await database.schema("bay_occupancy")
            .field("bay_code", .string, .identifier(auto: false))
            .field("zone_id", .string, .required)
            .field("occupied", .bool, .required)
            .field("state_ms", .int64, .required)
            .field("device_id", .string, .required)
            .field("updated_ms", .int64, .required)
            .create()
        try await sql.create(index: "bay_occupancy_zone_idx").on("bay_occupancy").column("zone_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["bay_occupancy", "gateways", "device_status_events", "devices"] {
            try await database.schema(table).delete()
        }
    }
}
