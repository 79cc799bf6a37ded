import FluentKit
import SQLKit

/// Events refused because their device and event id were stored before with
/// other content (a device counter reset after a reboot or a battery change):
/// kept for audit, never folded.
struct M0020_CreateEventIDConflicts: AsyncMigration {
    var name: String { "0020_create_event_id_conflicts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("event_id_conflicts")
            .field("id", .int64, .identifier(auto: true))
            .field("device_id", .string, .required)
            .field("event_id", .string, .required)
            .field("gateway_id", .string, .required)
            .field("received_ms", .int64, .required)
            .field("content", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "event_id_conflicts_device_idx").on("event_id_conflicts").column("device_id").column("received_ms").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("event_id_conflicts").delete()
    }
}
