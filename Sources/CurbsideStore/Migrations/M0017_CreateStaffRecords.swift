import FluentKit
import SQLKit

/// Staff as live records: the beats each officer is assigned to, and the
/// count of failed password sign-ins that locks an account for a while.
struct M0017_CreateStaffRecords: AsyncMigration {
    var name: String { "0017_create_staff_records" }

    func prepare(on database: any Database) async throws {
        try await database.schema("staff_beats")
            .field("staff_id", .string, .required)
            .field("beat_id", .string, .required)
            .field("assigned_ms", .int64, .required)
            .compositeIdentifier(over: "staff_id", "beat_id")
            .create()
        // SQLite adds a NOT NULL column only with a default; both stores take this form.
        try await (database as! any SQLDatabase).raw("ALTER TABLE staff ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0").run()
        try await database.schema("staff")
            .field("locked_until_ms", .int64)
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("staff").deleteField("locked_until_ms").update()
        try await database.schema("staff").deleteField("failed_sign_ins").update()
        try await database.schema("staff_beats").delete()
    }
}
