import FluentKit
import SQLKit

/// The arrears ladder's record of each bill's steps, enforcement cases, and
/// appeals and the corrections they make, repeat-offender alerts, and the patrol side: staff
/// accounts, beats as ordered road segments, shifts, and the shift each cash
/// payment was taken in.
struct M0013_CreateEnforcement: AsyncMigration {
    var name: String { "0013_create_enforcement" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("bills").field("arrears_stage", .string).update()
        try await database.schema("bills").field("next_step_ms", .int64).update()
        try await sql.create(index: "bills_next_step_idx").on("bills").column("status").column("next_step_ms").run()

        try await database.schema("bill_steps")
            .field("bill_number", .string, .required)
            .field("step", .string, .required)
            .field("at_ms", .int64, .required)
            .compositeIdentifier(over: "bill_number", "step")
            .create()

        try await database.schema("enforcement_cases")
            .field("id", .string, .identifier(auto: false))
            .field("plate", .string, .required)
            .field("plate_colour", .string, .required)
            .field("status", .string, .required)
            .field("opened_ms", .int64, .required)
            .field("exported_ms", .int64)
            .field("closed_ms", .int64)
            .create()
        try await sql.create(index: "enforcement_cases_plate_idx").on("enforcement_cases").column("plate").column("plate_colour").column("status").run()
        // One open case per plate, even when two servers refer its bills at once (the later round retries).
        try await sql.raw("CREATE UNIQUE INDEX enforcement_cases_open_idx ON enforcement_cases (plate, plate_colour) WHERE status = 'open'").run()
        try await database.schema("case_bills")
            .field("case_id", .string, .required)
            .field("bill_number", .string, .required)
            .field("added_ms", .int64, .required)
            .compositeIdentifier(over: "case_id", "bill_number")
            .create()

        try await database.schema("appeals")
            .field("id", .string, .identifier(auto: false))
            .field("bill_number", .string, .required)
            .field("citizen_id", .string, .required)
            .field("reason", .string, .required)
            .field("text", .string, .required)
            .field("status", .string, .required)
            .field("filed_ms", .int64, .required)
            .field("decided_ms", .int64)
            .field("decided_by", .string)
            .field("decision_note", .string)
            .field("corrected_fen", .int64)
            .create()
        try await sql.create(index: "appeals_bill_idx").on("appeals").column("bill_number").run()
        try await sql.create(index: "appeals_status_idx").on("appeals").column("status").column("filed_ms").run()
        try await database.schema("bill_corrections")
            .field("id", .int64, .identifier(auto: true))
            .field("bill_number", .string, .required)
            .field("appeal_id", .string)
            .field("before_fen", .int64, .required)
            .field("after_fen", .int64, .required)
            .field("reason", .string, .required)
            .field("actor", .string, .required)
            .field("at_ms", .int64, .required)
            .create()
        try await sql.create(index: "bill_corrections_bill_idx").on("bill_corrections").column("bill_number").run()

        try await database.schema("alerts")
            .field("id", .int64, .identifier(auto: true))
            .field("session_id", .string, .required)
            .field("beat_id", .string, .required)
            .field("bay_code", .string, .required)
            .field("plate", .string, .required)
            .field("plate_colour", .string, .required)
            .field("arrears_fen", .int64, .required)
            .field("created_ms", .int64, .required)
            .field("acknowledged_by", .string)
            .field("acknowledged_ms", .int64)
            .unique(on: "session_id", "beat_id")
            .create()
        try await sql.create(index: "alerts_beat_idx").on("alerts").column("beat_id").column("id").run()

        try await database.schema("staff")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("password_hash", .string, .required)
            .field("active", .bool, .required)
            .field("created_ms", .int64, .required)
            .create()

        try await database.schema("beats")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("created_ms", .int64, .required)
            .create()
        try await database.schema("beat_segments")
            .field("beat_id", .string, .required)
            .field("segment_id", .string, .required)
            .field("ord", .int32, .required)
            .compositeIdentifier(over: "beat_id", "segment_id")
            .create()

        try await database.schema("shifts")
            .field("id", .string, .identifier(auto: false))
            .field("staff_id", .string, .required)
            .field("beat_id", .string, .required)
            .field("started_ms", .int64, .required)
            .field("ended_ms", .int64)
            .field("declared_cash_fen", .int64)
            .field("ledger_cash_fen", .int64)
            .create()
        try await sql.create(index: "shifts_staff_idx").on("shifts").column("staff_id").column("ended_ms").run()
        // One open shift per officer, even for two sign-ons at once.
        try await sql.raw("CREATE UNIQUE INDEX shifts_open_idx ON shifts (staff_id) WHERE ended_ms IS NULL").run()
        // The beat list looks up each bay's open session.
        try await sql.raw("CREATE INDEX parking_sessions_open_idx ON parking_sessions (bay_code) WHERE status = 'open'").run()
        // Cash taken on the street belongs to the shift it was taken in.
        try await database.schema("payments").field("shift_id", .string).update()
        try await sql.create(index: "payments_shift_idx").on("payments").column("shift_id").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "payments_shift_idx").run()
        try await (database as! any SQLDatabase).drop(index: "parking_sessions_open_idx").run()
        try await database.schema("payments").deleteField("shift_id").update()
        for table in ["shifts", "beat_segments", "beats", "staff", "alerts", "bill_corrections", "appeals", "case_bills", "enforcement_cases", "bill_steps"] {
            try await database.schema(table).delete()
        }
        try await (database as! any SQLDatabase).drop(index: "bills_next_step_idx").run()
        try await database.schema("bills").deleteField("next_step_ms").update()
        try await database.schema("bills").deleteField("arrears_stage").update()
    }
}
