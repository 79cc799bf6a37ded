import FluentKit
import SQLKit

/// Parking sessions folded from device events, the correction and void records
/// of sessions already billed, the queue of bays to refold, and fold checkpoints.
struct M0008_CreateParkingSessions: AsyncMigration {
    var name: String { "0008_create_parking_sessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("parking_sessions")
            .field("id", .string, .identifier(auto: false))
            .field("bay_code", .string, .required)
            .field("zone_id", .string, .required)
            .field("start_ms", .int64, .required)
            .field("end_ms", .int64)
            .field("plate", .string)
            .field("plate_colour", .string)
            .field("plate_confidence", .int16)
            .field("plate_source", .string)
            .field("quality", .string, .required)
            .field("flags", .int32, .required)
            .field("evidence", .string, .required)
            .field("last_evidence_ms", .int64, .required)
            .field("status", .string, .required)
            .field("billed_ms", .int64)
            .field("revision", .int32, .required)
            .field("updated_ms", .int64, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "parking_sessions_bay_start_idx").on("parking_sessions").column("bay_code").column("start_ms").run()
        try await sql.create(index: "parking_sessions_zone_start_idx").on("parking_sessions").column("zone_id").column("start_ms").run()
        try await sql.create(index: "parking_sessions_status_idx").on("parking_sessions").column("status").run()

        try await database.schema("session_corrections")
            .field("id", .int64, .identifier(auto: true))
            .field("session_id", .string, .required)
            .field("kind", .string, .required)
            .field("before", .string, .required)
            .field("after", .string)
            .field("reason", .string, .required)
            .field("at_ms", .int64, .required)
            .create()
        try await sql.create(index: "session_corrections_session_idx").on("session_corrections").column("session_id").run()

        try await database.schema("fusion_queue")
            .field("bay_code", .string, .identifier(auto: false))
            .field("dirty_from_ms", .int64, .required)
            .field("queued_ms", .int64, .required)
            .create()

        try await database.schema("fold_checkpoints")
            .field("bay_code", .string, .required)
            .field("at_ms", .int64, .required)
            .field("state", .string, .required)
            .compositeIdentifier(over: "bay_code", "at_ms")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["fold_checkpoints", "fusion_queue", "session_corrections", "parking_sessions"] {
            try await database.schema(table).delete()
        }
    }
}
