import FluentKit
import SQLKit

/// Retention: legal holds (a plate or one session kept whole past its
/// retention while a court, the police or an investigation needs it), and
/// the key plates are pseudonymised with when none is configured.
struct M0028_CreateLegalHolds: AsyncMigration {
    var name: String { "0028_create_legal_holds" }

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await database.schema("legal_holds")
            .field("id", .string, .identifier(auto: false))
            .field("plate", .string)
            .field("plate_colour", .string)
            .field("session_id", .string)
            .field("reason", .string, .required)
            .field("held_by", .string, .required)
            .field("created_ms", .int64, .required)
            .field("released_ms", .int64)
            .field("released_by", .string)
            .create()
        try await sql.create(index: "legal_holds_plate_idx").on("legal_holds").column("plate").column("plate_colour").run()
        try await sql.create(index: "legal_holds_session_idx").on("legal_holds").column("session_id").run()

        try await database.schema("privacy_keys")
            .field("name", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("created_ms", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("privacy_keys").delete()
        try await database.schema("legal_holds").delete()
    }
}
