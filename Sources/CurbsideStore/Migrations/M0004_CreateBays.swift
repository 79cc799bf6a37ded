import FluentKit
import SQLKit

struct M0004_CreateBays: AsyncMigration {
    var name: String { "0004_create_bays" }

    func prepare(on database: any Database) async throws {
        try await database.schema(BayModel.schema)
            .field("code", .string, .identifier(auto: false))
            .field("segment_id", .string, .required, .references(RoadSegmentModel.schema, "id"))
            .field("zone_id", .string, .required, .references(ZoneModel.schema, "id"))
            .field("longitude", .double, .required)
            .field("latitude", .double, .required)
            .field("chainage", .double, .required)
            .field("kind", .string, .required)
            .field("charger_id", .string)
            .field("charger_kw", .double)
            .field("sensor_id", .string)
            .field("camera_id", .string)
            .field("lifecycle", .string, .required)
            .field("suspension_reason", .string)
            .field("suspended_from", .datetime)
            .field("suspended_until", .datetime)
            .field("revision", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "bays_zone_segment_idx").on(BayModel.schema).column("zone_id").column("segment_id").column("chainage").run()
        // One detector sits in one bay at a time; retired bays keep their history.
        // Partial indexes read the same in SQLite and PostgreSQL.
        try await sql.raw("CREATE UNIQUE INDEX bays_active_sensor_idx ON bays (sensor_id) WHERE sensor_id IS NOT NULL AND lifecycle = 'active'").run()
        try await sql.create(index: "bays_camera_idx").on(BayModel.schema).column("camera_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BayModel.schema).delete()
    }
}
