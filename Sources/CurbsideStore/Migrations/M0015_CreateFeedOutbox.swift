import FluentKit
import SQLKit

/// The city platform feed's outbox: records written in the same transaction
/// as the change they report, sent in id order, kept a while after sending.
struct M0015_CreateFeedOutbox: AsyncMigration {
    var name: String { "0015_create_feed_outbox" }

    func prepare(on database: any Database) async throws {
        try await database.schema("feed_outbox")
            .field("id", .int64, .identifier(auto: true))
            .field("bay_code", .string, .required)
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("created_ms", .int64, .required)
            .field("attempts", .int32, .required)
            .field("next_ms", .int64, .required)
            .field("sent_ms", .int64)
            .field("last_error", .string)
            .create()
        try await (database as! any SQLDatabase).create(index: "feed_outbox_pending_idx").on("feed_outbox").column("sent_ms").column("id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("feed_outbox").delete()
    }
}
