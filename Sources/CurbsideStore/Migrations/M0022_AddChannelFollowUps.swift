import FluentKit
import SQLKit

/// What following an order and a refund up with its channel needs: when an
/// order was placed, the code the channel gave to pay it by, and when it is
/// next checked or was closed; a refund's
/// state at the channel, the channel's id for it, its attempts and when the
/// next is due. Refunds recorded before this were settled by hand or into the
/// wallet, so they start `succeeded`.
struct M0022_AddChannelFollowUps: AsyncMigration {
    var name: String { "0022_add_channel_follow_ups" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        try await database.schema("payments").field("order_ms", .int64).update()
        try await database.schema("payments").field("order_code", .string).update()
        try await database.schema("payments").field("check_ms", .int64).update()
        try await database.schema("payments").field("checks", .int32, .required, .sql(.default(0))).update()
        try await database.schema("payments").field("closed_ms", .int64).update()
        try await database.schema("refunds").field("status", .string, .required, .sql(.default("succeeded"))).update()
        try await database.schema("refunds").field("channel_refund_id", .string).update()
        try await database.schema("refunds").field("attempts", .int32, .required, .sql(.default(0))).update()
        try await database.schema("refunds").field("attempt_ms", .int64).update()
        try await database.schema("refunds").field("finished_ms", .int64).update()
        try await database.schema("refunds").field("failure", .string).update()
        let sql = database.sql
        try await sql.create(index: "payments_check_idx").on("payments").column("check_ms").run()
        try await sql.create(index: "refunds_attempt_idx").on("refunds").column("attempt_ms").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await sql.drop(index: "refunds_attempt_idx").run()
        try await sql.drop(index: "payments_check_idx").run()
        for column in ["failure", "finished_ms", "attempt_ms", "attempts", "channel_refund_id", "status"] {
            try await database.schema("refunds").deleteField(.string(column)).update()
        }
        for column in ["closed_ms", "checks", "check_ms", "order_code", "order_ms"] {
            try await database.schema("payments").deleteField(.string(column)).update()
        }
    }
}
