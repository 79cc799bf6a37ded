import FluentKit
import SQLKit

/// Non-stop payment (无感支付): a citizen's plate set to pay by itself, through
/// the wallet or WeChat Pay's parking service (a citizen's WeChat openid
/// comes with it); each bill of such a plate gets one deduction, followed
/// until it succeeds or fails; each stay of a plate on WeChat Pay's parking
/// service gets one entry there. Payments made by a deduction say so
/// (`scene`), for the concession report and the city feed.
struct M0025_CreateAutoPay: AsyncMigration {
    var name: String { "0025_create_auto_pay" }

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await database.schema("citizens").field("wechat_openid", .string).update()
        try await sql.create(index: "citizens_wechat_openid_idx").on("citizens").column("wechat_openid").run()
        try await database.schema("payments").field("scene", .string).update()

        // One payer per plate: the citizen who set it up.
        try await database.schema("auto_pay")
            .field("plate", .string, .required)
            .field("plate_colour", .string, .required)
            .field("citizen_id", .string, .required)
            .field("method", .string, .required)
            .field("enabled_ms", .int64, .required)
            .compositeIdentifier(over: "plate", "plate_colour")
            .create()
        try await sql.create(index: "auto_pay_citizen_idx").on("auto_pay").column("citizen_id").run()

        try await database.schema("auto_debits")
            .field("bill_number", .string, .identifier(auto: false))
            .field("citizen_id", .string, .required)
            .field("method", .string, .required)
            .field("state", .string, .required)
            .field("payment_id", .string)
            .field("attempts", .int32, .required, .sql(.default(0)))
            .field("next_ms", .int64)
            .field("failure", .string)
            .field("created_ms", .int64, .required)
            .field("finished_ms", .int64)
            .create()
        try await sql.create(index: "auto_debits_next_idx").on("auto_debits").column("next_ms").run()
        try await sql.create(index: "auto_debits_payment_idx").on("auto_debits").column("payment_id").run()

        try await database.schema("parking_entries")
            .field("session_id", .string, .identifier(auto: false))
            .field("channel", .string, .required)
            .field("plate", .string, .required)
            .field("plate_colour", .string, .required)
            .field("parking_id", .string)
            .field("state", .string, .required)
            .field("block_reason", .string)
            .field("attempts", .int32, .required, .sql(.default(0)))
            .field("next_ms", .int64)
            .field("created_ms", .int64, .required)
            .field("updated_ms", .int64, .required)
            .create()
        try await sql.create(index: "parking_entries_next_idx").on("parking_entries").column("next_ms").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        for table in ["parking_entries", "auto_debits", "auto_pay"] {
            try await database.schema(table).delete()
        }
        try await database.schema("payments").deleteField("scene").update()
        try await sql.drop(index: "citizens_wechat_openid_idx").run()
        try await database.schema("citizens").deleteField("wechat_openid").update()
    }
}
