import FluentKit
import SQLKit

/// Every sign-in code sent, by phone and address, kept a day: what the
/// per-phone and hourly limits count, across every server.
struct M0018_CreateSignInCodeLog: AsyncMigration {
    var name: String { "0018_create_sign_in_code_log" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sign_in_code_log")
            .field("id", .int64, .identifier(auto: true))
            .field("phone", .string, .required)
            .field("address", .string, .required)
            .field("sent_ms", .int64, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "sign_in_code_log_phone_idx").on("sign_in_code_log").column("phone").column("sent_ms").run()
        try await sql.create(index: "sign_in_code_log_sent_idx").on("sign_in_code_log").column("sent_ms").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sign_in_code_log").delete()
    }
}
