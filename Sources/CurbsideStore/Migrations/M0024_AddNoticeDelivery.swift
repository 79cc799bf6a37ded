import FluentKit
import SQLKit

/// Notices that know what they say and whether they arrived: a notice now
/// carries its kind, the parameters its text is filled with and the
/// recipient's language (its text is rendered when it is sent, from the
/// city's text files); once sent, the channel it went by, the provider's id
/// for it and what the delivery report said. Citizens gain a language and an
/// opt-out from notices by SMS. Notices written before this keep the text
/// they were written with.
struct M0024_AddNoticeDelivery: AsyncMigration {
    var name: String { "0024_add_notice_delivery" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        try await database.schema("notices").field("kind", .string).update()
        try await database.schema("notices").field("parameters", .string).update()
        try await database.schema("notices").field("language", .string).update()
        try await database.schema("notices").field("channel", .string).update()
        try await database.schema("notices").field("provider_ref", .string).update()
        try await database.schema("notices").field("delivery", .string).update()
        try await database.schema("notices").field("delivery_code", .string).update()
        try await database.schema("notices").field("reported_ms", .int64).update()
        try await database.schema("citizens").field("language", .string).update()
        try await database.schema("citizens").field("sms_opt_out_ms", .int64).update()
        try await database.sql.create(index: "notices_provider_ref_idx").on("notices").column("provider_ref").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "notices_provider_ref_idx").run()
        for column in ["sms_opt_out_ms", "language"] {
            try await database.schema("citizens").deleteField(.string(column)).update()
        }
        for column in ["reported_ms", "delivery_code", "delivery", "provider_ref", "channel", "language", "parameters", "kind"] {
            try await database.schema("notices").deleteField(.string(column)).update()
        }
    }
}
